/**
 * Builds, solves and reads back the central OPF with a given conic solve function (the
 * project's own solver by default via solveCentralOpf; tests may pass another).
 */
import { GridError } from '../../core/errors.js';
import type { ConicProblem, ConicSolution, SolverSettings } from '../../conic/types.js';
import type { Scenario } from '../../scenario/types.js';
import type { Schedule } from '../../schedule/schedule.js';
import { buildCentralOpf, defaultLossPrice, type CentralOpf, type CentralOpfOptions } from './buildCentralOpf.js';
import { computeDlmps, type DlmpDecomposition } from './dlmp.js';
import { diagnoseInfeasibility } from './diagnoseInfeasibility.js';
import { extractBuses } from './extractSchedule.js';

export type ConicSolveFunction = (problem: ConicProblem, settings: Partial<SolverSettings>) => ConicSolution;

export interface CentralOpfResult {
  schedule: Schedule;
  dlmp: DlmpDecomposition;
  opf: CentralOpf;
  solution: ConicSolution;
}

export const defaultCentralSettings: Partial<SolverSettings> = { tolGapAbs: 1e-8, tolGapRel: 1e-8, tolFeas: 1e-8 };

export function runCentralOpf(scenario: Scenario, options: CentralOpfOptions, solve: ConicSolveFunction): CentralOpfResult {
  const opf = buildCentralOpf(scenario, options);
  const solution = solve(opf.program.problem, { ...defaultCentralSettings, ...options.solverSettings });
  if (solution.status !== 'solved' && solution.status !== 'almostSolved') throw unsolvedError(scenario, solution);
  const dlmp = computeDlmps(opf, solution.y);
  const buses = extractBuses(opf, solution);
  const lossPrice = options.lossPrice ?? defaultLossPrice;
  const relaxations = [
    'line flows use the second-order-cone relaxation l·v ≥ P² + Q² (exact when the cone gap is zero; see the checks)',
  ];
  if (lossPrice > 0) {
    relaxations.push(`line losses carry a small price of ${lossPrice} per MWh in the objective so that the exact (tight-cone) point is chosen when energy is free`);
  }
  if (scenario.buses.some((b) => b.devices.some((d) => d.kind === 'deferrableLoad'))) {
    relaxations.push('deferrable loads: the binary start is relaxed to a departure process d(t) in [0, 1]; startSpread > 0 means the start is split over several periods');
  }
  const schedule: Schedule = {
    format: 'gridconsensus.schedule/1',
    method: 'central',
    convention: opf.convention,
    periods: scenario.periods,
    dtHours: scenario.dtHours,
    baseMva: scenario.baseMva,
    buses,
    totalCost: solution.objective + opf.program.constantCost,
    prices: { active: dlmp.active.total, reactive: dlmp.reactive.total },
    solver: {
      status: solution.status,
      iterations: solution.iterations,
      primalResidual: solution.primalResidual,
      dualResidual: solution.dualResidual,
      gap: solution.gap,
      timings: { buildMs: opf.buildMs, setupMs: solution.timings.setupMs, factorMs: solution.timings.factorMs, solveMs: solution.timings.solveMs },
    },
    relaxations,
    provenance: {
      scenarioName: scenario.name,
      scenarioSource: scenario.source,
      seed: scenario.seed ?? null,
      options: { convention: opf.convention, lossPrice, solverSettings: { ...defaultCentralSettings, ...stripFunctions(options.solverSettings ?? {}) } },
      producedBy: 'solveCentralOpf',
    },
  };
  return { schedule, dlmp, opf, solution };
}

function stripFunctions(settings: Partial<SolverSettings>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => typeof v !== 'function'));
}

function unsolvedError(scenario: Scenario, solution: ConicSolution): GridError {
  const infeasible = solution.status === 'primalInfeasible' || solution.status === 'almostPrimalInfeasible';
  const hints = infeasible || solution.status !== 'dualInfeasible' ? diagnoseInfeasibility(scenario) : [];
  if (hints.length > 0) {
    return new GridError(`the central OPF of '${scenario.name}' has no solution (solver status ${solution.status}): ${hints[0]!.message}`, {
      field: hints[0]!.field,
      details: hints.slice(1).map((h) => `${h.field}: ${h.message}`),
      fix: [hints[0]!.fix],
      exitCode: 3,
    });
  }
  if (infeasible) {
    return new GridError(`the scenario '${scenario.name}' is infeasible (solver status ${solution.status})`, {
      fix: ['relax the voltage limits (voltageSqMin/voltageSqMax)', 'add generation or reduce load where voltages are low', 'free the substation voltage (substationVoltage.mode = "free")'],
      exitCode: 3,
    });
  }
  return new GridError(`the solver stopped with status ${solution.status} after ${solution.iterations} iterations on '${scenario.name}'`, {
    fix: ['raise solverSettings.maxIter or loosen the tolerances', 'check for very large or very small numbers in the case (per-unit scaling)'],
    exitCode: 3,
  });
}
