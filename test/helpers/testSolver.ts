/**
 * The conic solve function the model tests use: the project's own solver when src/conic has
 * landed in this build, SCS otherwise (GC_TEST_SOLVER=scs forces SCS).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConicProblem, ConicSolution, SolverSettings } from '../../src/conic/types.js';
import { loadScsSolve } from './scsSolve.js';

export type TestSolve = (problem: ConicProblem, settings: Partial<SolverSettings>) => ConicSolution;

export async function testSolver(): Promise<TestSolve> {
  const conicIndex = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'conic', 'index.js');
  if (process.env['GC_TEST_SOLVER'] !== 'scs' && existsSync(conicIndex)) {
    const mod = (await import(conicIndex)) as { solveConic: TestSolve };
    return (p, s) => mod.solveConic(p, s);
  }
  const scs = await loadScsSolve();
  return (p, s) => scs(p, s);
}
