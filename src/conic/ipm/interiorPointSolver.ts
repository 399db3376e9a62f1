import { ConeSet } from '../cones/coneSet.js';
import { KktSystem } from '../kkt/kktSystem.js';
import { cscMulAdd, cscTransposeMulAdd, dot, symmetricUpperMulAdd } from '../sparse/cscMatVec.js';
import type { ConicProblem, ConicSolution, ConicSolver, SolveStatus, SolverSettings } from '../types.js';
import { Iterate } from './iterate.js';
import { ProblemData } from './problemData.js';
import { Residuals } from './residuals.js';
import { resolveSettings } from './settings.js';
import { buildSolution } from './buildSolution.js';
import { validateProblem } from './validateProblem.js';
import { ConicInputError } from '../conicInputError.js';

/** Steps shorter than this count as a stall. */
const MIN_STEP = 1e-8;
/** Iterations without a better merit (while tau dominates kappa) before giving up. */
const STALL_ITERATIONS = 15;
/**
 * Largest sum of d^3 over second-order cones for which a run that stalled with sparse-expanded
 * cones is repeated with dense blocks (about 2e8 flops per factorization).
 */
const DENSE_FALLBACK_WORK = 2e8;
/** Step backtracking when round-off puts the new iterate on a cone boundary. */
const BACKTRACK_FACTOR = 0.8;
const BACKTRACK_LIMIT = 50;
/**
 * Null-space certificate search (nullSpaceCertificate): the shift of both diagonal blocks
 * and the inverse-iteration passes. Each pass shrinks the non-null part by about the shift; a
 * shift far above the static 1e-8 keeps entries like A'A/shift small, whose round-off otherwise
 * bounds how close to null the result gets (seen: ||Px|| stuck at 1e-7 relative).
 */
const CERTIFICATE_SHIFT = 1e-6;
const CERTIFICATE_PASSES = 3;
/** Most proximal-point steps of the equality-only direct solve (it stops once the residual stops falling). */
const DIRECT_SOLVE_STEPS = 30;
/**
 * Expanded cones take ds from the primal row once the complementarity form misses that row by
 * more than this times eta ||r2|| (primalRowDs). On 100 stress seeds each: 1 gave many-small-cones
 * 100/100 solved and primal infeasibility in 9.8 iterations; always switching (0) 98/100 and 10.9;
 * 3 and 10 gave 99 and 96 of 100 (docs/solver.md §Sparse expansion).
 */
const PRIMAL_ROW_MISMATCH = 1;
/**
 * Proximal shift of both KKT blocks for a second factorization when the first fails (an
 * overflowed column): ten times the static regularization. It turned a degenerate LP with
 * repeated equality rows from almostSolved (NaN at iteration 7) into solved (stress
 * degenerate-lp seed 277; 1e-6 and 1e-8 did the same).
 */
const RETRY_SHIFT = 1e-7;
/** Warm-started iterations allowed before falling back to a cold start. */
const WARM_START_ITERATIONS = 10;
/**
 * Refinement relative tolerance while mu is large: min(cap, perMu * mu), never below the
 * setting. Halved the CPU time of bus re-solves and cut the central solve by a fifth with the
 * same iteration counts (bench/conic.bench.ts).
 */
const REFINEMENT_TOL_PER_MU = 1e-3;
const REFINEMENT_TOL_CAP = 1e-7;
/**
 * How far a warm start pushes s and z inside their cones (and its kappa). On bench
 * bus-resolve-warm / the sce56 ADMM loop's bus solves: 3e-4 6.4 / 7.3 iterations, 1e-3 5.4 / 6.7,
 * 5e-3 4.8 / 6.2, 3e-2 6.6 / 5.7 (docs/solver.md, Re-solves).
 */
const WARM_START_PUSH = 5e-3;

/**
 * Primal-dual interior-point method on the homogeneous embedding that keeps the quadratic
 * objective (the Clarabel form): x, z, s, tau, kappa with
 *   P x + A'z + q tau = 0,  A x + s = b tau,  kappa + q'x + b'z + x'Px/tau = 0,
 * s in K, z in K*, s o z = 0, tau kappa = 0. tau -> 0 with kappa > 0 certifies infeasibility.
 * Each iteration: NT scaling, one KKT factorization, two solves for the Mehrotra affine and
 * combined directions plus one for the tau column, all with preallocated storage.
 */
