/**
 * Independent checks of a returned solution or certificate against the caller's data (never
 * against the solver's own figures): the KKT conditions, the known optimal value, and the
 * defining properties of infeasibility certificates. Used by bench/conicStress.ts and tests.
 */
import { cscMulAdd, cscTransposeMulAdd, symmetricUpperMulAdd } from '../sparse/cscMatVec.js';
import type { ConicProblem, ConicSolution } from '../types.js';
import { coneViolation, dotOf, maxAbs } from './conicTestKit.js';
import type { StressExpectation } from './stressProblems.js';

/** Tolerances of the independent checks (100x the solver's own 1e-8 where the measure matches). */
export interface KktCheckTolerances {
  /** Relative objective error against the known optimum. */
  objective: number;
  /** ||Ax + s - b|| and ||Px + q + A'y|| relative to the largest term in each. */
  residual: number;
  /** |s'y| relative to the objective's terms; cone violation of s and y relative to their size. */
  complementarity: number;
  /** Certificates: ||A'y|| <= tol |b'y| (primal), ||Px||, ||Ax + s|| <= tol |q'x| (dual), each normalized to norm 1. */
  certificate: number;
}

export const defaultKktCheckTolerances: KktCheckTolerances = { objective: 1e-6, residual: 1e-7, complementarity: 1e-6, certificate: 1e-6 };

export interface KktMeasures {
  objectiveError?: number;
  primalResidual: number;
  dualResidual: number;
  complementarity: number;
  sConeViolation: number;
  yConeViolation: number;
}

/** The failed checks (empty: passed) for a solution with status solved. */
export function checkOptimal(problem: ConicProblem, sol: ConicSolution, knownObjective: number | undefined, tol = defaultKktCheckTolerances): { failures: string[]; measures: KktMeasures } {
  const n = problem.q.length;
  const m = problem.b.length;
  const failures: string[] = [];
  const Ax = new Float64Array(m);
  cscMulAdd(problem.A, sol.x, Ax, 1, 0);
  const r = new Float64Array(m);
  for (let i = 0; i < m; i++) r[i] = Ax[i]! + sol.s[i]! - problem.b[i]!;
  const primalScale = 1 + Math.max(maxAbs(problem.b), maxAbs(Ax), maxAbs(sol.s));
  const Px = new Float64Array(n);
  symmetricUpperMulAdd(problem.P, sol.x, Px, 1, 0);
  const Aty = new Float64Array(n);
  cscTransposeMulAdd(problem.A, sol.y, Aty, 1, 0);
  const rd = new Float64Array(n);
  for (let j = 0; j < n; j++) rd[j] = Px[j]! + problem.q[j]! + Aty[j]!;
  const dualScale = 1 + Math.max(maxAbs(problem.q), maxAbs(Px), maxAbs(Aty));
  const xPx = dotOf(sol.x, Px);
  const qx = dotOf(problem.q, sol.x);
  const objective = 0.5 * xPx + qx;
  const size = 1 + Math.max(Math.abs(objective), Math.abs(qx), Math.abs(xPx), Math.abs(dotOf(problem.b, sol.y)));
  const measures: KktMeasures = {
    primalResidual: maxAbs(r) / primalScale,
    dualResidual: maxAbs(rd) / dualScale,
    complementarity: Math.abs(dotOf(sol.s, sol.y)) / size,
    sConeViolation: coneViolation(problem.cones, sol.s) / primalScale,
    yConeViolation: coneViolation(problem.cones, sol.y, true) / dualScale,
  };
  if (!(measures.primalResidual <= tol.residual)) failures.push(`primal residual ${measures.primalResidual.toExponential(1)}`);
  if (!(measures.dualResidual <= tol.residual)) failures.push(`dual residual ${measures.dualResidual.toExponential(1)}`);
  if (!(measures.complementarity <= tol.complementarity)) failures.push(`complementarity ${measures.complementarity.toExponential(1)}`);
  if (!(measures.sConeViolation <= tol.residual)) failures.push(`s outside K by ${measures.sConeViolation.toExponential(1)}`);
  if (!(measures.yConeViolation <= tol.residual)) failures.push(`y outside K* by ${measures.yConeViolation.toExponential(1)}`);
  if (knownObjective !== undefined) {
    measures.objectiveError = Math.abs(objective - knownObjective) / Math.max(1, Math.abs(knownObjective));
    if (!(measures.objectiveError <= tol.objective)) failures.push(`objective ${objective} vs ${knownObjective} (${measures.objectiveError.toExponential(1)})`);
  }
  return { failures, measures };
}

