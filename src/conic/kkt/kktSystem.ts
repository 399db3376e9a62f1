import type { ConeSet } from '../cones/coneSet.js';
import { type DynamicRegularization, LdlFactorization } from '../ldl/ldlFactorization.js';
import { approximateMinimumDegree } from '../ordering/approximateMinimumDegree.js';
import { cscPatternFromTriplets } from '../sparse/cscFromTriplets.js';
import type { CscMatrix } from '../types.js';

/** The KKT-related solver settings. */
export interface KktSettings {
  staticRegularization: boolean;
  staticRegularizationConstant: number;
  staticRegularizationProportional: number;
  dynamicRegularization: boolean;
  dynamicRegularizationEps: number;
  dynamicRegularizationDelta: number;
  iterativeRefinement: boolean;
  iterativeRefinementRelTol: number;
  iterativeRefinementAbsTol: number;
  iterativeRefinementMaxIter: number;
  iterativeRefinementStopRatio: number;
}

/** Refinement targets at least this loose skip the residual check (see `solve`). */
const SKIP_CHECK_REL_TOL = 1e-7;

/**
 * The quasidefinite KKT matrix K = [P + eps I, A'; A, -(W'W + eps I)] of every interior-point
 * iteration, with its pattern, fill-reducing order, symbolic factorization and index maps built
 * once; each iteration only rewrites the cone blocks and refactors. Solves are refined against
 * the matrix without the static regularization (K0 = [P, A'; A, -W'W]), which recovers the
 * accuracy the regularization costs.
 */
export class KktSystem {
  readonly n: number;
  readonly m: number;
  /** n + m plus the extra rows of sparse-expanded cones. */
  readonly size: number;
  readonly ldl: LdlFactorization;
  /** Refinement steps taken by the last solve. */
  lastRefinementSteps = 0;
  private readonly matrix: CscMatrix;
  private readonly baseValues: Float64Array;
  private readonly values: Float64Array;
  private readonly perm: Int32Array;
  private readonly inversePerm: Int32Array;
  private readonly signs: Int8Array;
  private readonly shift: Float64Array;
  private readonly pPositions: Int32Array;
  private readonly aPositions: Int32Array;
  private readonly diagonalPositions: Int32Array;
  private readonly settings: KktSettings;
  private readonly dynamicRegularization: DynamicRegularization;
  private readonly rhs: Float64Array;
  private readonly solution: Float64Array;
  private readonly residual: Float64Array;
  private readonly correction: Float64Array;
  private readonly trial: Float64Array;