export class InteriorPointSolver implements ConicSolver {
  private readonly settings: SolverSettings;
  private readonly data: ProblemData;
  private cones: ConeSet;
  private kkt: KktSystem;
  /** Set once the sparse cone expansion has been given up for dense blocks (denseFallback). */
  private denseBlocks = false;
  private readonly residuals: Residuals;
  private readonly v: Iterate;
  private readonly step: Iterate;
  private readonly best: Iterate;
  private readonly previous: Iterate;
  private hasPrevious = false;
  private readonly rhs: Float64Array;
  private readonly constantSolution: Float64Array;
  private readonly stepSolution: Float64Array;
  private readonly dsTarget: Float64Array;
  private readonly scratchM: Float64Array;
  private readonly scratchN: Float64Array;
  private readonly scratchN2: Float64Array;
  /** q + 2 P x / tau of the current iterate (solveConstantColumn), the x part of the tau row. */
  private readonly tauRow: Float64Array;
  private normB = 0;
  private normQ = 0;
  private setupMs: number;
  private denominator = -1;
  /** Refinement tolerance of this iteration's solves. */
  private refinementTol = 0;

  constructor(problem: ConicProblem, settings?: Partial<SolverSettings>) {
    const start = performance.now();
    this.settings = resolveSettings(settings);
    validateProblem(problem);
    this.data = new ProblemData(problem, this.settings);
    const { n, m } = this.data;
    this.cones = new ConeSet(this.data.cones, m);
    this.kkt = new KktSystem(this.data.P, this.data.A, this.cones, this.settings);
    this.residuals = new Residuals(this.data);
    this.v = new Iterate(n, m);
    this.step = new Iterate(n, m);
    this.best = new Iterate(n, m);
    this.previous = new Iterate(n, m);
    this.rhs = new Float64Array(n + m);
    this.constantSolution = new Float64Array(n + m);
    this.stepSolution = new Float64Array(n + m);
    this.dsTarget = new Float64Array(m);
    this.scratchM = new Float64Array(m);
    this.scratchN = new Float64Array(n);
    this.scratchN2 = new Float64Array(n);
    this.tauRow = new Float64Array(n);
    this.refreshNorms();
    this.setupMs = performance.now() - start;
  }

  updateLinearCost(q: Float64Array): void {
    this.checkVector('q', q, this.data.n);
    this.data.setLinearCost(q);
    this.refreshNorms();
  }

  updateRhs(b: Float64Array): void {
    this.checkVector('b', b, this.data.m);
    this.data.setRhs(b);
    this.refreshNorms();
  }

  updateQuadraticCostValues(values: Float64Array): void {
    this.checkVector('P.nzval', values, this.data.P.nzval.length);
    this.data.setQuadraticCostValues(values);
    this.kkt.setData(this.data.P, this.data.A);
  }

  /** hasPrevious, denseBlocks, then the previous iterate's tau, kappa, x, z, s. */
  get warmStartSize(): number {
    return 4 + this.data.n + 2 * this.data.m;
  }

  saveWarmStart(out: Float64Array): void {
    const { previous } = this;
    const { n, m } = this.data;
    out[0] = this.hasPrevious ? 1 : 0;
    out[1] = this.denseBlocks ? 1 : 0;
    out[2] = previous.tau;
    out[3] = previous.kappa;
    out.set(previous.x, 4);
    out.set(previous.z, 4 + n);
    out.set(previous.s, 4 + n + m);
  }

  loadWarmStart(from: Float64Array): void {
    const { previous } = this;
    const { n, m } = this.data;
    this.hasPrevious = from[0] === 1;
    // a run that gave up the sparse cone expansion keeps the dense blocks for later solves
    if (from[1] === 1) this.switchToDenseBlocks();
    previous.tau = from[2]!;
    previous.kappa = from[3]!;
    previous.x.set(from.subarray(4, 4 + n));
    previous.z.set(from.subarray(4 + n, 4 + n + m));
    previous.s.set(from.subarray(4 + n + m, 4 + n + 2 * m));
  }

