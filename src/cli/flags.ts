/**
 * Shared checks of command-line values: numbers of flags, input paths, output folders, node
 * URLs and addresses. Each bad value becomes a GridError (exit 2) that names the flag and the fix,
 * before any work starts, so a typo never costs a long solve or leaves half-written outputs.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isAddress, type Address } from 'viem';
import { GridError } from '../core/errors.js';
import { builtinCaseNames } from '../scenario/io.js';
import { admmDefaults, type AdmmOptions } from '../solve/admm/admmOptions.js';
import type { StoppingRule } from '../solve/admm/coordinatorStep.js';

type FlagValue = number | string | boolean | undefined;

interface NumberRule {
  /** Smallest accepted value (inclusive). */
  min?: number;
  /** Largest accepted value (inclusive). */
  max?: number;
  /** A valid value shown in the fix, e.g. 200. */
  example: number | string;
}

/** The number a flag carries; cac passes numbers, strings, or `true` for a bare flag. */
function numberOf(value: FlagValue): number {
  if (typeof value === 'number') return value;
  // Number('') is 0 and Number(true) is 1: neither is a number the user typed.
  if (typeof value !== 'string' || value.trim() === '') return NaN;
  return Number(value);
}

/** Digits only (a minus sign allowed): Number() would also read 0x10, 1e3, 0b1 or ' 7'. */
const wholeDecimal = /^-?\d+$/;
/** Decimal notation with an optional exponent (1e-5 is a fine tolerance); no hex, octal or binary. */
const decimalNumber = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function range(rule: NumberRule): string {
  if (rule.min !== undefined && rule.max !== undefined) return ` from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return ` ≥ ${rule.min}`;
  if (rule.max !== undefined) return ` ≤ ${rule.max}`;
  return '';
}

/**
 * A whole number flag (seeds, iteration limits, worker counts, ports) within [min, max], written in
 * decimal digits as typed (main.ts keeps the text: `--seed 0x10` is refused, not read as 16);
 * undefined stays undefined.
 */
export function wholeNumberFlag(value: FlagValue, flag: string, rule: NumberRule): number | undefined {
  if (value === undefined) return undefined;
  const n = numberOf(value);
  const decimal = typeof value !== 'string' || wholeDecimal.test(value);
  if (!decimal && Number.isInteger(n)) {
    throw new GridError(`must be a whole number${range(rule)} written in decimal digits, got '${value}'`, {
      field: flag, fix: [`write it in digits only, e.g. ${flag} ${rule.example}${Number.isSafeInteger(n) ? ` ('${value}' would be ${n})` : ''}`],
    });
  }
  if (!decimal || !Number.isInteger(n) || (rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max)) {
    throw new GridError(`must be a whole number${range(rule)}, got '${String(value)}'`, { field: flag, fix: [`pass e.g. ${flag} ${rule.example}`] });
  }
  return n;
}

/** A finite number flag > 0 (tolerances, rho, time limits) in decimal notation; undefined stays undefined. */
export function positiveNumberFlag(value: FlagValue, flag: string, example: number | string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && !decimalNumber.test(value) ? NaN : numberOf(value);
  if (!Number.isFinite(n) || n <= 0) throw new GridError(`must be a number > 0 in decimal notation, got '${String(value)}'`, { field: flag, fix: [`pass e.g. ${flag} ${example}`] });
  return n;
}

/** A finite number flag within [min, max] in decimal notation (fractions, bounds); undefined stays undefined. */
export function decimalNumberFlag(value: FlagValue, flag: string, rule: NumberRule): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && !decimalNumber.test(value) ? NaN : numberOf(value);
  if (!Number.isFinite(n) || (rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max)) {
    throw new GridError(`must be a number${range(rule)} in decimal notation, got '${String(value)}'`, { field: flag, fix: [`pass e.g. ${flag} ${rule.example}`] });
  }
  return n;
}

/**
 * The run's ADMM options as JSON (`--admm-options`, for agent and verify): an object, or undefined
 * when the flag is absent. The fields are checked where the options are resolved.
 */
export function admmOptionsFlag(value: FlagValue, flag = '--admm-options'): AdmmOptions | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(value));
  } catch (cause) {
    throw new GridError(`is not valid JSON: '${String(value)}'`, { field: flag, fix: [`pass a JSON object, e.g. ${flag} '{"dualWarmStart":false}'`], cause });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GridError(`must be a JSON object, got '${String(value)}'`, { field: flag, fix: [`pass e.g. ${flag} '{"dualWarmStart":false}'`] });
  }
  return parsed as AdmmOptions;
}

/** A readable, non-empty regular file; says which of the three it is not. */
export function inputFile(pathValue: string | number, field: string, what: string): string {
  const path = String(pathValue);
  if (!existsSync(path)) {
    throw new GridError(`${what} '${path}' does not exist`, { field, fix: [`check the path (relative paths start at ${process.cwd()})`] });
  }
  const stat = statSync(path);
  if (stat.isDirectory()) throw new GridError(`'${path}' is a folder, not a file`, { field, fix: [`give the path of the ${what} itself`] });
  if (stat.size === 0) throw new GridError(`${what} '${path}' is empty`, { field, fix: [`give a ${what} with content (was it written completely?)`] });
  return path;
}

/** A built-in case name, or else a case file that exists, is a file and is not empty. */
export function caseArgument(argValue: string | number, field = 'CASE'): string {
  // main.ts hands positionals over as typed (typedPositionals); a number can still come from code.
  const arg = String(argValue);
  const builtin = (builtinCaseNames as readonly string[]).includes(arg);
  if (builtin) return arg;
  if (!existsSync(arg) && !/[./\\]/.test(arg)) {
    // No path separator and no extension: most likely a misspelt built-in name.
    throw new GridError(`'${arg}' is neither a built-in case nor a file`, {
      field,
      fix: [`use a built-in name (${builtinCaseNames.join(', ')}) or the path of a .json case or MATPOWER .m file`],
    });
  }
  return inputFile(arg, field, 'case file');
}

/**
 * Creates the output folder (and checks it is writable) before any work, so a bad --out fails
 * in a second instead of after the solve.
 */
export function outputFolder(dirValue: string | number, flag = '--out'): string {
  const dir = String(dirValue);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new GridError(`'${dir}' is a file, not a folder`, { field: flag, fix: [`give a folder path (it is created when missing), e.g. ${flag} out/run1`] });
  }
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (cause) {
    throw new GridError(`cannot create or write the folder '${dir}'`, { field: flag, fix: ['choose a folder you can write to'], cause });
  }
  return dir;
}

/** The folder of an output file must exist and be writable, and the path must not be a folder. */
export function outputFile(pathValue: string | number, flag = '--out'): string {
  const path = String(pathValue);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new GridError(`'${path}' is a folder, not a file`, { field: flag, fix: [`give a file path, e.g. ${flag} ${resolve(path, 'scenario.json')}`] });
  }
  const folder = dirname(resolve(path));
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new GridError(`the folder '${folder}' does not exist`, { field: flag, fix: ['create the folder first or write to one that exists'] });
  }
  return path;
}

/** An http(s) or ws(s) URL of a JSON-RPC node (reachability is checked where it is used). */
export function rpcUrlFlag(value: FlagValue, flag = '--rpc-url'): string {
  if (value === undefined || value === true || value === '') {
    throw new GridError('is required', { field: flag, fix: [`pass the node URL, e.g. ${flag} http://127.0.0.1:8545`] });
  }
  const text = String(value);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new GridError(`'${text}' is not an http(s) or ws(s) URL`, { field: flag, fix: [`write the full URL with its scheme, e.g. ${flag} http://127.0.0.1:8545`] });
  }
  return text;
}