  constructor(P: CscMatrix, A: CscMatrix, cones: ConeSet, settings: KktSettings) {
    const n = P.ncols;
    const m = A.nrows;
    this.n = n;
    this.m = m;
    this.settings = settings;
    this.dynamicRegularization = {
      enabled: settings.dynamicRegularization,
      eps: settings.dynamicRegularizationEps,
      delta: settings.dynamicRegularizationDelta,
    };
    const soc = cones.secondOrder;
    const nnzP = P.rowval.length;
    const nnzA = A.rowval.length;
    // sparse-expanded cones add two rows each after the n + m rows (SecondOrderCones)
    const extraRows = soc.extraRows;
    const size = n + m + extraRows;
    this.size = size;
    let socEntries = 0;
    for (let b = 0; b < soc.offsets.length; b++) {
      const d = soc.dims[b]!;
      socEntries += soc.extraRow[b]! >= 0 ? 2 * d : (d * (d + 1)) / 2;
    }
    const total = nnzP + size + nnzA + socEntries;
    const rows = new Int32Array(total);
    const cols = new Int32Array(total);
    let t = 0;
    for (let j = 0; j < n; j++) {
      for (let p = P.colptr[j]!; p < P.colptr[j + 1]!; p++) {
        rows[t] = P.rowval[p]!;
        cols[t++] = j;
      }
    }
    for (let i = 0; i < size; i++) {
      rows[t] = i;
      cols[t++] = i;
    }
    for (let j = 0; j < n; j++) {
      for (let p = A.colptr[j]!; p < A.colptr[j + 1]!; p++) {
        rows[t] = j;
        cols[t++] = n + A.rowval[p]!;
      }
    }
    for (let b = 0; b < soc.offsets.length; b++) {
      const o = n + soc.offsets[b]!;
      const d = soc.dims[b]!;
      if (soc.extraRow[b]! >= 0) {
        const extra = n + m + soc.extraRow[b]!;
        for (let e = 0; e < 2; e++) {
          for (let r = 0; r < d; r++) {
            rows[t] = o + r;
            cols[t++] = extra + e;
          }
        }
        continue;
      }
      for (let c = 0; c < d; c++) {
        for (let r = 0; r <= c; r++) {
          rows[t] = o + r;
          cols[t++] = o + c;
        }
      }
    }
    const { perm, inversePerm } = approximateMinimumDegree(cscPatternFromTriplets(size, size, rows, cols).matrix);
    this.perm = perm;
    this.inversePerm = inversePerm;
    for (let k = 0; k < total; k++) {
      const pi = inversePerm[rows[k]!]!;
      const pj = inversePerm[cols[k]!]!;
      rows[k] = Math.min(pi, pj);
      cols[k] = Math.max(pi, pj);
    }
    const { matrix, positionOf } = cscPatternFromTriplets(size, size, rows, cols);
    this.matrix = matrix;
    this.pPositions = positionOf.slice(0, nnzP);
    this.diagonalPositions = positionOf.slice(nnzP, nnzP + size);
    this.aPositions = positionOf.slice(nnzP + size, nnzP + size + nnzA);
    const socPositions = positionOf.subarray(nnzP + size + nnzA);
    let from = 0;
    for (let b = 0; b < soc.offsets.length; b++) {
      const d = soc.dims[b]!;
      let to = soc.hessianStart[b]!;
      if (soc.extraRow[b]! >= 0) {
        // layout of SecondOrderCones.hessianStart: d diagonals, beta u, beta v, two extra diagonals
        for (let k = 0; k < d; k++) soc.hessianPositions[to++] = this.diagonalPositions[n + soc.offsets[b]! + k]!;
        for (let k = 0; k < 2 * d; k++) soc.hessianPositions[to++] = socPositions[from++]!;
        const extra = n + m + soc.extraRow[b]!;
        soc.hessianPositions[to++] = this.diagonalPositions[extra]!;
        soc.hessianPositions[to] = this.diagonalPositions[extra + 1]!;
      } else {
        for (let k = 0; k < (d * (d + 1)) / 2; k++) soc.hessianPositions[to++] = socPositions[from++]!;
      }
    }
    const nn = cones.nonnegative;
    for (let k = 0; k < nn.rows.length; k++) nn.hessianPositions[k] = this.diagonalPositions[n + nn.rows[k]!]!;
    this.baseValues = new Float64Array(matrix.rowval.length);
    this.values = new Float64Array(matrix.rowval.length);
    this.signs = new Int8Array(size);
    // x rows +, z rows -, extra rows of expanded cones + then -
    for (let i = 0; i < size; i++) this.signs[inversePerm[i]!] = i < n ? 1 : i < n + m ? -1 : (i - n - m) % 2 === 0 ? 1 : -1;
    this.shift = new Float64Array(size);
    this.ldl = new LdlFactorization(matrix);
    this.rhs = new Float64Array(size);
    this.solution = new Float64Array(size);
    this.residual = new Float64Array(size);
    this.correction = new Float64Array(size);
    this.trial = new Float64Array(size);
    this.setData(P, A);
  }

  /** Rewrites the constant part (P, A, static regularization) after P's values changed. */
  setData(P: CscMatrix, A: CscMatrix): void {
    const { n, m, baseValues, diagonalPositions, settings } = this;
    baseValues.fill(0);
    let maxDiagonal = 0;
    for (let j = 0; j < n; j++) {
      for (let p = P.colptr[j]!; p < P.colptr[j + 1]!; p++) {
        baseValues[this.pPositions[p]!]! += P.nzval[p]!;
        if (P.rowval[p] === j) maxDiagonal = Math.max(maxDiagonal, Math.abs(P.nzval[p]!));
      }
    }
    for (let p = 0; p < A.nzval.length; p++) baseValues[this.aPositions[p]!]! += A.nzval[p]!;
    const eps = settings.staticRegularization
      ? settings.staticRegularizationConstant + settings.staticRegularizationProportional * maxDiagonal
      : 0;
    for (let i = 0; i < n + m; i++) {
      const e = i < n ? eps : -eps;
      baseValues[diagonalPositions[i]!]! += e;
      this.shift[this.inversePerm[i]!] = e;
    }
  }