  solve(): ConicSolution {
    const start = performance.now();
    const s = this.settings;
    let factorMs = 0;
    // with equality rows only there is no barrier to drive tau to 0 on an infeasible or unbounded
    // problem: look for a certificate by inverse iteration first (two solves)
    const equalityOnly = this.cones.degree === 0;
    if (equalityOnly) {
      const found = this.nullSpaceCertificate() ?? this.equalityOnlyDirectSolve();
      if (found) return this.finish(found, 0, start, 0);
    }
    const warm = s.warmStart && this.hasPrevious;
    if (warm) this.warmStart();
    else if (!this.coldStart()) return this.finish('numericalError', 0, start, 0);
    let warmActive = warm;
    let status: SolveStatus | undefined;
    let iteration = 0;
    let bestMerit = Infinity;
    let bestIteration = 0;
    let lastAlpha = 0;
    const degree = this.cones.degree;
    const timeLimitMs = Math.min(s.timeLimitMs, s.timeLimitSeconds * 1000);
    const { v, step, residuals: res, cones, kkt } = this;
    for (;;) {
      res.update(v, this.normB, this.normQ);
      const mu = (dot(v.s, v.z) + v.tau * v.kappa) / (degree + 1);
      const ktRatio = v.kappa / v.tau;
      s.onIteration?.({
        iteration, primalObjective: res.primalObjective, dualObjective: res.dualObjective, gap: res.gapAbs,
        primalResidual: res.primalResidual, dualResidual: res.dualResidual, mu, stepLength: lastAlpha,
      });
      if (!v.isFinite() || !Number.isFinite(res.merit() + mu)) {
        status = 'numericalError';
        break;
      }
      if (ktRatio <= 1 && res.isSolved(s.tolFeas, s.tolGapAbs, s.tolGapRel)) {
        status = 'solved';
        break;
      }
      // certificates are scale-free tests, so they are also tried when kappa/tau stays small
      // (with only equality rows mu = tau kappa can vanish before tau does)
      if (ktRatio > 1 / s.tolKtRatio || iteration > 0) {
        if (res.isPrimalInfeasible(s.tolInfeasAbs, s.tolInfeasRel)) { status = 'primalInfeasible'; break; }
        if (res.isDualInfeasible(s.tolInfeasAbs, s.tolInfeasRel)) { status = 'dualInfeasible'; break; }
        if (res.isDualInfeasibleProjected(s.tolInfeasAbs, s.tolInfeasRel, v.x, this.scratchM)) {
          v.s.set(this.scratchM);
          status = 'dualInfeasible';
          break;
        }
      }
      const merit = res.merit();
      if (merit < bestMerit && ktRatio <= 1) {
        bestMerit = merit;
        bestIteration = iteration;
        this.best.copyFrom(v);
      }
      if (warmActive && iteration >= WARM_START_ITERATIONS) {
        // the warm start did not pay off: restart from the default point
        warmActive = false;
        if (!this.coldStart()) { status = 'numericalError'; break; }
        bestMerit = Infinity;
        continue;
      }
      if (iteration >= s.maxIter) { status = 'maxIterations'; break; }
      if (performance.now() - start > timeLimitMs) { status = 'timeLimit'; break; }
      if (iteration > 0 && (lastAlpha < MIN_STEP || (ktRatio <= 1 && iteration - bestIteration > STALL_ITERATIONS))) {
        status = 'insufficientProgress';
        break;
      }
      const factorStart = performance.now();
      const scaled = cones.updateScaling(v.s, v.z);
      let ok = scaled && kkt.factor(cones);
      // a factor that overflowed (dependent rows whose pivots are the static regularization alone):
      // once more with a proximal shift of both blocks, which the refined solves keep
      if (scaled && !ok) ok = kkt.factor(cones, RETRY_SHIFT, RETRY_SHIFT);
      factorMs += performance.now() - factorStart;
      if (!ok) { status = 'numericalError'; break; }
      // inexact Newton: while mu is large a 1e-13 solve buys nothing; tighten as mu falls
      this.refinementTol = Math.max(s.iterativeRefinementRelTol, Math.min(REFINEMENT_TOL_CAP, REFINEMENT_TOL_PER_MU * mu));
      this.solveConstantColumn();
      // affine (predictor) direction: drive s o z and tau kappa to zero
      cones.lambdaSquared(this.dsTarget);
      // the predictor only sets sigma and the second-order term: its solve is not refined
      this.solveDirection(1, this.dsTarget, v.tau * v.kappa, Math.max(this.refinementTol, REFINEMENT_TOL_CAP));
      const alphaAffine = Math.min(1, this.maxStep());
      const sigma = (1 - alphaAffine) ** 3;
      // combined direction with Mehrotra's second-order correction
      cones.combinedDs(step.s, step.z, sigma * mu, this.dsTarget);
      const kappaTarget = v.tau * v.kappa + step.tau * step.kappa - sigma * mu;
      this.solveDirection(1 - sigma, this.dsTarget, kappaTarget);
      lastAlpha = this.interiorStep(s.maxStepFraction * Math.min(1, this.maxStep()));
      v.addScaled(step, lastAlpha);
      iteration++;
    }
    // a stall can be an unbounded direction in the null space of P and A (free variables that
    // no row touches): the embedding then drifts along it (x growing like 1/eps) without
    // reaching the certificate tests' accuracy; look for it as the equality-only search does
    const stalled = status === 'insufficientProgress' || status === 'numericalError' || status === 'maxIterations';
    if (stalled && this.cones.secondOrder.extraRows === 0) {
      const found = this.nullSpaceCertificate();
      if (found) return this.finish(found, iteration, start, factorMs);
    }
    if ((status === 'insufficientProgress' || status === 'numericalError') && this.switchToDenseBlocks()) {
      // the expanded form is less accurate near the cone boundary: solve again with dense blocks
      const again = this.solve();
      return { ...again, iterations: again.iterations + iteration };
    }
    return this.finish(status, iteration, start, factorMs, bestMerit);
  }

