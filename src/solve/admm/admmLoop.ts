/**
 * The ADMM outer loop (model.md §Consensus ADMM): buses solve at (z^k, xi^k, rho^k), the
 * coordinator step turns their local vectors into (z^{k+1}, xi^{k+1}, rho^{k+1}), until the
 * stopping rule holds or the iteration budget runs out. Where the buses are solved (this thread
 * or workers) is the executor's business; the loop and its arithmetic are the same.
 */
import type { Scenario } from '../../scenario/types.js';
import type { CouplingLayout } from '../../model/coupling/couplingLayout.js';
import type { BusFinal } from './busGroup.js';
import type { AdmmIterationInfo, ResolvedAdmmOptions } from './admmOptions.js';
import { coordinatorStep, initialCoordinatorState, type CoordinatorState } from './coordinatorStep.js';
import { initialGlobalPoint } from './initialPoint.js';
import type { EntryScale } from '../../model/problems/busSubproblem.js';
import { GridError } from '../../core/errors.js';
import { createAccelerator, type AcceleratedPoint } from './acceleration.js';

/** Solves every bus's subproblem; arrays are concatenated in bus order (protocol local order). */
export interface AdmmExecutor {
  iterate(zLocal: Float64Array, xi: Float64Array, rho: number): Promise<{ local: Float64Array; busCost: Float64Array; solverIterations: Int32Array; repeatedSolves?: number }>;
  /** Every bus's values at its last solve, in bus order. */
  finals(): Promise<BusFinal[]>;
  close(): Promise<void>;
}

export type AdmmStatus = 'converged' | 'maxIterations' | 'stalled';

export interface AdmmRun {
  status: AdmmStatus;
  iterations: number;
  trace: AdmmIterationInfo[];
  /** Final coordinator state; with acceleration its xi is the accelerated algorithm's dual (acceleration.ts). */
  state: CoordinatorState;
  finals: BusFinal[];
  /** Wall time of the loop, ms (without building the subproblems). */
  loopMs: number;
}

/** Every bus's values at chosen iterations mid-run (benchmarks: cost and DLMP gaps over time). */
export interface AdmmSnapshots {
  at: readonly number[];
  take(iteration: number, finals: BusFinal[]): void;
}

export async function runAdmmLoop(
  scenario: Scenario,
  layout: CouplingLayout,
  options: ResolvedAdmmOptions,
  entryScale: EntryScale,
  executor: AdmmExecutor,
  hooks: { onIteration?: (info: AdmmIterationInfo) => void; snapshots?: AdmmSnapshots } = {},
): Promise<AdmmRun> {
  const { onIteration, snapshots } = hooks;
  const started = performance.now();
  let state = initialCoordinatorState(layout, options.rho, options.start
    ? checkedStart(options.start.z, layout.globalSize, 'start.z')
    : initialGlobalPoint(scenario, layout, options.initialPoint, entryScale));
  const settings = { alpha: options.alpha, stopping: options.stopping, residualBalancing: options.residualBalancing };
  const globalOfLocal = concatCopyMap(layout);
  const zLocal = new Float64Array(layout.totalCopies);
  const trace: AdmmIterationInfo[] = [];
  let status: AdmmStatus = 'maxIterations';
  // With acceleration the buses solve at a public point computed from the history; the protocol's step runs unchanged beside it.
  const rule = options.acceleration;
  const accelerator = rule.kind === 'none' ? null : createAccelerator(layout, rule);
  const accelerateFrom = rule.kind === 'none' ? Infinity : rule.fromIteration ?? 0;
  let point: AcceleratedPoint = { z: state.z, xi: state.xi };
  let acceleratedXi: Float64Array | null = null;
  while (state.iteration < options.maxIterations) {
    const iterationStart = performance.now();
    // Before `fromIteration` the buses solve at the protocol's point (e.g. while the local settings still act).
    const accelerating = state.iteration >= accelerateFrom;
    if (!accelerating) point = { z: state.z, xi: state.xi };
    for (let c = 0; c < zLocal.length; c++) zLocal[c] = point.z[globalOfLocal[c]!]!;
    const { local, busCost, solverIterations, repeatedSolves } = await executor.iterate(zLocal, point.xi, state.rho);
    let cost = 0;
    for (const c of busCost) cost += c;
    let maxSolverIterations = 0;
    let totalSolverIterations = 0;
    for (const n of solverIterations) {
      maxSolverIterations = Math.max(maxSolverIterations, n);
      totalSolverIterations += n;
    }
    const step = coordinatorStep(layout, state, local, settings);
    let accelerated: AdmmIterationInfo['accelerated'];
    let acceleratedConverged = false;
    if (accelerator) {
      // Before `fromIteration` the buses solved at the protocol's point, so the algorithm's step is the protocol's.
      const algorithm = accelerating ? coordinatorStep(layout, { ...state, z: point.z, xi: point.xi }, local, settings) : step;
      acceleratedConverged = algorithm.state.converged;
      acceleratedXi = algorithm.state.xi;
      accelerated = { dualResidual: algorithm.dualResidual, epsDual: algorithm.epsDual, restarts: 0 };
      if (accelerating) point = accelerator.next(point, { z: algorithm.state.z, xi: algorithm.state.xi }, step.rhoUsed);
      accelerated.restarts = accelerator.restarts();
    }
    // With acceleration the stopping test is the accelerated algorithm's own (its dual residual is rho·‖B(z^{k+1} − ẑ^k)‖, not the protocol's).
    state = accelerator ? { ...step.state, converged: acceleratedConverged } : step.state;
    const info: AdmmIterationInfo = {
      iteration: state.iteration,
      primalResidual: step.primalResidual,
      dualResidual: step.dualResidual,
      epsPri: step.epsPri,
      epsDual: step.epsDual,
      rho: step.rhoUsed,
      cost,
      ms: performance.now() - iterationStart,
      maxSolverIterations,
      meanSolverIterations: totalSolverIterations / Math.max(1, solverIterations.length),
      repeatedSolves: repeatedSolves ?? 0,
      ...(accelerated ? { accelerated } : {}),
    };
    trace.push(info);
    if (snapshots?.at.includes(state.iteration)) snapshots.take(state.iteration, await executor.finals());
    onIteration?.(info);
    if (state.converged) {
      status = 'converged';
      break;
    }
    if (!Number.isFinite(step.primalResidual) || !Number.isFinite(step.dualResidual)) {
      status = 'stalled';
      break;
    }
  }
  const finals = await executor.finals();
  // The run's duals are the accelerated algorithm's (the protocol's xi plus the public offset), so a later start or report uses those.
  if (acceleratedXi) state = { ...state, xi: acceleratedXi };
  return { status, iterations: state.iteration, trace, state, finals, loopMs: performance.now() - started };
}

/** Global index of every local value, buses concatenated. */
export function concatCopyMap(layout: CouplingLayout): Int32Array {
  const all = new Int32Array(layout.totalCopies);
  for (let b = 0; b < layout.busCount; b++) all.set(layout.copyMap[b]!, layout.localOffset[b]!);
  return all;
}

/** @throws GridError when a previous run's vector does not fit this layout. */
export function checkedStart(values: Float64Array, expected: number, field: string): Float64Array {
  if (values.length !== expected) {
    throw new GridError(`${field} has ${values.length} values, this feeder's coupling layout needs ${expected}`, {
      field, fix: ['start from a run of the same feeder, periods, convention and weights'],
    });
  }
  return Float64Array.from(values);
}
