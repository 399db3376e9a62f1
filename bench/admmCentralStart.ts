/**
 * Does a better z^0 shorten ADMM? Runs the default ADMM on the SCE-56 paper scenario started from
 * the central OPF's own flows, currents and voltages (an oracle no bus has) with the usual
 * forecast dual offsets, and records the cost gap every 25 iterations. Informational: it shows
 * whether the initial point or the duals hold the run back (docs/admm.md).
 * `node dist/bench/admmCentralStart.js [maxIterations]`
 */
import { buildCouplingLayout } from '../src/model/coupling/couplingLayout.js';
import { loadScenario } from '../src/scenario/io.js';
import { resolveAdmmOptions } from '../src/solve/admm/admmOptions.js';
import { admmEntryScale } from '../src/solve/admm/entryWeights.js';
import { admmDualOffsets, runAdmm } from '../src/solve/admm/runAdmm.js';
import { solveCentralOpf } from '../src/solve/central/solveCentralOpf.js';

export async function runAdmmCentralStartBench(maxIterations = 400): Promise<object[]> {
  const scenario = loadScenario('sce56-paper');
  const central = solveCentralOpf(scenario).schedule;
  const resolved = resolveAdmmOptions({}, scenario);
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods, resolved.convention);
  const scale = admmEntryScale(scenario, layout, resolved.couplingWeights, resolved.entryWeights);
  const T = layout.periods;
  // z^0 = the central optimum's values of every coupled entry, in transport scale
  const z = new Float64Array(layout.globalSize);
  layout.entries.forEach((entry, e) => {
    const values = central.buses[entry.bus]![entry.quantity];
    for (let t = 0; t < T; t++) z[e * T + t] = scale[e]! * values[t]!;
  });
  const duals = admmDualOffsets(scenario, layout, resolved, scale) ?? new Float64Array(layout.totalCopies);
  const gapPercent = (cost: number): number => Math.round(((cost - central.totalCost) / central.totalCost) * 1e6) / 1e4;
  const snapshots: Array<{ iteration: number; costGapPercent: number; primalResidual: number }> = [];
  const result = await runAdmm(scenario, {
    start: { z, duals },
    maxIterations,
    onIteration: (info) => {
      if (info.iteration % 25 === 0) snapshots.push({ iteration: info.iteration, costGapPercent: gapPercent(info.cost), primalResidual: info.primalResidual });
    },
  });
  return [{
    bench: 'admm', case: 'sce56-paper/central-z0', status: result.status, iterations: result.iterations,
    costGapPercent: gapPercent(result.schedule.totalCost), snapshots,
  }];
}

if (process.argv[1]?.endsWith('admmCentralStart.js')) {
  for (const line of await runAdmmCentralStartBench(process.argv[2] ? Number(process.argv[2]) : 400)) console.log(JSON.stringify(line));
}