/** A 0x-prefixed 20-byte address; undefined is allowed only when not required. */
export function addressFlag(value: string | undefined, flag: string, required: boolean): Address | undefined {
  if (value === undefined) {
    if (!required) return undefined;
    throw new GridError('is required', { field: flag, fix: [`pass ${flag} 0x… (the address printed by run)`] });
  }
  if (!isAddress(value, { strict: false })) throw new GridError(`'${value}' is not an address`, { field: flag, fix: ['give 0x followed by 40 hex digits'] });
  return value as Address;
}

/** An empty value (`--out ""`, `--seed=`) is refused: the parser would read it as 0. */
export function rejectEmptyValues(argv: readonly string[]): void {
  argv.forEach((arg, i) => {
    let flag: string | undefined;
    if (arg === '') flag = argv[i - 1]?.startsWith('--') ? argv[i - 1] : undefined;
    else if (arg.startsWith('--') && arg.endsWith('=')) flag = arg.slice(0, -1);
    else return;
    throw new GridError('is empty', { field: flag ?? 'argument', fix: [flag ? `give ${flag} a value (see \`gridconsensus --help\`)` : 'remove the empty argument or give it a value'] });
  });
}

/**
 * argv with `--flag -1` rewritten to `--flag=-1`: the parser would take `-1` for a short
 * option and report "Unknown option `-1`" instead of the flag's own range check.
 */
