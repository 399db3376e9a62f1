import type { CscMatrix } from '../types.js';
import { cscFromTriplets } from './cscFromTriplets.js';

/**
 * The upper triangle (row <= column) of a square CSC matrix, the form `ConicProblem.P` takes.
 * Entries below the diagonal are dropped, so pass a symmetric matrix (both triangles stored)
 * or an already upper-triangular one.
 */
export function upperTriangle(matrix: CscMatrix): CscMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let j = 0; j < matrix.ncols; j++) {
    for (let p = matrix.colptr[j]!; p < matrix.colptr[j + 1]!; p++) {
      const i = matrix.rowval[p]!;
      if (i <= j) {
        rows.push(i);
        cols.push(j);
        vals.push(matrix.nzval[p]!);
      }
    }
  }
  return cscFromTriplets(matrix.nrows, matrix.ncols, rows, cols, vals);
}
