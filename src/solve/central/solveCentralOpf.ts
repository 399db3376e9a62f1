/** The central OPF with the project's own interior-point solver. */
import { solveConic } from '../../conic/index.js';
import type { Scenario } from '../../scenario/types.js';
import type { CentralOpfOptions } from './buildCentralOpf.js';
import { runCentralOpf, type CentralOpfResult } from './runCentralOpf.js';

/**
 * Solves the centralized problem (model.md eq. 10) and returns the Schedule with DLMPs and
 * their decomposition.
 * @throws GridError when the problem has no solution, naming the likely culprit when it can.
 */
export function solveCentralOpf(scenario: Scenario, options: CentralOpfOptions = {}): CentralOpfResult {
  return runCentralOpf(scenario, options, (problem, settings) => solveConic(problem, settings));
}
