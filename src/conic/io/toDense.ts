import type { CscMatrix } from '../types.js';

/** Row-major dense copy of a small sparse matrix (tests and debugging output). */
export function toDense(mat: CscMatrix): number[][] {
  const out = Array.from({ length: mat.nrows }, () => new Array<number>(mat.ncols).fill(0));
  for (let j = 0; j < mat.ncols; j++) {
    for (let k = mat.colptr[j]!; k < mat.colptr[j + 1]!; k++) out[mat.rowval[k]!]![j]! += mat.nzval[k]!;
  }
  return out;
}
