/**
 * Consensus ADMM in this thread: every bus's subproblem built once, then the loop of
 * admmLoop.ts. The worker-thread version (parallelAdmm.ts) runs the same code per bus and gives
 * identical iterates.
 */
import type { Scenario } from '../../scenario/types.js';
import type { Schedule } from '../../schedule/schedule.js';
import { buildCouplingLayout, type CouplingLayout } from '../../model/coupling/couplingLayout.js';
import type { ConicSolverFactory } from '../../model/problems/busSubproblemSolver.js';
import { busLocalSettings, resolveAdmmOptions, type AdmmIterationInfo, type AdmmOptions, type ResolvedAdmmOptions } from './admmOptions.js';
import { checkedStart, runAdmmLoop, type AdmmExecutor, type AdmmStatus } from './admmLoop.js';
import { assembleAdmmSchedule } from './assembleAdmmSchedule.js';
import { createBusGroup } from './busGroup.js';
import type { CoordinatorState } from './coordinatorStep.js';
import { dualOffsets, forecastSubstationPrice } from './priceForecast.js';
import { forecastDualOffsets, resolveInitialPoint } from './forecastStart.js';
import { admmEntryScale } from './entryWeights.js';
import type { EntryScale } from '../../model/problems/busSubproblem.js';

export interface AdmmResult {
  schedule: Schedule;
  status: AdmmStatus;
  iterations: number;
  /** Residuals, rho and cost per iteration. */
  trace: AdmmIterationInfo[];
  /** Final coordinator state (z, xi, rho). */
  state: CoordinatorState;
  /** xi + each bus's dual offsets: the start of a later run (AdmmStart.duals). */
  finalDuals: Float64Array;
  layout: CouplingLayout;
  options: ResolvedAdmmOptions;
  /** Time to build every subproblem and solver, ms. */
  buildMs: number;
  /** Number of worker threads (0 = this thread). */
  workers: number;
}

/** The project's conic solver (src/conic), loaded on first use. */
export const defaultSolverModule = new URL('../../conic/index.js', import.meta.url).href;

/**
 * Runs consensus ADMM on `scenario` in this thread.
 * @param createSolver the conic solver factory for the subproblems (default: src/conic's createConicSolver).
 * @throws GridError on bad options or when a bus's subproblem has no solution.
 */
export async function runAdmm(scenario: Scenario, options: AdmmOptions = {}, createSolver?: ConicSolverFactory): Promise<AdmmResult> {
  createSolver ??= ((await import(defaultSolverModule)) as { createConicSolver: ConicSolverFactory }).createConicSolver;
  const resolved = resolveAdmmOptions(options, scenario);
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods, resolved.convention);
  const buildStart = performance.now();
  const entryScale = admmEntryScale(scenario, layout, resolved.couplingWeights, resolved.entryWeights);
  const offsets = admmDualOffsets(scenario, layout, resolved, entryScale);
  const group = createBusGroup(scenario, layout, {
    buses: scenario.buses.map((_, b) => b),
    rho: resolved.rho,
    scale: entryScale,
    solverSettings: resolved.solverSettings,
    dualOffset: offsets,
    local: busLocalSettings(resolved),
  }, createSolver);
  const buildMs = performance.now() - buildStart;
  const executor: AdmmExecutor = {
    iterate: async (zLocal, xi, rho) => {
      const out = group.solve(zLocal, xi, rho);
      return { local: out.local, busCost: out.cost, solverIterations: out.solverIterations, repeatedSolves: out.repeatedSolves };
    },
    finals: async () => group.finals(),
    close: async () => {},
  };
  const run = await runAdmmLoop(scenario, layout, resolved, entryScale, executor, options);
  return {
    schedule: assembleAdmmSchedule(scenario, resolved, run, buildMs),
    status: run.status,
    iterations: run.iterations,
    trace: run.trace,
    state: run.state,
    finalDuals: addOffsets(run.state.xi, offsets),
    layout,
    options: resolved,
    buildMs,
    workers: 0,
  };
}

/**
 * The zero-sum dual warm start of every local value (bus order), or null when it is off: a previous
 * run's duals, the forecast OPF's consensus duals when the start is the forecast OPF (forecastStart.ts),
 * else (or when the forecast has no solution) the λ0 price forecast on the real flows.
 */
export function admmDualOffsets(scenario: Scenario, layout: CouplingLayout, options: ResolvedAdmmOptions, entryScale: EntryScale): Float64Array | null {
  if (options.start) return checkedStart(options.start.duals, layout.totalCopies, 'start.duals');
  if (!options.dualWarmStart) return null;
  const forecast = resolveInitialPoint(scenario, options.initialPoint) === 'forecastOpf' ? forecastDualOffsets(scenario, layout, entryScale) : null;
  return forecast ?? dualOffsets(layout, scenario.buses.map((b) => b.parent), scenario.buses.map((b) => b.r), forecastSubstationPrice(scenario), entryScale);
}

/** xi + offsets (a copy), the effective duals of a run. */
export function addOffsets(xi: Float64Array, offsets: Float64Array | null): Float64Array {
  const out = Float64Array.from(xi);
  if (offsets) for (let c = 0; c < out.length; c++) out[c]! += offsets[c]!;
  return out;
}
