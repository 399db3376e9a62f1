/**
 * Measurement harness for ADMM acceleration (docs/admm.md §Acceleration): runs one option set on
 * the SCE-56 paper scenario and prints, as JSON lines, the cost and DLMP gaps to the central OPF
 * every `every` iterations, then the run's end (status, iterations, gaps) and the first iteration at
 * which each stopping test holds.
 * `node build/<you>/bench/admmAccel.js LABEL '{"acceleration":{"kind":"nesterov","restart":0.999},"alpha":1}' [workers] [every]`
 */
import { loadScenario } from '../src/scenario/io.js';
import { solveCentralOpf } from '../src/solve/central/solveCentralOpf.js';
import { resolveAdmmOptions, type AdmmOptions } from '../src/solve/admm/admmOptions.js';
import { compareWithCentral } from '../src/solve/admm/compareWithCentral.js';
import { runAdmmParallel } from '../src/solve/admm/parallelAdmm.js';
import { assembleAdmmSchedule } from '../src/solve/admm/assembleAdmmSchedule.js';
import { buildCouplingLayout } from '../src/model/coupling/couplingLayout.js';
import { initialCoordinatorState } from '../src/solve/admm/coordinatorStep.js';
import type { AdmmIterationInfo } from '../src/solve/admm/admmOptions.js';

export interface AccelSnapshot { iteration: number; r: number; s: number; costGapPercent: number; maxDlmpDiffPercent: number }

export async function runAdmmAccelCase(label: string, options: AdmmOptions, workers = 2, every = 25, scenarioName = 'sce56-paper'): Promise<object[]> {
  const scenario = loadScenario(scenarioName);
  const central = solveCentralOpf(scenario).schedule;
  const resolved = resolveAdmmOptions(options, scenario);
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods, resolved.convention);
  const maxIterations = resolved.maxIterations;
  const at = Array.from({ length: Math.floor(maxIterations / every) }, (_, k) => (k + 1) * every);
  const trace: AdmmIterationInfo[] = [];
  const rows: object[] = [];
  const cpuBefore = process.cpuUsage();
  const result = await runAdmmParallel(scenario, {
    ...options, workers,
    onIteration: (info) => trace.push(info),
    snapshots: {
      at,
      take(iteration, finals) {
        const info = trace[trace.length - 1]!;
        const schedule = assembleAdmmSchedule(scenario, resolved, {
          status: 'maxIterations', iterations: iteration, trace, state: initialCoordinatorState(layout, 1), finals, loopMs: 0,
        }, 0);
        const cmp = compareWithCentral(schedule, central);
        const row: AccelSnapshot = {
          iteration, r: round(info.primalResidual), s: round(info.dualResidual),
          costGapPercent: round(100 * cmp.costGapRelative), maxDlmpDiffPercent: round(100 * cmp.maxPriceDiffRelative),
        };
        rows.push({ label, ...row, ...(info.accelerated ? { sAcc: round(info.accelerated.dualResidual), restarts: info.accelerated.restarts } : {}) });
        console.log(JSON.stringify(rows[rows.length - 1]));
      },
    },
  });
  const cpu = process.cpuUsage(cpuBefore);
  const cmp = compareWithCentral(result.schedule, central);
  const first = (test: (i: AdmmIterationInfo) => boolean): number | null => trace.find(test)?.iteration ?? null;
  const end = {
    label, end: true, status: result.status, iterations: result.iterations,
    costGapPercent: round(100 * cmp.costGapRelative), maxDlmpDiffPercent: round(100 * cmp.maxPriceDiffRelative),
    cpuMsPerIteration: Math.round((cpu.user + cpu.system) / 1000 / Math.max(1, result.iterations)),
    firstPrimalMet: first((i) => i.primalResidual <= i.epsPri),
    firstAcceleratedStop: first((i) => i.accelerated !== undefined && i.primalResidual <= i.epsPri && i.accelerated.dualResidual <= i.accelerated.epsDual),
    lastEpsPri: round(trace[trace.length - 1]?.epsPri ?? NaN), lastEpsDual: round(trace[trace.length - 1]?.epsDual ?? NaN),
  };
  console.log(JSON.stringify(end));
  rows.push(end);
  return rows;
}

/**
 * Informational bench case: the accelerated run that stopped earliest on SCE-56 (Anderson memory 10
 * from iteration 150, local settings fading over 150, default stop), one end row with
 * bench/case keys for bench/main.ts. It does not meet the cost target (docs/admm.md §Acceleration).
 */
export async function runAdmmAccelBench(): Promise<object[]> {
  const rows = await runAdmmAccelCase('anderson-after-fade', {
    acceleration: { kind: 'anderson', memory: 10, regularization: 1e-8, safeguard: 2, fromIteration: 150 },
    localFadeOut: 150,
  }, 2, 50);
  return rows.filter((r) => (r as { end?: boolean }).end).map((r) => {
    const { label, end: _end, ...metrics } = r as Record<string, unknown>;
    return { bench: 'admm', case: `sce56-paper/${String(label)}`, ...metrics };
  });
}

function round(v: number): number {
  return Number(v.toPrecision(3));
}

if (process.argv[1]?.endsWith('admmAccel.js')) {
  const [label = 'defaults', json = '{}', workers = '2', every = '25'] = process.argv.slice(2);
  await runAdmmAccelCase(label, JSON.parse(json) as AdmmOptions, Number(workers), Number(every));
  process.exit(0);
}