  /**
   * Rebuilds the cone set and KKT system with every second-order cone as a dense block, when
   * some cone was expanded and the dense blocks stay affordable (sum of d^3 at most
   * DENSE_FALLBACK_WORK, i.e. one cone of about 580 rows). Returns whether it did.
   */
  private switchToDenseBlocks(): boolean {
    const soc = this.cones.secondOrder;
    if (this.denseBlocks || soc.extraRows === 0) return false;
    let work = 0;
    for (let b = 0; b < soc.dims.length; b++) work += soc.dims[b]! ** 3;
    if (work > DENSE_FALLBACK_WORK) return false;
    this.denseBlocks = true;
    this.cones = new ConeSet(this.data.cones, this.data.m, Infinity);
    this.kkt = new KktSystem(this.data.P, this.data.A, this.cones, this.settings);
    return true;
  }

  /**
   * With equality rows only, the optimality conditions are the linear system
   * K0 [x; y] = [P, A'; A, 0][x; y] = [-q; b], where the embedding's tau and kappa can drift
   * without a barrier term (seen: both growing to 1e175). K0 may be singular (redundant rows,
   * free directions), so it is solved by proximal-point refinement: each step solves with the
   * factor of K0 + diag(shift I, -shift I) against the residual of K0 itself, which converges
   * for any consistent system. Returns 'solved' with the solution in v, or undefined with v
   * unchanged.
   */
  private equalityOnlyDirectSolve(): SolveStatus | undefined {
    const { v, step, data, kkt, cones, rhs, stepSolution: correction, constantSolution: solution, residuals: res, settings: s } = this;
    const { n, m } = data;
    step.copyFrom(v);
    if (!kkt.factor(cones, CERTIFICATE_SHIFT, CERTIFICATE_SHIFT)) return undefined;
    solution.fill(0);
    let lastNorm = Infinity;
    for (let k = 0; k < DIRECT_SOLVE_STEPS; k++) {
      // rhs = [-q; b] - K0 [x; y]
      const x = solution.subarray(0, n);
      const y = solution.subarray(n, n + m);
      const top = rhs.subarray(0, n);
      const bottom = rhs.subarray(n, n + m);
      for (let j = 0; j < n; j++) top[j] = -data.q[j]!;
      for (let i = 0; i < m; i++) bottom[i] = data.b[i]!;
      symmetricUpperMulAdd(data.P, x, top, -1, 1);
      cscTransposeMulAdd(data.A, y, top, -1, 1);
      cscMulAdd(data.A, x, bottom, -1, 1);
      let norm = 0;
      for (let t = 0; t < n + m; t++) norm = Math.max(norm, Math.abs(rhs[t]!));
      if (!(norm < lastNorm) || norm === 0) break;
      lastNorm = norm;
      kkt.solveRegularized(rhs, correction);
      for (let t = 0; t < n + m; t++) solution[t]! += correction[t]!;
    }
    for (let j = 0; j < n; j++) v.x[j] = solution[j]!;
    for (let i = 0; i < m; i++) v.z[i] = solution[n + i]!;
    v.s.fill(0);
    v.tau = 1;
    v.kappa = 0;
    res.update(v, this.normB, this.normQ);
    if (v.isFinite() && res.isSolved(s.tolFeas, s.tolGapAbs, s.tolGapRel)) return 'solved';
    v.copyFrom(step);
    res.update(v, this.normB, this.normQ);
    return undefined;
  }

