/**
 * Consensus-ADMM benchmark on the SCE-56 paper scenario (24 h): iterations, cost gap and DLMP
 * gap against the central OPF, wall and CPU time per iteration and workers; once with the
 * defaults (docs/admm.md §Defaults) and once at the paper's own settings (rho = 100 in kW units,
 * fixed, eps_pri = 1e-3, eps_dual = 0.1; admmOptions.ts paperAdmmSettings). Cases 'case33bw' and
 * 'case69': the loads-only MATPOWER feeders with the defaults, i.e. the forecast start
 * (docs/admm.md §Forecast start), and with the LinDistFlow start beside them ('…-lindistflow').
 * Targets: ≤ 50 iterations, cost within 0.01 %, DLMPs within 0.5 %, ≤ 30 ms per iteration.
 * CPU time is process-wide (main thread and workers), so it stays meaningful on a shared machine.
 */
import { availableParallelism } from 'node:os';
import { loadScenario } from '../src/scenario/io.js';
import { solveCentralOpf } from '../src/solve/central/solveCentralOpf.js';
import { paperAdmmSettings, resolveAdmmOptions, type AdmmOptions } from '../src/solve/admm/admmOptions.js';
import { forecastOptimum, resolveInitialPoint } from '../src/solve/admm/forecastStart.js';
import { compareWithCentral } from '../src/solve/admm/compareWithCentral.js';
import { runAdmmParallel } from '../src/solve/admm/parallelAdmm.js';
import type { CentralOpfResult } from '../src/solve/central/runCentralOpf.js';
import type { Scenario } from '../src/scenario/types.js';
import { packagePath } from '../src/core/paths.js';

export interface AdmmBenchOptions {
  /** Worker threads (default: available cores, at most 2 as in the targets). */
  workers?: number;
  /** Cases to run (default all). */
  cases?: AdmmBenchCase[];
}

export type AdmmBenchCase = 'defaults' | 'paper-settings' | 'case33bw' | 'case33bw-lindistflow' | 'case69' | 'case69-lindistflow';

export async function runAdmmBench(options: AdmmBenchOptions = {}): Promise<object[]> {
  const workers = options.workers ?? Math.min(2, availableParallelism());
  const matpower = (name: string) => packagePath('test', 'data', 'matpower', `${name}.m`);
  const runs: Array<{ case: AdmmBenchCase; source: string; name: string; options: AdmmOptions }> = [
    { case: 'defaults', source: 'sce56-paper', name: 'sce56-paper/defaults', options: {} },
    { case: 'paper-settings', source: 'sce56-paper', name: 'sce56-paper/paper-settings', options: { ...paperAdmmSettings, maxIterations: 500 } },
    { case: 'case33bw', source: matpower('case33bw'), name: 'case33bw/forecast-start', options: {} },
    { case: 'case33bw-lindistflow', source: matpower('case33bw'), name: 'case33bw/lindistflow-start', options: { initialPoint: 'powerFlow' } },
    { case: 'case69', source: matpower('case69'), name: 'case69/forecast-start', options: {} },
    { case: 'case69-lindistflow', source: matpower('case69'), name: 'case69/lindistflow-start', options: { initialPoint: 'powerFlow' } },
  ];
  const rows: object[] = [];
  const loaded = new Map<string, { scenario: Scenario; central: CentralOpfResult }>();
  for (const run of runs.filter((r) => !options.cases || options.cases.includes(r.case))) {
    if (!loaded.has(run.source)) {
      const scenario = loadScenario(run.source);
      loaded.set(run.source, { scenario, central: solveCentralOpf(scenario) });
    }
    const { scenario, central } = loaded.get(run.source)!;
    const cpuBefore = process.cpuUsage();
    // The forecast OPF (memoized per scenario object, so the run below reuses it), timed on its own.
    const forecastStart = performance.now();
    const resolved = resolveAdmmOptions(run.options, scenario);
    const forecast = resolveInitialPoint(scenario, resolved.initialPoint) === 'forecastOpf' ? forecastOptimum(scenario, resolved.convention) : null;
    const forecastOpfMs = forecast ? performance.now() - forecastStart : 0;
    const result = await runAdmmParallel(scenario, { ...run.options, workers });
    const cpu = process.cpuUsage(cpuBefore);
    const cmp = compareWithCentral(result.schedule, central.schedule);
    const loopMs = result.trace.reduce((a, i) => a + i.ms, 0);
    const iterations = Math.max(1, result.iterations);
    rows.push({
      bench: 'admm',
      case: run.name,
      status: result.status,
      converged: result.status === 'converged',
      iterations: result.iterations,
      costGapPercent: 100 * cmp.costGapRelative,
      maxDlmpDiffPercent: 100 * cmp.maxPriceDiffRelative,
      maxDlmpDiff: cmp.maxPriceDiff,
      maxSetpointDiff: cmp.maxSetpointDiff,
      msPerIteration: loopMs / iterations,
      // Forecast OPF + build + loop, all threads of the process (user + system).
      cpuMsPerIteration: (cpu.user + cpu.system) / 1000 / iterations,
      // The whole run's CPU (forecast OPF, build, loop; all threads) and the forecast OPF's wall time.
      cpuMsTotal: (cpu.user + cpu.system) / 1000,
      forecastOpfMs,
      // Interior-point iterations per bus solve over the run (the figure docs/admm.md §Subproblem numerics quotes).
      meanSolverIterations: result.trace.reduce((a, i) => a + (i.meanSolverIterations ?? 0), 0) / iterations,
      buildMs: result.buildMs,
      workers: result.workers,
      finalRho: result.state.rho,
      centralCost: central.schedule.totalCost,
      admmCost: result.schedule.totalCost,
      node: process.version,
    });
  }
  return rows;
}
