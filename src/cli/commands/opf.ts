/**
 * `gridconsensus central SCENARIO|CASE`: the centralized OPF (model.md eq. 10) with DLMPs and the
 * schedule checks; optionally writes schedule.json, dlmp.json and checks.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CAC } from 'cac';
import { GridError } from '../../core/errors.js';
import { loadScenario } from '../../scenario/io.js';
import { verifySchedule } from '../../schedule/verifySchedule.js';
import { solveCentralOpf } from '../../solve/central/solveCentralOpf.js';
import type { BranchFlowConvention } from '../../model/coupling/couplingLayout.js';

export interface CentralCommandOptions {
  convention?: string;
  seed?: number | string;
  out?: string;
  json?: boolean;
}

export function registerCentralCommand(cli: CAC): void {
  cli
    .command('central <scenario>', 'Solve the centralized OPF: schedule, DLMPs with their energy/loss/voltage parts, AC power-flow check')
    .option('--convention <name>', 'Branch-flow convention: receivingEnd (default) or sendingEnd')
    .option('--seed <seed>', 'Seed of a built-in "-paper" scenario')
    .option('--out <dir>', 'Write schedule.json, dlmp.json and checks.json here')
    .option('--json', 'Print one JSON summary on stdout')
    .example('gridconsensus central sce56-paper --out out/central')
    .action((scenario: string, options: CentralCommandOptions) => runCentralCommand(scenario, options, (s) => process.stdout.write(s)));
}

/** Runs the command and returns its exit code (0 solved; no-solution cases throw a GridError). */
export function runCentralCommand(scenarioArg: string, options: CentralCommandOptions, print: (text: string) => void): number {
  const convention = parseConvention(options.convention);
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new GridError(`--seed must be a whole number, got '${String(options.seed)}'`, { field: '--seed', fix: ['pass e.g. --seed 1'] });
  }
  const scenario = loadScenario(scenarioArg, seed === undefined ? {} : { seed });
  const { schedule, dlmp } = solveCentralOpf(scenario, { convention });
  const checks = verifySchedule(scenario, schedule);
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'schedule.json'), `${JSON.stringify(schedule, null, 2)}\n`);
    writeFileSync(join(options.out, 'dlmp.json'), `${JSON.stringify(dlmp)}\n`);
    writeFileSync(join(options.out, 'checks.json'), `${JSON.stringify(checks, null, 2)}\n`);
  }
  const prices = dlmp.active.total.flat();
  const spreads = schedule.buses.flatMap((b) => b.devices.flatMap((d) => (d.kind === 'deferrableLoad' ? [d.startSpread] : [])));
  const summary = {
    scenario: scenario.name,
    convention,
    status: schedule.solver.status,
    iterations: schedule.solver.iterations,
    totalCost: schedule.totalCost,
    buildMs: schedule.solver.timings.buildMs,
    solveMs: schedule.solver.timings.solveMs,
    largestConeGap: checks.coneGap.largest,
    largestVoltageMismatch: checks.powerFlow.largestVoltageMismatch,
    violations: checks.violations.length,
    dlmpMin: Math.min(...prices),
    dlmpMax: Math.max(...prices),
    dlmpDecompositionMismatch: dlmp.largestMismatch,
    largestDeferrableStartSpread: spreads.length > 0 ? Math.max(...spreads) : 0,
    ...(options.out ? { out: options.out } : {}),
  };
  if (options.json) {
    print(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  print([
    `scenario      ${summary.scenario} (${scenario.buses.length} buses, ${scenario.periods} periods, ${convention})`,
    `status        ${summary.status} after ${summary.iterations} iterations (build ${summary.buildMs.toFixed(0)} ms, solve ${summary.solveMs.toFixed(0)} ms)`,
    `total cost    ${summary.totalCost.toFixed(4)}`,
    `DLMP          ${summary.dlmpMin.toFixed(3)} .. ${summary.dlmpMax.toFixed(3)} per MWh (parts add up to ${summary.dlmpDecompositionMismatch.toExponential(1)})`,
    `checks        cone gap ${summary.largestConeGap.toExponential(1)}, AC voltage mismatch ${summary.largestVoltageMismatch.toExponential(1)} p.u., ${summary.violations} limit violations`,
    ...schedule.relaxations.map((r) => `relaxation    ${r}`),
    ...(spreads.length > 0 ? [`deferrable    largest start spread ${summary.largestDeferrableStartSpread.toFixed(3)} (0 = a single start period)`] : []),
    ...(options.out ? [`written       ${join(options.out, 'schedule.json')}, dlmp.json, checks.json`] : []),
  ].join('\n') + '\n');
  return 0;
}

function parseConvention(value: string | undefined): BranchFlowConvention {
  if (value === undefined || value === 'receivingEnd') return 'receivingEnd';
  if (value === 'sendingEnd') return 'sendingEnd';
  throw new GridError(`unknown convention '${value}'`, { field: '--convention', fix: ['pass receivingEnd or sendingEnd'] });
}
