/**
 * `gridconsensus opf SCENARIO|CASE` (alias `central`): the centralized OPF (model.md eq. 10) with
 * DLMPs and the schedule checks, written as schedule.json, CSV tables, SVG figures, report.html
 * and summary.md (docs/report.md).
 */
import { join } from 'node:path';
import type { CAC } from 'cac';
import { GridError } from '../../core/errors.js';
import { maxSeed } from '../../core/random.js';
import { caseArgument, outputFolder, wholeNumberFlag } from '../flags.js';
import type { BranchFlowConvention } from '../../model/coupling/couplingLayout.js';
import { buildReportData } from '../../report/buildReportData.js';
import { renderReportHtml } from '../../report/renderReport.js';
import { renderSummaryMarkdown } from '../../report/renderSummaryMarkdown.js';
import { reportFigures } from '../../report/reportFigures.js';
import { loadCaseFile } from '../../scenario/io.js';
import { toScenario } from '../../scenario/toScenario.js';
import type { Scenario } from '../../scenario/types.js';
import { scheduleJson, scheduleTables, writeOutputFiles, type OutputFile } from '../../schedule/io.js';
import { verifySchedule } from '../../schedule/verifySchedule.js';
import { solveCentralOpf } from '../../solve/central/solveCentralOpf.js';
import { runPowerFlow } from '../../model/network/runPowerFlow.js';

export interface OpfCommandOptions {
  convention?: string;
  seed?: number | string;
  out?: string;
  json?: boolean;
  freeSubstationVoltage?: boolean;
  voltageLimits?: string;
}

/** Where the outputs go without --out. */
export const defaultOpfOutDir = join('out', 'opf');

export function registerOpfCommand(cli: CAC): void {
  cli
    .command('opf <scenario>', 'Central OPF of a scenario or case (alias: central): schedule, DLMPs (energy/loss/voltage parts), checks; writes tables, figures and report.html')
    .alias('central')
    .option('--out <dir>', `Output folder for schedule.json, CSV tables, SVG figures, report.html and summary.md (default: ./${defaultOpfOutDir})`)
    .option('--json', 'Print one JSON summary on stdout instead of the text summary')
    .option('--convention <receiving|sending>', 'Branch-flow convention (model.md §Network); default receiving')
    .option('--free-substation-voltage', 'Let the substation voltage float within its limits instead of the case\'s fixed value')
    .option('--voltage-limits <min,max>', 'Replace every bus\'s voltage limits, p.u. (e.g. 0.85,1.1), for a feeder that cannot hold its own at its loads')
    .option('--seed <seed>', 'Seed of a built-in "-paper" scenario (default 1)')
    .example('gridconsensus opf sce56-paper --out out/opf')
    .example('gridconsensus opf test/data/matpower/case33bw.m --json')
    .action((scenario: string, options: OpfCommandOptions) => runOpfCommand(scenario, options, (s) => process.stdout.write(s), (s) => process.stderr.write(s)));
}

/** Summary printed by --json (and returned to callers). */
export interface OpfSummary {
  scenario: string;
  buses: number;
  periods: number;
  convention: BranchFlowConvention;
  substationVoltage: 'fixed' | 'free';
  status: string;
  iterations: number;
  totalCost: number;
  buildMs: number;
  solveMs: number;
  largestConeGap: number;
  largestVoltageMismatch: number;
  violations: number;
  dlmpMin: number;
  dlmpMax: number;
  dlmpDecompositionMismatch: number;
  largestDeferrableStartSpread: number;
  minVoltagePu: number;
  maxVoltagePu: number;
  checksPassed: boolean;
  out: string;
  files: string[];
}

/**
 * Runs the command; returns 0 when solved (a failed check is reported in the summary and the
 * report, not as an exit code: the schedule is still the OPF's answer). No-solution cases throw
 * a GridError. Progress goes to `progress` (stderr).
 */
