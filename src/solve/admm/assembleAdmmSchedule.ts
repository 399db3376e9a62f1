/**
 * Turns an ADMM run into the same Schedule the central OPF produces (src/schedule/): each bus's
 * devices, injections and own line/voltage values from its last local solve, DLMPs from each
 * bus's local real-power balance multiplier (model.md §Consensus ADMM, last paragraph).
 */
import type { Scenario } from '../../scenario/types.js';
import type { Schedule } from '../../schedule/schedule.js';
import type { ResolvedAdmmOptions } from './admmOptions.js';
import type { AdmmRun } from './admmLoop.js';

export function assembleAdmmSchedule(scenario: Scenario, options: ResolvedAdmmOptions, run: AdmmRun, buildMs: number): Schedule {
  const last = run.trace[run.trace.length - 1];
  const relaxations = [
    'line flows use the second-order-cone relaxation l·v ≥ P² + Q² (exact when the cone gap is zero; see the checks)',
    'consensus ADMM stops at a tolerance: bus copies of shared flows and voltages agree only up to the primal residual',
  ];
  if (scenario.buses.some((b) => b.devices.some((d) => d.kind === 'deferrableLoad'))) {
    relaxations.push('deferrable loads: the binary start is relaxed to a departure process d(t) in [0, 1]; startSpread > 0 means the start is split over several periods');
  }
  return {
    format: 'gridconsensus.schedule/1',
    method: 'admm',
    convention: options.convention,
    periods: scenario.periods,
    dtHours: scenario.dtHours,
    baseMva: scenario.baseMva,
    buses: run.finals.map((f) => ({
      index: f.bus,
      id: scenario.buses[f.bus]!.id,
      p: f.injectionP,
      q: f.injectionQ,
      pFlow: f.pFlow,
      qFlow: f.qFlow,
      currentSq: f.currentSq,
      voltageSq: f.voltageSq,
      devices: f.devices,
    })),
    totalCost: run.finals.reduce((sum, f) => sum + f.cost, 0),
    prices: { active: run.finals.map((f) => f.price), reactive: run.finals.map((f) => f.reactivePrice) },
    solver: {
      status: run.status,
      iterations: run.iterations,
      primalResidual: last?.primalResidual ?? Number.NaN,
      dualResidual: last?.dualResidual ?? Number.NaN,
      gap: 0,
      timings: { buildMs, setupMs: 0, factorMs: 0, solveMs: run.loopMs },
    },
    relaxations,
    provenance: {
      scenarioName: scenario.name,
      scenarioSource: scenario.source,
      seed: scenario.seed ?? null,
      options: {
        convention: options.convention,
        rho: options.rho,
        finalRho: run.state.rho,
        residualBalancing: options.residualBalancing,
        alpha: options.alpha,
        stopping: options.stopping,
        maxIterations: options.maxIterations,
        initialPoint: options.initialPoint,
        couplingWeights: options.couplingWeights,
        solverSettings: Object.fromEntries(Object.entries(options.solverSettings).filter(([, v]) => typeof v !== 'function')),
      },
      producedBy: 'runAdmm',
    },
  };
}
