/**
 * Which parts of the forecast start help where the forecast is not exact (SCE-56 paper scenario:
 * batteries, EVs and deferrable loads are private, so the forecast OPF is not the day's optimum).
 * Runs the defaults from z^0 ∈ {LinDistFlow zL, forecast OPF zF} with dual offsets ∈ {λ0 oL,
 * forecast OPF oF, oF on some quantities and oL elsewhere}, through the `start` option, and prints
 * status, iterations, cost and DLMP gaps at the stop and the cost gap every 50 iterations.
 * Informational (docs/admm.md §Forecast start). `node dist/bench/admmForecastVariants.js [case] [variant,...]`
 */
import { buildCouplingLayout, type CouplingQuantity } from '../src/model/coupling/couplingLayout.js';
import { loadScenario } from '../src/scenario/io.js';
import { resolveAdmmOptions, type AdmmStart } from '../src/solve/admm/admmOptions.js';
import { compareWithCentral } from '../src/solve/admm/compareWithCentral.js';
import { admmEntryScale } from '../src/solve/admm/entryWeights.js';
import { forecastDualOffsets } from '../src/solve/admm/forecastStart.js';
import { initialGlobalPoint } from '../src/solve/admm/initialPoint.js';
import { runAdmmParallel } from '../src/solve/admm/parallelAdmm.js';
import { admmDualOffsets } from '../src/solve/admm/runAdmm.js';
import { solveCentralOpf } from '../src/solve/central/solveCentralOpf.js';

export async function runAdmmForecastVariantsBench(caseName = 'sce56-paper', only?: string[]): Promise<object[]> {
  const scenario = loadScenario(caseName);
  const central = solveCentralOpf(scenario).schedule;
  const resolved = resolveAdmmOptions({ initialPoint: 'powerFlow' }, scenario);
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods, resolved.convention);
  const scale = admmEntryScale(scenario, layout, resolved.couplingWeights, resolved.entryWeights);
  const zL = initialGlobalPoint(scenario, layout, 'powerFlow', scale);
  const zF = initialGlobalPoint(scenario, layout, 'forecastOpf', scale);
  const oL = admmDualOffsets(scenario, layout, resolved, scale)!;
  const oF = forecastDualOffsets(scenario, layout, scale);
  if (!oF) throw new Error(`the forecast OPF of ${caseName} has no solution`);
  // oF on the copies of the given quantities, oL on the others
  const mixed = (quantities: CouplingQuantity[]): Float64Array => {
    const o = Float64Array.from(oL);
    const T = layout.periods;
    for (let b = 0; b < layout.busCount; b++) {
      layout.busCopyEntries[b]!.forEach((e, j) => {
        if (!quantities.includes(layout.entries[e]!.quantity)) return;
        for (let t = 0; t < T; t++) o[layout.localOffset[b]! + j * T + t] = oF[layout.localOffset[b]! + j * T + t]!;
      });
    }
    return o;
  };
  const variants: Record<string, AdmmStart> = {
    'zL+oL': { z: zL, duals: oL },
    'zF+oF': { z: zF, duals: oF },
    'zF+oL': { z: zF, duals: oL },
    'zL+oF': { z: zL, duals: oF },
    'zF+oF(P,l)': { z: zF, duals: mixed(['pFlow', 'currentSq']) },
    'zF+oF(P,Q,l)': { z: zF, duals: mixed(['pFlow', 'qFlow', 'currentSq']) },
    'zF+oF(v)': { z: zF, duals: mixed(['voltageSq']) },
  };
  const gap = (cost: number) => +((100 * (cost - central.totalCost)) / central.totalCost).toPrecision(2);
  const rows: object[] = [];
  for (const [variant, start] of Object.entries(variants)) {
    if (only && !only.includes(variant)) continue;
    const gaps: Record<number, number> = {};
    const result = await runAdmmParallel(scenario, { start, workers: 2, onIteration: (i) => { if (i.iteration % 50 === 0) gaps[i.iteration] = gap(i.cost); } });
    const cmp = compareWithCentral(result.schedule, central);
    rows.push({
      bench: 'admm-forecast-variants', case: `${caseName}/${variant}`, status: result.status, iterations: result.iterations,
      costGapPercent: +(100 * cmp.costGapRelative).toPrecision(3), maxDlmpDiffPercent: +(100 * cmp.maxPriceDiffRelative).toPrecision(3), costGapPercentEvery50: gaps,
    });
  }
  return rows;
}

if (process.argv[1]?.endsWith('admmForecastVariants.js')) {
  for (const line of await runAdmmForecastVariantsBench(process.argv[2], process.argv[3]?.split(','))) console.log(JSON.stringify(line));
}
