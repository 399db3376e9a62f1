import type { CscMatrix } from '../types.js';

/**
 * Builds a CSC matrix from (row, column, value) triplets. Duplicates are summed and rows are
 * sorted inside each column; explicit zeros are kept so the pattern is what the caller gave.
 */
export function cscFromTriplets(
  nrows: number,
  ncols: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  vals: ArrayLike<number>,
): CscMatrix {
  const built = cscPatternFromTriplets(nrows, ncols, rows, cols);
  const nzval = new Float64Array(built.matrix.rowval.length);
  for (let k = 0; k < vals.length; k++) nzval[built.positionOf[k]!]! += vals[k]!;
  built.matrix.nzval.set(nzval);
  return built.matrix;
}

/** A CSC pattern plus, for every input triplet, the index of the entry it landed in. */
export interface CscPatternWithMap {
  matrix: CscMatrix;
  positionOf: Int32Array;
}

/**
 * The pattern half of {@link cscFromTriplets}: also returns where each triplet went, so values
 * can be rewritten later without rebuilding the pattern (the KKT matrix is refilled this way).
 */
export function cscPatternFromTriplets(
  nrows: number,
  ncols: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
): CscPatternWithMap {
  const count = rows.length;
  // counting sort by column, then by row inside each column (stable two-pass radix)
  const rowStart = new Int32Array(nrows + 1);
  for (let k = 0; k < count; k++) rowStart[rows[k]! + 1]! += 1;
  for (let i = 0; i < nrows; i++) rowStart[i + 1]! += rowStart[i]!;
  const byRow = new Int32Array(count);
  const nextRow = rowStart.slice(0, nrows);
  for (let k = 0; k < count; k++) byRow[nextRow[rows[k]!]!++] = k;
  const colStart = new Int32Array(ncols + 1);
  for (let k = 0; k < count; k++) colStart[cols[k]! + 1]! += 1;
  for (let j = 0; j < ncols; j++) colStart[j + 1]! += colStart[j]!;
  const sorted = new Int32Array(count);
  const nextCol = colStart.slice(0, ncols);
  for (let t = 0; t < count; t++) {
    const k = byRow[t]!;
    sorted[nextCol[cols[k]!]!++] = k;
  }
  const positionOf = new Int32Array(count);
  const colptr = new Int32Array(ncols + 1);
  const rowBuffer = new Int32Array(count);
  let nnz = 0;
  for (let j = 0; j < ncols; j++) {
    const columnFirst = nnz;
    for (let t = colStart[j]!; t < colStart[j + 1]!; t++) {
      const k = sorted[t]!;
      const r = rows[k]!;
      if (nnz > columnFirst && rowBuffer[nnz - 1] === r) positionOf[k] = nnz - 1;
      else {
        rowBuffer[nnz] = r;
        positionOf[k] = nnz;
        nnz++;
      }
    }
    colptr[j + 1] = nnz;
  }
  return {
    matrix: { nrows, ncols, colptr, rowval: rowBuffer.slice(0, nnz), nzval: new Float64Array(nnz) },
    positionOf,
  };
}
