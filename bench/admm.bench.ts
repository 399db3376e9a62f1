/**
 * Consensus-ADMM benchmark on the SCE-56 paper scenario (24 h): iterations, cost gap and DLMP
 * gap against the central OPF, wall time per iteration and workers; once with the defaults
 * (docs/admm.md §Defaults) and once at the paper's own settings (rho = 100 in kW units, fixed,
 * eps_pri = 1e-3, eps_dual = 0.1; admmOptions.ts paperAdmmSettings).
 * Targets: ≤ 50 iterations, cost within 0.01 %, DLMPs within 0.5 %, ≤ 30 ms per iteration.
 */
import { availableParallelism } from 'node:os';
import { loadScenario } from '../src/scenario/io.js';
import { solveCentralOpf } from '../src/solve/central/solveCentralOpf.js';
import { paperAdmmSettings, type AdmmOptions } from '../src/solve/admm/admmOptions.js';
import { compareWithCentral } from '../src/solve/admm/compareWithCentral.js';
import { runAdmmParallel } from '../src/solve/admm/parallelAdmm.js';

export async function runAdmmBench(): Promise<object[]> {
  const scenario = loadScenario('sce56-paper');
  const central = solveCentralOpf(scenario);
  const workers = availableParallelism();
  const runs: Array<{ case: string; options: AdmmOptions }> = [
    { case: 'defaults', options: {} },
    { case: 'paper-settings', options: { ...paperAdmmSettings, maxIterations: 1000 } },
  ];
  const rows: object[] = [];
  for (const run of runs) {
    const result = await runAdmmParallel(scenario, { ...run.options, workers });
    const cmp = compareWithCentral(result.schedule, central.schedule);
    const ms = result.trace.map((i) => i.ms);
    rows.push({
      bench: 'admm',
      case: `sce56-paper/${run.case}`,
      status: result.status,
      iterations: result.iterations,
      costGapPercent: 100 * cmp.costGapRelative,
      maxDlmpDiffPercent: 100 * cmp.maxPriceDiffRelative,
      maxDlmpDiff: cmp.maxPriceDiff,
      maxSetpointDiff: cmp.maxSetpointDiff,
      msPerIteration: ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length),
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
