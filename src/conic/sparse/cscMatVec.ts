import type { CscMatrix } from '../types.js';

/** y = alpha*A*x + beta*y. */
export function cscMulAdd(A: CscMatrix, x: Float64Array, y: Float64Array, alpha: number, beta: number): void {
  if (beta !== 1) for (let i = 0; i < A.nrows; i++) y[i] = beta === 0 ? 0 : beta * y[i]!;
  const { colptr, rowval, nzval } = A;
  for (let j = 0; j < A.ncols; j++) {
    const xj = alpha * x[j]!;
    if (xj === 0) continue;
    for (let p = colptr[j]!; p < colptr[j + 1]!; p++) y[rowval[p]!]! += nzval[p]! * xj;
  }
}

/** y = alpha*A'*x + beta*y. */
export function cscTransposeMulAdd(A: CscMatrix, x: Float64Array, y: Float64Array, alpha: number, beta: number): void {
  const { colptr, rowval, nzval } = A;
  for (let j = 0; j < A.ncols; j++) {
    let sum = 0;
    for (let p = colptr[j]!; p < colptr[j + 1]!; p++) sum += nzval[p]! * x[rowval[p]!]!;
    y[j] = (beta === 0 ? 0 : beta * y[j]!) + alpha * sum;
  }
}

/** y = alpha*S*x + beta*y where S is symmetric and stored as its upper triangle. */
export function symmetricUpperMulAdd(S: CscMatrix, x: Float64Array, y: Float64Array, alpha: number, beta: number): void {
  if (beta !== 1) for (let i = 0; i < S.nrows; i++) y[i] = beta === 0 ? 0 : beta * y[i]!;
  const { colptr, rowval, nzval } = S;
  for (let j = 0; j < S.ncols; j++) {
    const xj = x[j]!;
    let sum = 0;
    for (let p = colptr[j]!; p < colptr[j + 1]!; p++) {
      const i = rowval[p]!;
      const v = nzval[p]!;
      y[i]! += alpha * v * xj;
      if (i !== j) sum += v * x[i]!;
    }
    y[j]! += alpha * sum;
  }
}

/** Infinity norm of a vector. */
export function normInf(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > m) m = a;
  }
  return m;
}

/** x'y. */
export function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}