  /**
   * Certificate search in the null space of K0 = [P, A'; A, 0]: before the interior-point loop
   * for problems whose rows are all equalities, after a stalled run for the others (the cone
   * blocks are left out of the factor). A null vector [d; w] of K0 has Pd = 0, Ad = 0 and A'w = 0
   * (d'K0 gives d'Pd = 0), so d with s = 0 is an unbounded direction for any cones, and w a
   * Farkas certificate when it also lies in K* (checked). The regularized
   * factor maps the part of [-q; b] along it to about 1/shift times itself, so regularized
   * solves (three, both blocks shifted by 1e-6) from [-q; b] leave (nearly) only that part. d with q'd < 0 is an unbounded direction,
   * w with b'w < 0 a Farkas certificate (signs are flipped as needed; both are free to flip).
   * Returns the status found, leaving the certificate in v, or undefined with v unchanged.
   */
  private nullSpaceCertificate(): SolveStatus | undefined {
    const { v, step, data, kkt, cones, rhs, stepSolution: sol, residuals: res, settings: s } = this;
    const { n, m } = data;
    step.copyFrom(v);
    // the shifts keep every pivot well above round-off (no dynamic regularization, whose replaced
    // pivots would bend the inverse iteration away from the exact null vector)
    if (!kkt.factor(cones, CERTIFICATE_SHIFT, CERTIFICATE_SHIFT, false)) return undefined;
    for (let j = 0; j < n; j++) rhs[j] = -data.q[j]!;
    for (let i = 0; i < m; i++) rhs[n + i] = data.b[i]!;
    for (let pass = 0; pass < CERTIFICATE_PASSES; pass++) {
      kkt.solveRegularized(rhs, sol);
      let norm = 0;
      for (let k = 0; k < n + m; k++) norm = Math.max(norm, Math.abs(sol[k]!));
      if (!(norm > 0 && Number.isFinite(norm))) return undefined;
      for (let k = 0; k < n + m; k++) rhs[k] = sol[k]! / norm;
    }
    let qx = 0;
    for (let j = 0; j < n; j++) qx += data.q[j]! * rhs[j]!;
    let bz = 0;
    for (let i = 0; i < m; i++) bz += data.b[i]! * rhs[n + i]!;
    const xSign = qx > 0 ? -1 : 1;
    const zSign = bz > 0 ? -1 : 1;
    for (let j = 0; j < n; j++) v.x[j] = xSign * rhs[j]!;
    for (let i = 0; i < m; i++) v.z[i] = zSign * rhs[n + i]!;
    v.s.fill(0);
    v.tau = 1;
    v.kappa = 0;
    res.update(v, this.normB, this.normQ);
    if (res.isDualInfeasible(s.tolInfeasAbs, s.tolInfeasRel)) return 'dualInfeasible';
    // w is a Farkas certificate only inside K* (zero rows are free)
    if (cones.minEigenvalue(v.z) >= 0 && res.isPrimalInfeasible(s.tolInfeasAbs, s.tolInfeasRel)) return 'primalInfeasible';
    v.copyFrom(step);
    res.update(v, this.normB, this.normQ);
    return undefined;
  }