export function runOpfCommand(scenarioArg: string, options: OpfCommandOptions, print: (text: string) => void, progress: (text: string) => void = () => {}): number {
  const convention = parseConvention(options.convention);
  const seed = wholeNumberFlag(options.seed, '--seed', { min: 0, max: maxSeed, example: 1 });
  const limits = options.voltageLimits === undefined ? undefined : parseVoltageLimits(options.voltageLimits);
  caseArgument(scenarioArg, 'SCENARIO');
  const started = performance.now();
  const step = (text: string) => progress(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${text}\n`);

  step(`reading ${scenarioArg}`);
  const caseFile = loadCaseFile(scenarioArg, seed === undefined ? {} : { seed });
  for (const w of caseFile.warnings ?? []) progress(`warning: ${w}\n`);
  let scenario: Scenario = toScenario(caseFile);
  if (options.freeSubstationVoltage) scenario = { ...scenario, substationVoltage: { mode: 'free' } };
  if (limits) scenario = { ...scenario, buses: scenario.buses.map((b) => ({ ...b, voltageSqMin: limits[0] ** 2, voltageSqMax: limits[1] ** 2 })) };
  // Checked (and created) before the solve: a bad --out must not cost the solve.
  const out = outputFolder(options.out ?? defaultOpfOutDir);

  step(`building and solving the central OPF: ${scenario.buses.length} buses x ${scenario.periods} periods, ${countDevices(scenario)} devices`);
  const { schedule, dlmp } = solveWithVoltageHint(scenario, convention, options.freeSubstationVoltage === true);
  step(`solved (${schedule.solver.status}, ${schedule.solver.iterations} iterations, build ${schedule.solver.timings.buildMs.toFixed(0)} ms, solve ${schedule.solver.timings.solveMs.toFixed(0)} ms); checking: AC power flow, relaxation gap, limits`);
  const checks = verifySchedule(scenario, schedule);

  step('writing tables, figures and the report');
  const report = buildReportData({
    schedule, scenario, dlmpParts: dlmp.active, scheduleChecks: checks,
    wallTimeSeconds: (performance.now() - started) / 1000,
    notes: [
      ...(caseFile.warnings ?? []).map((w) => `Import warning: ${w}`),
      `Options: convention ${convention}, substation voltage ${scenario.substationVoltage.mode}${limits ? `, voltage limits replaced by [${limits[0]}, ${limits[1]}] p.u. (--voltage-limits)` : ''}.`,
    ],
  });
  // schedule.json last: if a write fails part-way, the folder has no schedule that looks complete.
  const files: OutputFile[] = [
    ...scheduleTables(schedule, { baseKv: scenario.baseKv, parents: scenario.buses.map((b) => b.parent), dlmpParts: dlmp.active }),
    { name: 'checks.json', text: `${JSON.stringify(checks, null, 2)}\n` },
    ...reportFigures(report).map((f) => ({ name: f.file, text: f.svg })),
    { name: 'report.html', text: renderReportHtml(report) },
    { name: 'summary.md', text: renderSummaryMarkdown(report) },
    { name: 'schedule.json', text: scheduleJson(schedule) },
  ];
  writeOutputFiles(out, files);
  step(`wrote ${files.length} files to ${out}`);

  const prices = dlmp.active.total.flat();
  const voltages = schedule.buses.flatMap((b) => b.voltageSq.map((v) => Math.sqrt(Math.max(0, v))));
  const spreads = schedule.buses.flatMap((b) => b.devices.flatMap((d) => (d.kind === 'deferrableLoad' ? [d.startSpread] : [])));
  const checksPassed = (report.checks ?? []).every((c) => c.passed);
  const summary: OpfSummary = {
    scenario: scenario.name,
    buses: scenario.buses.length,
    periods: scenario.periods,
    convention,
    substationVoltage: scenario.substationVoltage.mode,
    status: schedule.solver.status,
    iterations: schedule.solver.iterations,
    totalCost: schedule.totalCost,
    buildMs: schedule.solver.timings.buildMs,
    solveMs: schedule.solver.timings.solveMs,
    largestConeGap: checks.coneGap.largest,
    largestVoltageMismatch: checks.powerFlow.largestVoltageMismatch,
    violations: checks.violations.length,
    dlmpMin: smallest(prices),
    dlmpMax: largest(prices),
    dlmpDecompositionMismatch: dlmp.largestMismatch,
    largestDeferrableStartSpread: spreads.length > 0 ? Math.max(...spreads) : 0,
    minVoltagePu: smallest(voltages),
    maxVoltagePu: largest(voltages),
    checksPassed,
    out,
    files: files.map((f) => f.name),
  };
  const exitCode = 0;
  if (options.json) {
    print(`${JSON.stringify(summary)}\n`);
    return exitCode;
  }
  print([
    `scenario      ${summary.scenario} (${summary.buses} buses, ${summary.periods} periods, ${convention}, substation voltage ${summary.substationVoltage})`,
    `status        ${summary.status} after ${summary.iterations} iterations (build ${summary.buildMs.toFixed(0)} ms, solve ${summary.solveMs.toFixed(0)} ms)`,
    `total cost    ${summary.totalCost.toFixed(4)}`,
    `voltage       ${summary.minVoltagePu.toFixed(4)} .. ${summary.maxVoltagePu.toFixed(4)} p.u.`,
    `DLMP          ${summary.dlmpMin.toFixed(3)} .. ${summary.dlmpMax.toFixed(3)} per MWh (parts add up to ${summary.dlmpDecompositionMismatch.toExponential(1)})`,
    `checks        ${checksPassed ? 'passed' : 'FAILED'}: cone gap ${summary.largestConeGap.toExponential(1)}, AC voltage mismatch ${summary.largestVoltageMismatch.toExponential(1)} p.u., ${summary.violations} limit violations`,
    ...schedule.relaxations.map((r) => `relaxation    ${r}`),
    ...(spreads.length > 0 ? [`deferrable    largest start spread ${summary.largestDeferrableStartSpread.toFixed(3)} (0 = a single start period)`] : []),
    `outputs       ${out}/ (report.html, summary.md, schedule.json, ${files.filter((f) => f.name.endsWith('.csv')).map((f) => f.name).join(', ')}, ${files.filter((f) => f.name.endsWith('.svg')).length} SVG figures)`,
  ].join('\n') + '\n');
  return exitCode;
}

/**
 * Solves; when there is no solution, adds what the AC power flow of the fixed loads says about
 * the voltage limits (the usual cause on an imported feeder with loads only) and how to proceed.
 */
function solveWithVoltageHint(scenario: Scenario, convention: BranchFlowConvention, substationFree: boolean): ReturnType<typeof solveCentralOpf> {
  try {
    return solveCentralOpf(scenario, { convention });
  } catch (error) {
    if (!(error instanceof GridError)) throw error;
    const low = lowestVoltageAgainstLimit(scenario);
    if (!low) throw error;
    const root = scenario.buses[0]!;
    const sub = scenario.substationVoltage;
    const canRise = !substationFree && sub.mode === 'fixed' && root.voltageSqMax > sub.voltageSq + 1e-12;
    const suggestedMin = Math.floor((low.voltage - 0.005) * 100) / 100;
    const fix = [
      ...(canRise ? [`let the substation voltage rise to its upper limit ${Math.sqrt(root.voltageSqMax).toFixed(4)} p.u.: --free-substation-voltage`] : []),
      `widen the voltage limits, e.g. --voltage-limits ${suggestedMin},${Math.max(1.1, Math.sqrt(root.voltageSqMax)).toFixed(2)} (or voltageLimitsPu in the case, Vmin/Vmax in a MATPOWER file)`,
      'or add generation or reactive support near the low-voltage buses',
    ];
    throw new GridError(`${error.shortMessage}; at the fixed loads alone the AC power flow puts bus ${low.bus} at ${low.voltage.toFixed(4)} p.u. in period ${low.period}, below its lower limit ${low.limit.toFixed(4)} p.u.`, {
      ...(error.field === undefined ? {} : { field: error.field }), details: error.details, fix, cause: error.cause,
    });
  }
}

/** The worst bus voltage under its lower limit in the power flow of the fixed profiles, if any. */
function lowestVoltageAgainstLimit(scenario: Scenario): { bus: string; voltage: number; limit: number; period: number } | undefined {
  let worst: { bus: string; voltage: number; limit: number; period: number; shortfall: number } | undefined;
  try {
    for (const p of runPowerFlow(scenario).periods) {
      scenario.buses.forEach((b, i) => {
        const voltage = Math.sqrt(p.result.voltageSq[i]!);
        const limit = Math.sqrt(b.voltageSqMin);
        if (voltage < limit && (!worst || limit - voltage > worst.shortfall)) worst = { bus: b.id, voltage, limit, period: p.period, shortfall: limit - voltage };
      });
    }
  } catch {
    return undefined;
  }
  return worst;
}

// Loops, not Math.min(...xs): a large feeder over many periods has more values than a call can take.
function smallest(values: readonly number[]): number {
  return values.reduce((a, b) => (b < a ? b : a), Infinity);
}

function largest(values: readonly number[]): number {
  return values.reduce((a, b) => (b > a ? b : a), -Infinity);
}

function countDevices(scenario: Scenario): number {
  return scenario.buses.reduce((a, b) => a + b.devices.length, 0);
}

/** "min,max" in p.u. → [min, max]. */
export function parseVoltageLimits(text: string): [number, number] {
  const parts = text.split(',').map((x) => Number(x.trim()));
  if (parts.length !== 2 || !parts.every((x) => Number.isFinite(x) && x > 0) || parts[0]! > parts[1]!) {
    throw new GridError(`'${text}' is not a voltage range`, { field: '--voltage-limits', fix: ['write two per-unit magnitudes min,max with min <= max, e.g. --voltage-limits 0.85,1.1'] });
  }
  return [parts[0]!, parts[1]!];
}

/** Accepts receiving|sending and the model's names receivingEnd|sendingEnd. */
export function parseConvention(value: string | undefined): BranchFlowConvention {
  if (value === undefined || value === 'receiving' || value === 'receivingEnd') return 'receivingEnd';
  if (value === 'sending' || value === 'sendingEnd') return 'sendingEnd';
  throw new GridError(`unknown branch-flow convention '${value}'`, { field: '--convention', fix: ['pass --convention receiving (default) or --convention sending'] });
}
