/**
 * Consensus-ADMM benchmark on the SCE-56 paper scenario (24 h): iterations, cost gap and DLMP
 * gap against the central OPF, wall and CPU time per iteration and workers; once with the
 * defaults (docs/admm.md §Defaults) and once at the paper's own settings (rho = 100 in kW units,
 * fixed, eps_pri = 1e-3, eps_dual = 0.1; admmOptions.ts paperAdmmSettings).
 * Targets: ≤ 50 iterations, cost within 0.01 %, DLMPs within 0.5 %, ≤ 30 ms per iteration.
 * CPU time is process-wide (main thread and workers), so it stays meaningful on a shared machine.
 */
import { availableParallelism } from 'node:os';
import { loadScenario } from '../src/scenario/io.js';
import { solveCentralOpf } from '../src/solve/central/solveCentralOpf.js';
import { paperAdmmSettings, type AdmmOptions } from '../src/solve/admm/admmOptions.js';
import { compareWithCentral } from '../src/solve/admm/compareWithCentral.js';
import { runAdmmParallel } from '../src/solve/admm/parallelAdmm.js';

export interface AdmmBenchOptions {
  /** Worker threads (default: available cores, at most 2 as in the targets). */
  workers?: number;
  /** Cases to run (default both). */
  cases?: Array<'defaults' | 'paper-settings'>;
}

export async function runAdmmBench(options: AdmmBenchOptions = {}): Promise<object[]> {
  const scenario = loadScenario('sce56-paper');
  const central = solveCentralOpf(scenario);
  const workers = options.workers ?? Math.min(2, availableParallelism());
  const runs: Array<{ case: 'defaults' | 'paper-settings'; options: AdmmOptions }> = [
    { case: 'defaults', options: {} },
    { case: 'paper-settings', options: { ...paperAdmmSettings, maxIterations: 500 } },
  ];
  const rows: object[] = [];
  for (const run of runs.filter((r) => !options.cases || options.cases.includes(r.case))) {
    const cpuBefore = process.cpuUsage();
    const result = await runAdmmParallel(scenario, { ...run.options, workers });
    const cpu = process.cpuUsage(cpuBefore);
    const cmp = compareWithCentral(result.schedule, central.schedule);
    const loopMs = result.trace.reduce((a, i) => a + i.ms, 0);
    const iterations = Math.max(1, result.iterations);
    rows.push({
      bench: 'admm',
      case: `sce56-paper/${run.case}`,
      status: result.status,
      converged: result.status === 'converged',
      iterations: result.iterations,
      costGapPercent: 100 * cmp.costGapRelative,
      maxDlmpDiffPercent: 100 * cmp.maxPriceDiffRelative,
      maxDlmpDiff: cmp.maxPriceDiff,
      maxSetpointDiff: cmp.maxSetpointDiff,
      msPerIteration: loopMs / iterations,
      // Build + loop, all threads of the process (user + system).
      cpuMsPerIteration: (cpu.user + cpu.system) / 1000 / iterations,
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
