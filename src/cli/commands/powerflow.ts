import type { CAC } from 'cac';
import { GridError } from '../../core/errors.js';
import { maxSeed } from '../../core/random.js';
import { caseArgument, wholeNumberFlag } from '../flags.js';
import { loadCaseFile } from '../../scenario/io.js';
import { toScenario } from '../../scenario/toScenario.js';
import { runPowerFlow } from '../../model/network/runPowerFlow.js';

export interface PowerflowCommandOptions {
  json?: boolean;
  seed?: number | string;
}

/** `gridconsensus powerflow CASE`: AC power flow of every period with the fixed loads and PV only. */
export function registerPowerflowCommand(cli: CAC): void {
  cli
    .command('powerflow <case>', 'AC power flow per period with the fixed loads and PV only (losses, min/max voltage)')
    .option('--json', 'Print one JSON object instead of a table')
    .option('--seed <seed>', 'Seed of a built-in "-paper" scenario')
    .example('gridconsensus powerflow sce56')
    .example('gridconsensus powerflow test/data/matpower/case33bw.m --json')
    .action((caseName: string, options: PowerflowCommandOptions) => runPowerflowCommand(caseName, options, (s) => process.stdout.write(s), (s) => process.stderr.write(s)));
}

/** Runs the command and returns its exit code (errors come as thrown GridErrors). */
export function runPowerflowCommand(caseName: string, options: PowerflowCommandOptions, print: (text: string) => void, warn: (text: string) => void = () => {}): number {
  const seed = wholeNumberFlag(options.seed, '--seed', { min: 0, max: maxSeed, example: 1 });
  const caseFile = loadCaseFile(caseArgument(caseName), seed === undefined ? {} : { seed });
  for (const w of caseFile.warnings ?? []) warn(`warning: ${w}\n`);
  const scenario = toScenario(caseFile);
  const flow = runPowerFlow(scenario);
  const kw = scenario.baseMva * 1000;
  // Bus voltages outside their limits: the OPF of this case cannot keep them at these loads.
  const outside: { bus: string; period: number; voltage: number; limit: number }[] = [];
  for (const p of flow.periods) {
    scenario.buses.forEach((b, i) => {
      const v = Math.sqrt(p.result.voltageSq[i]!);
      if (v < Math.sqrt(b.voltageSqMin) - 1e-9) outside.push({ bus: b.id, period: p.period, voltage: v, limit: Math.sqrt(b.voltageSqMin) });
      else if (v > Math.sqrt(b.voltageSqMax) + 1e-9) outside.push({ bus: b.id, period: p.period, voltage: v, limit: Math.sqrt(b.voltageSqMax) });
    });
  }
  const worst = outside.reduce<(typeof outside)[number] | undefined>((w, o) => (!w || Math.abs(o.voltage - o.limit) > Math.abs(w.voltage - w.limit) ? o : w), undefined);
  const rows = flow.periods.map((p) => ({
    period: p.period,
    lossesKw: p.losses * kw,
    minVoltage: p.minVoltage,
    minVoltageBus: scenario.buses[p.minVoltageBus]!.id,
    maxVoltage: p.maxVoltage,
    maxVoltageBus: scenario.buses[p.maxVoltageBus]!.id,
    substationMw: p.result.rootP * scenario.baseMva,
    iterations: p.result.iterations,
  }));
  if (options.json) {
    print(`${JSON.stringify({ case: scenario.name, buses: scenario.buses.length, substationVoltage: flow.rootVoltage, periods: rows, voltagesOutsideLimits: outside.length, worstVoltageOutsideLimits: worst ?? null, warnings: caseFile.warnings ?? [] })}\n`);
    return 0;
  }
  const lines = [
    `${scenario.name}: ${scenario.buses.length} buses, ${scenario.periods} periods of ${scenario.dtHours} h, substation at ${flow.rootVoltage.toFixed(4)} p.u.`,
    'period  losses kW  substation MW  min V (bus)        max V (bus)',
    ...rows.map((r) =>
      `${String(r.period).padStart(6)}  ${r.lossesKw.toFixed(3).padStart(9)}  ${r.substationMw.toFixed(4).padStart(13)}  ` +
      `${r.minVoltage.toFixed(5)} (${r.minVoltageBus})`.padEnd(19) + `${r.maxVoltage.toFixed(5)} (${r.maxVoltageBus})`),
  ];
  if (worst) lines.push(`${outside.length} bus-periods outside their voltage limits; worst: bus ${worst.bus} at ${worst.voltage.toFixed(5)} p.u. in period ${worst.period} (limit ${worst.limit.toFixed(4)})`);
  print(`${lines.join('\n')}\n`);
  return 0;
}
