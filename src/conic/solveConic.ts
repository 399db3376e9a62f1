import { InteriorPointSolver } from './ipm/interiorPointSolver.js';
import type { ConicProblem, ConicSolution, ConicSolver, SolverSettings } from './types.js';

/**
 * Solves minimize 1/2 x'Px + q'x subject to Ax + s = b, s in K, by a primal-dual interior-point
 * method. Outcomes such as infeasibility are statuses, not exceptions.
 * @throws ConicInputError when the problem or a setting is malformed.
 * @example
 * const sol = solveConic({
 *   P: cscFromTriplets(1, 1, [], [], []), q: Float64Array.of(1),
 *   A: cscFromTriplets(1, 1, [0], [0], [-1]), b: Float64Array.of(-2),
 *   cones: [{ type: 'nonnegative', dim: 1 }],
 * }); // minimize x s.t. x >= 2: sol.x[0] ~ 2, sol.y[0] ~ 1
 */
export function solveConic(problem: ConicProblem, settings?: Partial<SolverSettings>): ConicSolution {
  return new InteriorPointSolver(problem, settings).solve();
}

/**
 * A solver for repeated solves of one sparsity pattern: the equilibration of the matrices, the
 * KKT pattern, its ordering and symbolic factorization, and all work arrays are built once;
 * `update*` only rewrites data.
 * @throws ConicInputError when the problem or a setting is malformed.
 */
export function createConicSolver(problem: ConicProblem, settings?: Partial<SolverSettings>): ConicSolver {
  return new InteriorPointSolver(problem, settings);
}