/** Failed checks of a Farkas certificate y: b'y < 0, A'y = 0, y in K* (y scaled to norm 1). */
export function checkPrimalCertificate(problem: ConicProblem, y: Float64Array, tol = defaultKktCheckTolerances): string[] {
  const norm = maxAbs(y);
  if (!(norm > 0 && Number.isFinite(norm))) return ['certificate y is zero or not finite'];
  const yn = y.map((v) => v / norm);
  const by = dotOf(problem.b, yn);
  const Aty = new Float64Array(problem.q.length);
  cscTransposeMulAdd(problem.A, yn, Aty, 1, 0);
  const failures: string[] = [];
  if (!(by < 0)) return [`b'y = ${by} is not negative`];
  if (!(maxAbs(Aty) <= tol.certificate * -by)) failures.push(`||A'y|| ${maxAbs(Aty).toExponential(1)} against b'y ${by.toExponential(1)}`);
  if (!(coneViolation(problem.cones, yn, true) <= tol.certificate * -by)) failures.push(`y outside K* by ${coneViolation(problem.cones, yn, true).toExponential(1)}`);
  return failures;
}

/** Failed checks of an unbounded direction (x, s): q'x < 0, Px = 0, Ax + s = 0, s in K (scaled to norm 1). */
export function checkDualCertificate(problem: ConicProblem, x: Float64Array, s: Float64Array, tol = defaultKktCheckTolerances): string[] {
  const norm = Math.max(maxAbs(x), maxAbs(s));
  if (!(norm > 0 && Number.isFinite(norm))) return ['certificate x is zero or not finite'];
  const xn = x.map((v) => v / norm);
  const sn = s.map((v) => v / norm);
  const qx = dotOf(problem.q, xn);
  if (!(qx < 0)) return [`q'x = ${qx} is not negative`];
  const Px = new Float64Array(problem.q.length);
  symmetricUpperMulAdd(problem.P, xn, Px, 1, 0);
  const Axs = Float64Array.from(sn);
  cscMulAdd(problem.A, xn, Axs, 1, 1);
  const failures: string[] = [];
  if (!(maxAbs(Px) <= tol.certificate * -qx)) failures.push(`||Px|| ${maxAbs(Px).toExponential(1)} against q'x ${qx.toExponential(1)}`);
  if (!(maxAbs(Axs) <= tol.certificate * -qx)) failures.push(`||Ax + s|| ${maxAbs(Axs).toExponential(1)} against q'x ${qx.toExponential(1)}`);
  if (!(coneViolation(problem.cones, sn) <= tol.certificate * -qx)) failures.push(`s outside K by ${coneViolation(problem.cones, sn).toExponential(1)}`);
  return failures;
}

/** Every failed check of a solve against what the problem is known to be (empty: passed). */
export function checkAgainstExpectation(problem: ConicProblem, expected: StressExpectation, knownObjective: number | undefined, sol: ConicSolution): string[] {
  if (expected === 'solved') {
    if (sol.status !== 'solved') return [`status ${sol.status}`];
    return checkOptimal(problem, sol, knownObjective).failures;
  }
  const allowed = expected === 'infeasible' ? ['primalInfeasible', 'dualInfeasible'] : [expected];
  if (!allowed.includes(sol.status)) return [`status ${sol.status}, expected ${allowed.join(' or ')}`];
  return sol.status === 'primalInfeasible' ? checkPrimalCertificate(problem, sol.y) : checkDualCertificate(problem, sol.x, sol.s);
}
