/**
 * Helpers for the conic solver's tests: dense-to-CSC conversion and independent checks of a
 * returned solution (residuals, cone membership) computed straight from the caller's data.
 */
import { cscMulAdd, cscTransposeMulAdd, symmetricUpperMulAdd } from '../sparse/cscMatVec.js';
import { cscFromTriplets } from '../sparse/cscFromTriplets.js';
import type { ConeSpec, ConicProblem, CscMatrix } from '../types.js';

/** CSC of a dense row-major matrix (rows of equal length); `upper` keeps only row <= column. */
export function denseToCsc(rows: number[][], ncols: number, upper = false): CscMatrix {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  rows.forEach((row, i) =>
    row.forEach((value, j) => {
      if (value !== 0 && (!upper || i <= j)) {
        r.push(i);
        c.push(j);
        v.push(value);
      }
    }),
  );
  return cscFromTriplets(rows.length, ncols, r, c, v);
}

export function problemOf(P: number[][], q: number[], A: number[][], b: number[], cones: ConeSpec[]): ConicProblem {
  const n = q.length;
  return {
    P: P.length > 0 ? denseToCsc(P, n, true) : emptySquare(n),
    q: Float64Array.from(q),
    A: A.length > 0 ? denseToCsc(A, n) : cscFromTriplets(0, n, [], [], []),
    b: Float64Array.from(b),
    cones,
  };
}

function emptySquare(n: number): CscMatrix {
  return cscFromTriplets(n, n, [], [], []);
}

/** ||Ax + s - b||_inf. */
export function primalResidual(problem: ConicProblem, x: Float64Array, s: Float64Array): number {
  const r = Float64Array.from(s);
  for (let i = 0; i < r.length; i++) r[i]! -= problem.b[i]!;
  cscMulAdd(problem.A, x, r, 1, 1);
  return maxAbs(r);
}

/** ||Px + q + A'y||_inf. */
export function dualResidual(problem: ConicProblem, x: Float64Array, y: Float64Array): number {
  const r = Float64Array.from(problem.q);
  symmetricUpperMulAdd(problem.P, x, r, 1, 1);
  cscTransposeMulAdd(problem.A, y, r, 1, 1);
  return maxAbs(r);
}

export function objectiveOf(problem: ConicProblem, x: Float64Array): number {
  const Px = new Float64Array(x.length);
  symmetricUpperMulAdd(problem.P, x, Px, 1, 0);
  let value = 0;
  for (let j = 0; j < x.length; j++) value += 0.5 * x[j]! * Px[j]! + problem.q[j]! * x[j]!;
  return value;
}

/**
 * How far v is outside K (0 when inside): for the dual cone K* pass dual = true (zero cones
 * become free). Every cone here is self-dual otherwise.
 */
export function coneViolation(cones: ConeSpec[], v: Float64Array, dual = false): number {
  let worst = 0;
  let row = 0;
  for (const cone of cones) {
    const block = Array.from(v.subarray(row, row + cone.dim));
    if (cone.type === 'zero') {
      if (!dual) for (const x of block) worst = Math.max(worst, Math.abs(x));
    } else if (cone.type === 'nonnegative') {
      for (const x of block) worst = Math.max(worst, -x);
    } else if (cone.type === 'secondOrder') {
      const tail = Math.hypot(...block.slice(1));
      worst = Math.max(worst, tail - block[0]!);
    } else {
      const [u, w, ...rest] = block as [number, number, ...number[]];
      const t = (u + w) / Math.SQRT2;
      const r = (u - w) / Math.SQRT2;
      worst = Math.max(worst, Math.hypot(r, ...rest) - t);
    }
    row += cone.dim;
  }
  return worst;
}

export function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

export function dotOf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