  /** Status at the end: solved/infeasible as found, or graded against the reduced tolerances. */
  private finish(status: SolveStatus, iterations: number, start: number, factorMs: number, bestMerit = Infinity): ConicSolution {
    const s = this.settings;
    const { v, residuals: res } = this;
    let final = status;
    if (status !== 'solved' && status !== 'primalInfeasible' && status !== 'dualInfeasible') {
      // a run that stalled while tau fell ends on a near-certificate: grade that before the best solution-like iterate
      const lastKtRatio = v.kappa / v.tau;
      if (lastKtRatio > 1 / s.reducedTolKtRatio && Number.isFinite(res.merit())) {
        if (res.isPrimalInfeasible(s.reducedTolInfeasAbs, s.reducedTolInfeasRel)) return this.finishAs('almostPrimalInfeasible', iterations, start, factorMs);
        const plain = res.isDualInfeasible(s.reducedTolInfeasAbs, s.reducedTolInfeasRel);
        if (plain || res.isDualInfeasibleProjected(s.reducedTolInfeasAbs, s.reducedTolInfeasRel, v.x, this.scratchM)) {
          if (!plain) v.s.set(this.scratchM);
          return this.finishAs('almostDualInfeasible', iterations, start, factorMs);
        }
      }
      if (bestMerit < Infinity && (status === 'numericalError' || status === 'insufficientProgress' || res.merit() > bestMerit)) {
        v.copyFrom(this.best);
        res.update(v, this.normB, this.normQ);
      }
      const ktRatio = v.kappa / v.tau;
      if (Number.isFinite(res.merit())) {
        if (ktRatio <= 1 && res.isSolved(s.reducedTolFeas, s.reducedTolGapAbs, s.reducedTolGapRel)) final = 'almostSolved';
        else if (ktRatio > 1 / s.reducedTolKtRatio && res.isPrimalInfeasible(s.reducedTolInfeasAbs, s.reducedTolInfeasRel)) final = 'almostPrimalInfeasible';
        else if (ktRatio > 1 / s.reducedTolKtRatio && res.isDualInfeasible(s.reducedTolInfeasAbs, s.reducedTolInfeasRel)) final = 'almostDualInfeasible';
      }
    }
    return this.finishAs(final, iterations, start, factorMs);
  }

  /** The solution of status `final` from the current iterate (kept for warm starts when solved). */
  private finishAs(final: SolveStatus, iterations: number, start: number, factorMs: number): ConicSolution {
    const { v, residuals: res } = this;
    if (final === 'solved' || final === 'almostSolved') {
      this.previous.copyFrom(v);
      this.hasPrevious = true;
    }
    const solution = buildSolution(this.data, v, res, final, iterations, {
      setupMs: this.setupMs,
      factorMs,
      solveMs: performance.now() - start + this.setupMs,
    });
    this.setupMs = 0;
    return solution;
  }

  /**
   * Default start: with W = I, solve [P + I, A'; A, -I][x; v] = [-q; b]; then s = -v and z = v,
   * each shifted into its cone if it is not comfortably inside (min eigenvalue set to 1).
   * The +I keeps x bounded when P and A share a null direction (free variables, LPs).
   */
  private coldStart(): boolean {
    const { v, cones, kkt, data } = this;
    const { n, m } = data;
    v.s.fill(0);
    v.z.fill(0);
    cones.addIdentity(v.s, 1);
    cones.addIdentity(v.z, 1);
    if (!cones.updateScaling(v.s, v.z) || !kkt.factor(cones, 1)) return false;
    for (let j = 0; j < n; j++) this.rhs[j] = -data.q[j]!;
    for (let i = 0; i < m; i++) this.rhs[n + i] = data.b[i]!;
    kkt.solve(this.rhs, this.stepSolution);
    for (let j = 0; j < n; j++) v.x[j] = this.stepSolution[j]!;
    for (let i = 0; i < m; i++) {
      v.z[i] = this.stepSolution[n + i]!;
      v.s[i] = -v.z[i]!;
    }
    this.shiftIntoCone(v.s);
    this.shiftIntoCone(v.z);
    v.tau = 1;
    v.kappa = 1;
    return true;
  }

  /** Previous solution (normalized by tau) pushed slightly into the cones. */
  private warmStart(): void {
    const { v, previous } = this;
    const t = previous.tau;
    for (let j = 0; j < v.x.length; j++) v.x[j] = previous.x[j]! / t;
    for (let i = 0; i < v.s.length; i++) {
      v.s[i] = previous.s[i]! / t;
      v.z[i] = previous.z[i]! / t;
    }
    const push = WARM_START_PUSH;
    for (const u of [v.s, v.z]) {
      const lowest = this.cones.minEigenvalue(u);
      this.cones.addIdentity(u, Math.max(0, push - lowest));
    }
    v.tau = 1;
    v.kappa = push;
  }

