/**
 * Test-only adapter: solves a ConicProblem with SCS (WebAssembly, first-order) so formulations
 * can be checked at SCS accuracy independently of the project's own solver.
 */
import type { ConicProblem, ConicSolution, SolveStatus, SolverSettings } from '../../src/conic/types.js';

type ScsModule = {
  ScsSettings: new () => Record<string, unknown>;
  setDefaultSettings(s: Record<string, unknown>): void;
  solve(data: unknown, cone: unknown, settings: unknown): {
    x: number[]; y: number[]; s: number[]; statusVal: number;
    info: { iter: number; pobj: number; dobj: number; resPri: number; resDual: number; solveTime: number; setupTime: number };
  };
};

let scs: ScsModule | undefined;

/** Loads the WebAssembly module once; returns a synchronous solve function. */
export async function loadScsSolve(): Promise<(problem: ConicProblem, settings?: Partial<SolverSettings>) => ConicSolution> {
  if (!scs) {
    const name = 'scs-solver';
    const mod = (await import(name)) as { default: () => Promise<ScsModule> };
    scs = await mod.default();
  }
  const module = scs;
  return (problem, settings = {}) => {
    let zero = 0;
    let nonneg = 0;
    const soc: number[] = [];
    for (const c of problem.cones) {
      if (c.type === 'zero') zero += c.dim;
      else if (c.type === 'nonnegative') nonneg += c.dim;
      else if (c.type === 'secondOrder') soc.push(c.dim);
      else throw new Error('scsSolve: rotated cones are not supported by this adapter');
    }
    const data = {
      m: problem.A.nrows, n: problem.A.ncols,
      A_x: Array.from(problem.A.nzval), A_i: Array.from(problem.A.rowval), A_p: Array.from(problem.A.colptr),
      P_x: Array.from(problem.P.nzval), P_i: Array.from(problem.P.rowval), P_p: Array.from(problem.P.colptr),
      b: Array.from(problem.b), c: Array.from(problem.q),
    };
    const cone = { z: zero, l: nonneg, q: soc, qsize: soc.length };
    const s = new module.ScsSettings();
    module.setDefaultSettings(s);
    s['epsAbs'] = Math.min(settings.tolFeas ?? 1e-9, 1e-9);
    s['epsRel'] = Math.min(settings.tolGapRel ?? 1e-9, 1e-9);
    s['maxIters'] = 200000;
    s['verbose'] = 0;
    const r = module.solve(data, cone, s);
    const code = r.statusVal;
    const status: SolveStatus = code === 1 ? 'solved' : code === 2 ? 'almostSolved'
      : code === -2 || code === -7 ? 'primalInfeasible' : code === -1 || code === -6 ? 'dualInfeasible' : 'maxIterations';
    return {
      status,
      x: Float64Array.from(r.x ?? []), s: Float64Array.from(r.s ?? []), y: Float64Array.from(r.y ?? []),
      objective: r.info.pobj, dualObjective: r.info.dobj, iterations: r.info.iter,
      primalResidual: r.info.resPri, dualResidual: r.info.resDual, gap: Math.abs(r.info.pobj - r.info.dobj),
      timings: { setupMs: r.info.setupTime, factorMs: 0, solveMs: r.info.solveTime },
    };
  };
}
