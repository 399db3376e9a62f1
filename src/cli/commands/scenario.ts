/**
 * `gridconsensus scenario [CASE] --seed N --out scenario.json`: the paper's randomized scenario
 * on a case (built-in name, our JSON or MATPOWER .m), written as an editable case file.
 */
import type { CAC } from 'cac';
import { GridError } from '../../core/errors.js';
import { maxSeed } from '../../core/random.js';
import { buildPaperScenario } from '../../scenario/buildPaperScenario.js';
import type { CaseFile } from '../../scenario/caseFile.js';
import { formatCaseFile } from '../../scenario/formatCaseFile.js';
import { loadCaseFile, readJsonFile, writeCaseFile } from '../../scenario/io.js';
import { parsePaperScenarioOverrides } from '../../scenario/paperScenarioOptions.js';
import { caseArgument, inputFile, outputFile, positiveNumberFlag, wholeNumberFlag } from '../flags.js';

interface ScenarioFlags {
  case?: string;
  seed?: string | number;
  out?: string;
  periods?: string | number;
  dtHours?: string | number;
  overrides?: string;
}

export function registerScenarioCommand(cli: CAC): void {
  cli
    .command('scenario [case]', "Generate the paper's randomized scenario on a case (default: the built-in sce56)")
    .option('--case <file>', 'the case to put the devices on (same as the positional CASE)')
    .option('--seed <n>', 'seed of every random draw (integer, default 1)')
    .option('--out <file>', 'write the scenario file here (default: print it)')
    .option('--periods <n>', 'number of periods (default 24)')
    .option('--dt-hours <h>', 'period length in hours (default 1)')
    .option('--overrides <file>', 'JSON scenario file overriding any generation parameter (docs/scenario.md)')
    .example('gridconsensus scenario sce56 --seed 7 --out scenario.json')
    .example('gridconsensus scenario --case test/data/matpower/case33bw.m --seed 1 --periods 24 --out bw33.json')
    .action((caseName: string | undefined, flags: ScenarioFlags) => {
      if (caseName !== undefined && flags.case !== undefined && caseName !== flags.case) {
        throw new GridError(`two cases given: '${caseName}' and --case '${flags.case}'`, { field: 'case', fix: ['give the case once, as CASE or as --case FILE'] });
      }
      return runScenarioCommand(caseName ?? flags.case ?? 'sce56', flags);
    });
}

function runScenarioCommand(caseName: string, flags: ScenarioFlags): number {
  const seedFlag = wholeNumberFlag(flags.seed, '--seed', { min: 0, max: maxSeed, example: 7 });
  const periods = wholeNumberFlag(flags.periods, '--periods', { min: 1, max: 10000, example: 24 });
  const dtHours = positiveNumberFlag(flags.dtHours, '--dt-hours', 0.25);
  const out = flags.out === undefined ? undefined : outputFile(flags.out);
  const baseName = caseArgument(caseName.endsWith('-paper') ? caseName.slice(0, -'-paper'.length) : caseName);
  const overrides = flags.overrides === undefined ? {} : parsePaperScenarioOverrides(readJsonFile(inputFile(flags.overrides, '--overrides', 'overrides file'), '--overrides'), flags.overrides);
  const seed = seedFlag ?? overrides.seed ?? 1;

  const base = loadCaseFile(baseName);
  const scenario = buildPaperScenario(base, {
    ...overrides,
    seed,
    ...(periods === undefined ? {} : { periods }),
    ...(dtHours === undefined ? {} : { dtHours }),
  });
  for (const w of scenario.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
  if (out === undefined) process.stdout.write(formatCaseFile(scenario));
  else writeCaseFile(out, scenario);
  const summary = summarize(scenario);
  (flags.out === undefined ? process.stderr : process.stdout).write(`${flags.out === undefined ? 'generated' : `wrote ${flags.out}:`} ${summary}\n`);
  return 0;
}

/** One line: name, seed, size, horizon, device counts and the peak uncontrollable load. */
export function summarize(c: CaseFile): string {
  const count = new Map<string, number>();
  for (const b of c.buses) for (const d of b.devices ?? []) count.set(d.kind, (count.get(d.kind) ?? 0) + 1);
  const periods = c.periods ?? 24;
  const peakKw = Math.max(...Array.from({ length: periods }, (_, t) =>
    c.buses.reduce((s, b) => s + (b.devices ?? []).reduce((x, d) => x + (d.kind === 'fixedLoad' ? (Array.isArray(d.pKw) ? d.pKw[t]! : d.pKw) : 0), 0), 0)));
  const n = (k: string) => count.get(k) ?? 0;
  return `${c.name} (seed ${c.seed}), ${c.buses.length} buses, ${periods} x ${c.dtHours ?? 1} h; ${n('generator')} generator, ${n('fixedLoad')} loads (peak ${(peakKw / 1000).toFixed(3)} MW), ${n('pv')} PV, ${n('deferrableLoad')} deferrable, ${n('shapableLoad')} EV, ${n('battery')} batteries`;
}