  private shiftIntoCone(u: Float64Array): void {
    const lowest = this.cones.minEigenvalue(u);
    let norm = 0;
    for (let i = 0; i < u.length; i++) norm = Math.max(norm, Math.abs(u[i]!));
    if (lowest <= 1e-8 * Math.max(1, norm)) this.cones.addIdentity(u, 1 - lowest);
    else this.cones.zero.zeroRows(u);
  }

  /**
   * K [x1; z1] = [-q; b] and the tau denominator -kappa/tau + (q + 2P xi)'x1 + b'z1 - xi'P xi
   * (xi = x/tau). It is computed from the same solves as the numerator so that large components
   * of x1 and x2 along null directions of [P; A] (which regularization lets grow like 1/eps)
   * cancel in dtau. In exact arithmetic it equals -(kappa/tau + ||x1 - xi||_P^2 + ||z1||_H^2) < 0;
   * that form is the fallback if round-off makes the direct one non-negative.
   */
  private solveConstantColumn(): void {
    const { v, data, kkt, rhs, constantSolution: sol, scratchN, scratchN2, residuals: res } = this;
    const { n, m } = data;
    for (let j = 0; j < n; j++) rhs[j] = -data.q[j]!;
    for (let i = 0; i < m; i++) rhs[n + i] = data.b[i]!;
    kkt.solve(rhs, sol, this.refinementTol);
    const tau = v.tau;
    // q + 2 P xi (xi = x/tau) multiplies x1 here and x2 in both directions of this iteration
    const tauRow = this.tauRow;
    for (let j = 0; j < n; j++) tauRow[j] = data.q[j]! + (2 * res.Px[j]!) / tau;
    let direct = -v.kappa / tau - res.xPx / (tau * tau);
    for (let j = 0; j < n; j++) direct += tauRow[j]! * sol[j]!;
    for (let i = 0; i < m; i++) direct += data.b[i]! * sol[n + i]!;
    if (direct < 0) {
      this.denominator = direct;
      return;
    }
    for (let j = 0; j < n; j++) scratchN[j] = sol[j]! - v.x[j]! / tau;
    symmetricUpperMulAdd(data.P, scratchN, scratchN2, 1, 0);
    const quad = dot(scratchN, scratchN2);
    this.denominator = -(v.kappa / tau + quad + this.cones.hessianQuadForm(sol.subarray(n)));
  }

  /**
   * Newton direction for residual weight eta, complementarity target ds (lambda space) and
   * tau-kappa target kappaTarget: solve K [x2; z2] = [-eta r1; -eta r2 + W(lambda \ ds)],
   * then dtau from the third row, dx = x2 + dtau x1, dz = z2 + dtau z1,
   * ds = -W(lambda \ ds + W dz), dkappa = -(kappaTarget + kappa dtau) / tau.
   */
  private solveDirection(eta: number, ds: Float64Array, kappaTarget: number, refinementTol = this.refinementTol): void {
    const { v, step, data, kkt, rhs, constantSolution: sol1, stepSolution: sol2, residuals: res, cones, scratchM } = this;
    const { n, m } = data;
    cones.scaledRhs(ds, scratchM);
    for (let j = 0; j < n; j++) rhs[j] = -eta * res.r1[j]!;
    for (let i = 0; i < m; i++) rhs[n + i] = -eta * res.r2[i]! + scratchM[i]!;
    kkt.solve(rhs, sol2, refinementTol);
    let qx2 = 0;
    const tauRow = this.tauRow;
    for (let j = 0; j < n; j++) qx2 += tauRow[j]! * sol2[j]!;
    let bz2 = 0;
    for (let i = 0; i < m; i++) bz2 += data.b[i]! * sol2[n + i]!;
    const numerator = -eta * res.r3 + kappaTarget / v.tau - qx2 - bz2;
    const dtau = numerator / this.denominator;
    for (let j = 0; j < n; j++) step.x[j] = sol2[j]! + dtau * sol1[j]!;
    for (let i = 0; i < m; i++) step.z[i] = sol2[n + i]! + dtau * sol1[n + i]!;
    cones.deltaS(ds, step.z, step.s);
    if (cones.secondOrder.extraRows > 0) this.primalRowDs(eta, dtau);
    step.tau = dtau;
    step.kappa = -(kappaTarget + v.kappa * dtau) / v.tau;
  }