export function joinNegativeFlagValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && arg.length > 2 && next !== undefined && /^-(\d|\.\d|Infinity\b|NaN\b)/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** cac's name of an option's value: `--max-iter` → `maxIter` (its camelcase rule). */
function optionKey(flagName: string): string {
  return flagName.replace(/([a-z])-([a-z])/g, (_, a: string, b: string) => a + b.toUpperCase());
}

/**
 * The parser (cac, through mri) turns every value that looks like a number into one: `--seed
 * 0x10` arrives as 16, `--seed 1e3` as 1000, an address or key 0x… as a float that has lost its
 * digits. Puts the text as typed back in place of every option value that arrived as a number,
 * so each flag's own check sees what the user wrote. `argv` is what was parsed (after the
 * command name); `options` is the parser's result, changed in place.
 */
export function keepTypedOptionValues(argv: readonly string[], options: Record<string, unknown>): void {
  const typed = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (!arg.startsWith('--') || arg.length === 2) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) typed.set(optionKey(arg.slice(2, eq)), arg.slice(eq + 1));
    else if (argv[i + 1] !== undefined) typed.set(optionKey(arg.slice(2)), argv[i + 1]!);
  }
  for (const [key, value] of Object.entries(options)) {
    const text = typed.get(key);
    if (typeof value === 'number' && text !== undefined) options[key] = text;
  }
}

/**
 * The positional arguments exactly as typed, the command name first. The parser (cac, through
 * mri) reads the word after a flag without a value as a positional turned into a number when it
 * looks like one (`opf --json 007` opened case '7'), and the word after a multi-word flag without
 * a value as that flag's value (`opf --free-substation-voltage 007` lost its case). Here a flag
 * takes the next word only when it is declared with a value (`--out <dir>`, `--dashboard
 * [port]`) or unknown (the parser then reports it), as mri decides it otherwise: not with `=`,
 * not as `--no-…`, not when the next word starts with '-'. Words after `--` are not positional
 * (cac hands them to options['--']). `flagsWithoutValue`: every name of the flags declared
 * without a value, camelCased as cac keeps them (`freeSubstationVoltage`, `h`, `help`).
 */
export function typedPositionals(argv: readonly string[], flagsWithoutValue: ReadonlySet<string>): string[] {
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const name = arg.replace(/^-+/, '');
    if (name.includes('=') || name.startsWith('no-') || flagsWithoutValue.has(optionKey(name))) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('-')) i++;
  }
  return positionals;
}

/**
 * `--dashboard [port]` takes an optional value, so the parser reads `run --dashboard case.json`
 * as port 'case.json' and runs the default scenario. A value that is not a number is the next
 * argument, not the port: the flag becomes `--dashboard=0` (0 = a free port, what the bare flag
 * means) and the argument stays where it was.
 */
export function separateOptionalPortFlags(argv: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    // A number in any notation stays the flag's value, so the port check can name it.
    if (arg.startsWith('--') && names.includes(arg.slice(2)) && next !== undefined && !next.startsWith('-') && Number.isNaN(Number(next))) out.push(`${arg}=0`);
    else out.push(arg);
  }
  return out;
}

/** --eps-abs / --eps-rel as the Boyd stopping rule (the default for the one not given), or undefined when neither is given. */
export function boydStoppingFlags(epsAbsValue: FlagValue, epsRelValue: FlagValue): StoppingRule | undefined {
  if (epsAbsValue === undefined && epsRelValue === undefined) return undefined;
  const defaults = admmDefaults.stopping.kind === 'boyd' ? admmDefaults.stopping : { epsAbs: 1e-5, epsRel: 1e-3 };
  // Both must be > 0: a zero tolerance never stops before the iteration cap.
  const epsAbs = positiveNumberFlag(epsAbsValue, '--eps-abs', '1e-5') ?? defaults.epsAbs;
  const epsRel = positiveNumberFlag(epsRelValue, '--eps-rel', '1e-3') ?? defaults.epsRel;
  return { kind: 'boyd', epsAbs, epsRel };
}