  /**
   * Refills the cone blocks from the current scaling and factors. `primalShift` adds a multiple
   * of I to the P block that solves (and refinement) keep: the cold start uses it so directions
   * in the null space of [P; A] stay bounded. `dualShift` likewise subtracts a multiple of I from
   * the z block (used with solveRegularized only). `withCones` false leaves the cone blocks out
   * (K0 = [P, A'; A, 0] plus the shifts, for the null-space certificate search). Returns false on a failed pivot.
   */
  factor(cones: ConeSet, primalShift = 0, dualShift = 0, withCones = true): boolean {
    this.values.set(this.baseValues);
    if (withCones) cones.writeHessian(this.values);
    if (primalShift !== 0) for (let j = 0; j < this.n; j++) this.values[this.diagonalPositions[j]!]! += primalShift;
    if (dualShift !== 0) for (let i = 0; i < this.m; i++) this.values[this.diagonalPositions[this.n + i]!]! -= dualShift;
    return this.ldl.factor(this.values, this.signs, this.dynamicRegularization);
  }

  /**
   * Solves K0 [x; z] = [rx; rz] (original ordering; rhs and out may not alias). `relTol`
   * overrides the refinement's relative tolerance (the solver loosens it while mu is large);
   * `refine` false returns the regularized solve as it is (solveRegularized).
   */
  solve(rhs: Float64Array, out: Float64Array, relTol = this.settings.iterativeRefinementRelTol, refine = true): void {
    const { perm, rhs: b, solution: x, residual: r, correction: dx, trial, size } = this;
    const outer = this.n + this.m;
    // extra rows of expanded cones have a zero right-hand side; their solution is dropped
    for (let k = 0; k < size; k++) {
      const i = perm[k]!;
      const value = i < outer ? rhs[i]! : 0;
      b[k] = value;
      x[k] = value;
    }
    this.ldl.solveInPlace(x);
    this.lastRefinementSteps = 0;
    const s = this.settings;
    // with a loose target and no replaced pivots the regularized solve (error ~ eps ||x||) is
    // trusted as is: the residual check would cost more than the solve itself
    const trustRegularizedSolve = relTol >= SKIP_CHECK_REL_TOL && this.ldl.regularizedPivots === 0;
    if (refine && s.iterativeRefinement && !trustRegularizedSolve) {
      const normB = maxAbs(b);
      let errorNorm = this.residualOf(x, r);
      for (let step = 0; step < s.iterativeRefinementMaxIter; step++) {
        if (errorNorm <= s.iterativeRefinementAbsTol + relTol * normB) break;
        dx.set(r);
        this.ldl.solveInPlace(dx);
        for (let k = 0; k < size; k++) trial[k] = x[k]! + dx[k]!;
        const lastNorm = errorNorm;
        errorNorm = this.residualOf(trial, dx);
        this.lastRefinementSteps++;
        const ratio = lastNorm / errorNorm;
        if (!(ratio >= s.iterativeRefinementStopRatio)) {
          if (ratio > 1) x.set(trial);
          break;
        }
        x.set(trial);
        r.set(dx);
      }
    }
    for (let k = 0; k < size; k++) {
      const i = perm[k]!;
      if (i < outer) out[i] = x[k]!;
    }
  }

  /**
   * Solves the regularized system K [x; z] = rhs with no refinement (original ordering). Where K0
   * is singular this amplifies the null directions by about 1/eps: the equality-only certificate
   * search uses it as one step of inverse iteration.
   */
  solveRegularized(rhs: Float64Array, out: Float64Array): void {
    this.solve(rhs, out, this.settings.iterativeRefinementRelTol, false);
  }

  /** r = b - K0 x in the permuted space; returns ||r||_inf. */
  private residualOf(x: Float64Array, r: Float64Array): number {
    const { colptr, rowval } = this.matrix;
    const values = this.values;
    const size = this.size;
    for (let k = 0; k < size; k++) r[k] = this.rhs[k]! + this.shift[k]! * x[k]!;
    for (let j = 0; j < size; j++) {
      const xj = x[j]!;
      let sum = 0;
      for (let p = colptr[j]!; p < colptr[j + 1]!; p++) {
        const i = rowval[p]!;
        const v = values[p]!;
        r[i]! -= v * xj;
        if (i !== j) sum += v * x[i]!;
      }
      r[j]! -= sum;
    }
    return maxAbs(r);
  }
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > m || a !== a) m = a !== a ? Infinity : a;
  }
  return m;
}