  /**
   * On sparse-expanded cones whose complementarity-form ds misses the linearized primal row by
   * more than PRIMAL_ROW_MISMATCH eta ||r2||, ds from that row, ds = -eta r2 + dtau b - A dx,
   * instead of -W(lambda \ ds + W dz): the KKT solve meets its tolerance relative to a
   * right-hand side that holds W (lambda \ ds), far larger than r2 near the boundary, and
   * W W dz turns that error into a primal residual that grew from 1e-7 to 1e-2 in the last
   * iterations (bench/conicStress.ts, large-cone-least-squares). Small dense cones keep the
   * complementarity form (on the bus subproblems the primal row cost iterations, docs/solver.md).
   */
  private primalRowDs(eta: number, dtau: number): void {
    const { step, data, residuals: res, cones, scratchM } = this;
    scratchM.fill(0);
    cscMulAdd(data.A, step.x, scratchM, 1, 0);
    const soc = cones.secondOrder;
    for (let b = 0; b < soc.offsets.length; b++) {
      if (soc.extraRow[b]! < 0) continue;
      const o = soc.offsets[b]!;
      const d = soc.dims[b]!;
      // keep the complementarity form while it misses the primal row by less than the residual
      // the step is to remove (eta ||r2||): then it can still shrink r2
      let mismatch = 0;
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const fromPrimalRow = -eta * res.r2[o + k]! + dtau * data.b[o + k]! - scratchM[o + k]!;
        mismatch = Math.max(mismatch, Math.abs(fromPrimalRow - step.s[o + k]!));
        r2 = Math.max(r2, Math.abs(res.r2[o + k]!));
      }
      if (mismatch <= PRIMAL_ROW_MISMATCH * eta * r2) continue;
      for (let k = 0; k < d; k++) step.s[o + k] = -eta * res.r2[o + k]! + dtau * data.b[o + k]! - scratchM[o + k]!;
    }
  }

  /** Largest step keeping s, z in their cones and tau, kappa >= 0. */
  private maxStep(): number {
    const { v, step, cones } = this;
    let alpha = Math.min(cones.maxStep(v.s, step.s), cones.maxStep(v.z, step.z));
    if (step.tau < 0) alpha = Math.min(alpha, -v.tau / step.tau);
    if (step.kappa < 0) alpha = Math.min(alpha, -v.kappa / step.kappa);
    return alpha;
  }

  /**
   * Shrinks alpha (x0.8, as Clarabel's backtracking) until the new s, z, tau and kappa pass the
   * strict interior tests of the next scaling: on degenerate cones the closed-form step can land
   * on the boundary by round-off, which used to end the run as numericalError.
   */
  private interiorStep(alpha: number): number {
    const { v, step, cones } = this;
    let a = alpha;
    for (let k = 0; k < BACKTRACK_LIMIT; k++) {
      if (cones.stepIsInterior(v.s, step.s, a) && cones.stepIsInterior(v.z, step.z, a)
        && v.tau + a * step.tau > 0 && v.kappa + a * step.kappa > 0) return a;
      a *= BACKTRACK_FACTOR;
    }
    return a;
  }

  private refreshNorms(): void {
    const { D, E, c } = this.data.scaling;
    let nb = 0;
    for (let i = 0; i < this.data.m; i++) nb = Math.max(nb, Math.abs(this.data.b[i]! / E[i]!));
    let nq = 0;
    for (let j = 0; j < this.data.n; j++) nq = Math.max(nq, Math.abs(this.data.q[j]! / (D[j]! * c)));
    this.normB = nb;
    this.normQ = nq;
  }

  private checkVector(field: string, values: Float64Array, length: number): void {
    if (!(values instanceof Float64Array) || values.length !== length) {
      throw new ConicInputError(field, `must be a Float64Array of length ${length}`, ['pass a vector of the same length as at creation']);
    }
    for (let i = 0; i < length; i++) {
      if (!Number.isFinite(values[i]!)) throw new ConicInputError(`${field}[${i}]`, `is ${String(values[i])}`, ['pass finite numbers only']);
    }
  }
}
