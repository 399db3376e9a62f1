import type { InternalCone } from '../cones/coneSet.js';
import type { CscMatrix } from '../types.js';

/** Ruiz scaling result: P^ = c D P D, A^ = E A D, q^ = c D q, b^ = E b. */
export interface Equilibration {
  D: Float64Array;
  E: Float64Array;
  c: number;
}

export interface EquilibrationSettings {
  equilibrate: boolean;
  equilibrateMaxIter: number;
  equilibrateMinScaling: number;
  equilibrateMaxScaling: number;
}

/** Largest cost size left after cost scaling (see equilibrate). */
const COST_NORM_MAX = 100;

/**
 * Ruiz equilibration of [P A'; A 0] in place on P and A: each pass divides every column and
 * row by the square root of its infinity norm, so the norms approach 1. Rows of one
 * second-order block share a single scale (their mean) so the cone is mapped onto itself.
 * Finally the cost is scaled by c so that its size max(mean column norm of P, ||q||_inf) lands
 * in [1, COST_NORM_MAX]: a small one is scaled up to 1, a large one down to COST_NORM_MAX only.
 * Scaling every cost to 1, as Clarabel does, shrinks the optimal duals against s while the start
 * point and tau = kappa = 1 treat s and z alike: it cost 2 of 11.7 iterations on the ADMM bus
 * subproblems (cost size 11-50) and 4 of 28 on the central OPF; not scaling large costs at all
 * failed more generated problems with costs times 1e6 (docs/solver.md, "Iteration count against CVXOPT").
 */
export function equilibrate(
  P: CscMatrix,
  A: CscMatrix,
  q: Float64Array,
  cones: InternalCone[],
  settings: EquilibrationSettings,
): Equilibration {
  const n = P.ncols;
  const m = A.nrows;
  const D = new Float64Array(n).fill(1);
  const E = new Float64Array(m).fill(1);
  if (!settings.equilibrate) return { D, E, c: 1 };
  const lo = settings.equilibrateMinScaling;
  const hi = settings.equilibrateMaxScaling;
  const colNorm = new Float64Array(n);
  const rowNorm = new Float64Array(m);
  const dStep = new Float64Array(n);
  const eStep = new Float64Array(m);
  for (let pass = 0; pass < settings.equilibrateMaxIter; pass++) {
    colNorm.fill(0);
    rowNorm.fill(0);
    symmetricColumnNorms(P, colNorm);
    for (let j = 0; j < n; j++) {
      for (let p = A.colptr[j]!; p < A.colptr[j + 1]!; p++) {
        const a = Math.abs(A.nzval[p]!);
        if (a > colNorm[j]!) colNorm[j] = a;
        const i = A.rowval[p]!;
        if (a > rowNorm[i]!) rowNorm[i] = a;
      }
    }
    for (let j = 0; j < n; j++) dStep[j] = scaleFor(colNorm[j]!, lo, hi);
    for (let i = 0; i < m; i++) eStep[i] = scaleFor(rowNorm[i]!, lo, hi);
    let row = 0;
    for (const cone of cones) {
      if (cone.type === 'secondOrder' && cone.dim > 1) {
        let mean = 0;
        for (let k = 0; k < cone.dim; k++) mean += eStep[row + k]!;
        mean /= cone.dim;
        for (let k = 0; k < cone.dim; k++) eStep[row + k] = mean;
      }
      row += cone.dim;
    }
    scaleMatrix(P, dStep, dStep, 1);
    scaleMatrix(A, eStep, dStep, 1);
    for (let j = 0; j < n; j++) D[j]! *= dStep[j]!;
    for (let i = 0; i < m; i++) E[i]! *= eStep[i]!;
  }
  colNorm.fill(0);
  symmetricColumnNorms(P, colNorm);
  let meanColumn = 0;
  for (let j = 0; j < n; j++) meanColumn += colNorm[j]!;
  meanColumn = n > 0 ? meanColumn / n : 0;
  let qNorm = 0;
  for (let j = 0; j < n; j++) qNorm = Math.max(qNorm, Math.abs(D[j]! * q[j]!));
  const costNorm = Math.max(meanColumn, qNorm);
  let c = 1;
  if (costNorm > 0 && costNorm < 1) c = Math.min(hi, 1 / costNorm);
  else if (costNorm > COST_NORM_MAX) c = Math.max(lo, COST_NORM_MAX / costNorm);
  for (let p = 0; p < P.nzval.length; p++) P.nzval[p]! *= c;
  return { D, E, c };
}

/** M[i,j] *= left[i] * right[j] * factor. */
export function scaleMatrix(M: CscMatrix, left: Float64Array, right: Float64Array, factor: number): void {
  for (let j = 0; j < M.ncols; j++) {
    const rj = right[j]! * factor;
    for (let p = M.colptr[j]!; p < M.colptr[j + 1]!; p++) M.nzval[p]! *= left[M.rowval[p]!]! * rj;
  }
}

function symmetricColumnNorms(P: CscMatrix, out: Float64Array): void {
  for (let j = 0; j < P.ncols; j++) {
    for (let p = P.colptr[j]!; p < P.colptr[j + 1]!; p++) {
      const a = Math.abs(P.nzval[p]!);
      const i = P.rowval[p]!;
      if (a > out[j]!) out[j] = a;
      if (a > out[i]!) out[i] = a;
    }
  }
}

function scaleFor(norm: number, lo: number, hi: number): number {
  if (!(norm > 1e-12)) return 1;
  return Math.min(hi, Math.max(lo, 1 / Math.sqrt(norm)));
}
