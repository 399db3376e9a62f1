/**
 * The re-solvable conic solver the ADMM tests use: the project's own `createConicSolver` when
 * src/conic has landed in this build, otherwise SCS re-run from scratch on the updated data
 * (GC_TEST_SOLVER=scs forces SCS).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConicProblem, ConicSolver, SolverSettings } from '../../src/conic/types.js';
import { loadScsSolve } from './scsSolve.js';

export type TestSolverFactory = (problem: ConicProblem, settings: Partial<SolverSettings>) => ConicSolver;

export async function conicSolverFactory(): Promise<TestSolverFactory> {
  const conicIndex = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'conic', 'index.js');
  if (process.env['GC_TEST_SOLVER'] !== 'scs' && existsSync(conicIndex)) {
    const mod = (await import(conicIndex)) as { createConicSolver: TestSolverFactory };
    return (p, s) => mod.createConicSolver(p, s);
  }
  const scs = await loadScsSolve();
  return (problem, settings) => {
    const data: ConicProblem = { ...problem, q: Float64Array.from(problem.q), P: { ...problem.P, nzval: Float64Array.from(problem.P.nzval) } };
    return {
      solve: () => scs(data, settings),
      updateLinearCost: (q) => { data.q = Float64Array.from(q); },
      updateRhs: (b) => { data.b = Float64Array.from(b); },
      updateQuadraticCostValues: (values) => { data.P = { ...data.P, nzval: Float64Array.from(values) }; },
    };
  };
}
