/**
 * The valibot schema of a case file (structure and per-field ranges). Every message reads
 * "what is wrong; what to write" so each reported issue names its fix. Cross-field rules
 * (tree shape, profile lengths, feasibility of each device) live in checkCaseFile.ts.
 */
import * as v from 'valibot';
import { maxSeed } from '../core/random.js';

type Schema = v.GenericSchema;
interface Field {
  schema: Schema;
  /** What a correct value looks like, e.g. "a number of kW >= 0". */
  what: string;
  optional?: boolean;
}

/** The value as a reader sees it; ±Infinity (a JSON number like 1e999 that overflows) would print as null. */
const describeInput = (input: unknown): string =>
  (input === undefined ? 'missing' : typeof input === 'number' && !Number.isFinite(input) ? String(input) : JSON.stringify(input) ?? String(input));

/** A finite number with a range; the message states the range and an example. */
function numberIn(what: string, checks: { min?: number; gtZero?: boolean; max?: number; integer?: boolean } = {}): Schema {
  const bad = (issue: v.BaseIssue<unknown>) => `must be ${what}, got ${describeInput(issue.input)}; write ${what}`;
  const infinite = (issue: v.BaseIssue<unknown>) => `must be a finite number, got ${describeInput(issue.input)}; write ${what}`;
  const pipe: Array<v.PipeItem<number, number, v.BaseIssue<unknown>>> = [v.finite(infinite)];
  if (checks.integer) pipe.push(v.integer(bad));
  if (checks.gtZero) pipe.push(v.gtValue(0, bad));
  if (checks.min !== undefined) pipe.push(v.minValue(checks.min, bad));
  if (checks.max !== undefined) pipe.push(v.maxValue(checks.max, bad));
  return v.pipe(v.number(bad), ...pipe) as Schema;
}

const req = (schema: Schema, what: string): Field => ({ schema, what });
const opt = (schema: Schema, what: string): Field => ({ schema, what, optional: true });

/** A strict object: unknown fields are errors (typos would otherwise be silently ignored). */
function strict(fields: Record<string, Field>): Schema {
  const entries: Record<string, Schema> = {};
  for (const [key, f] of Object.entries(fields)) entries[key] = f.optional ? (v.optional(f.schema) as Schema) : f.schema;
  const known = Object.keys(fields);
  return v.strictObject(entries, (issue) => {
    const key = String(issue.path?.at(-1)?.key ?? '');
    if (issue.input === undefined && fields[key]) return `is required; add ${key} (${fields[key]!.what})`;
    if (issue.expected === 'Object' || issue.path === undefined) return `must be an object; write { ${known.filter((k) => !fields[k]!.optional).join(', ')} }`;
    const near = closest(key, known);
    return `unknown field '${key}'; ${near ? `did you mean '${near}'? ` : ''}allowed fields: ${known.join(', ')}`;
  }) as Schema;
}

function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

const text = (what: string): Schema =>
  v.pipe(v.string((i) => `must be ${what}, got ${describeInput(i.input)}; write ${what}`), v.minLength(1, `must not be empty; write ${what}`)) as Schema;
const textList = v.array(v.string('must be a string; write a line of text'), 'must be an array of strings; write ["..."]') as Schema;
const flag = (what: string): Schema => v.boolean(`must be true or false; write ${what}`) as Schema;

const kw = (what = 'a number of kW') => numberIn(what);
const kwNonNeg = numberIn('a number of kW >= 0', { min: 0 });
const kwhNonNeg = numberIn('a number of kWh >= 0', { min: 0 });
const hour = numberIn('an hour of the day >= 0 (e.g. 10 for 10:00)', { min: 0 });
const unitFraction = numberIn('a number in [0, 1]', { min: 0, max: 1 });
const efficiency = numberIn('an efficiency in (0, 1], e.g. 0.95', { gtZero: true, max: 1 });
const array = (item: Schema, what: string): Schema => v.array(item, `must be an array of ${what}; write [x, y, ...] with one entry per period`) as Schema;
const perPeriod = (item: Schema, what: string): Schema =>
  v.union([item, array(item, what)], `must be ${what} or an array of them, one per period; write e.g. 12.5 or [12.5, 13, ...]`) as Schema;
const costPerPeriod = (unit: string) => perPeriod(numberIn(`a number of ${unit}`), `a number of ${unit}`);

export const busIdSchema: Schema = v.union(
  [text('a bus name'), numberIn('an integer bus number', { integer: true })],
  (i) => `must be a bus id (a string or an integer), got ${describeInput(i.input)}; write the id of a bus listed in buses[]`,
) as Schema;

const voltageLimits = v.strictTuple(
  [numberIn('a voltage magnitude in p.u. > 0, e.g. 0.95', { gtZero: true }), numberIn('a voltage magnitude in p.u. > 0, e.g. 1.05', { gtZero: true })],
  (i) => `must be [min, max] in p.u., got ${describeInput(i.input)}; write e.g. [0.95, 1.05]`,
) as Schema;

const deviceSchemas: Record<string, Record<string, Field>> = {
  generator: {
    kind: req(v.literal('generator'), '"generator"'), name: req(text('a device name'), 'a device name'),
    pMinKw: req(kw(), 'a number of kW'), pMaxKw: req(kw(), 'a number of kW'),
    qMinKvar: req(numberIn('a number of kVAr'), 'a number of kVAr'), qMaxKvar: req(numberIn('a number of kVAr'), 'a number of kVAr'),
    costQuadraticPerMw2h: opt(costPerPeriod('currency per MW^2 per hour'), 'currency per MW^2 per hour'),
    costLinearPerMwh: opt(costPerPeriod('currency per MWh'), 'currency per MWh'),
    costConstantPerHour: opt(costPerPeriod('currency per hour'), 'currency per hour'),
  },
  pv: {
    kind: req(v.literal('pv'), '"pv"'), name: req(text('a device name'), 'a device name'),
    ratedKw: req(kwNonNeg, 'a number of kW >= 0'),
    profile: opt(array(unitFraction, 'numbers in [0, 1]'), 'fractions of ratedKw, one per period'),
    powerFactor: opt(numberIn('a power factor in (0, 1]', { gtZero: true, max: 1 }), 'a power factor in (0, 1]'),
    curtailable: opt(flag('true or false'), 'true or false'),
  },
  fixedLoad: {
    kind: req(v.literal('fixedLoad'), '"fixedLoad"'), name: req(text('a device name'), 'a device name'),
    pKw: req(perPeriod(kw(), 'a number of kW'), 'kW, one number or one per period'),
    qKvar: opt(perPeriod(numberIn('a number of kVAr'), 'a number of kVAr'), 'kVAr, one number or one per period'),
  },
  battery: {
    kind: req(v.literal('battery'), '"battery"'), name: req(text('a device name'), 'a device name'),
    chargeMaxKw: req(kwNonNeg, 'a number of kW >= 0'), dischargeMaxKw: req(kwNonNeg, 'a number of kW >= 0'),
    energyMinKwh: opt(kwhNonNeg, 'a number of kWh >= 0'), energyMaxKwh: req(kwhNonNeg, 'a number of kWh >= 0'),
    energyInitialKwh: req(kwhNonNeg, 'a number of kWh >= 0'),
    etaCharge: opt(efficiency, 'an efficiency in (0, 1]'), etaDischarge: opt(efficiency, 'an efficiency in (0, 1]'),
    endTolerance: opt(numberIn('a fraction in [0, 1)', { min: 0, max: 0.999999 }), 'a fraction in [0, 1)'),
    throughputCostPerMwh: opt(numberIn('a number of currency per MWh >= 0', { min: 0 }), 'currency per MWh'),
  },
  shapableLoad: {
    kind: req(v.literal('shapableLoad'), '"shapableLoad"'), name: req(text('a device name'), 'a device name'),
    pMinKw: opt(kwNonNeg, 'a number of kW >= 0'), pMaxKw: req(kwNonNeg, 'a number of kW >= 0'),
    windowStartHour: req(hour, 'an hour, e.g. 10'), windowEndHour: req(hour, 'an hour, e.g. 24'),
    energyKwh: req(kwhNonNeg, 'a number of kWh >= 0'),
  },
  deferrableLoad: {
    kind: req(v.literal('deferrableLoad'), '"deferrableLoad"'), name: req(text('a device name'), 'a device name'),
    profileKw: req(v.pipe(v.array(kwNonNeg, 'must be an array of numbers of kW >= 0; write e.g. [2, 2, 1]'), v.minLength(1, 'must not be empty; write the kW drawn in each period after the start, e.g. [2, 2, 1]')) as Schema, 'kW per period after the start'),
    earliestStartHour: req(hour, 'an hour, e.g. 8'), maxDelayHours: req(numberIn('a number of hours >= 0', { min: 0 }), 'a number of hours >= 0'),
  },
};

export const deviceKinds = Object.keys(deviceSchemas);

const deviceSchema: Schema = v.variant(
  'kind',
  Object.values(deviceSchemas).map((fields) => strict(fields)) as never,
  (i) => `device kind ${describeInput(i.input)} is not known; write kind: one of ${deviceKinds.map((k) => `"${k}"`).join(', ')}`,
) as Schema;

const busSchema = strict({
  id: req(busIdSchema, 'a bus id, string or integer'),
  voltageLimitsPu: opt(voltageLimits, '[min, max] in p.u.'),
  devices: opt(v.array(deviceSchema, 'must be an array of devices; write "devices": [ { "kind": ... } ]') as Schema, 'an array of devices'),
});

const lineSchema = strict({
  from: req(busIdSchema, 'the id of one end bus'), to: req(busIdSchema, 'the id of the other end bus'),
  rOhm: opt(numberIn('a resistance in ohm >= 0', { min: 0 }), 'ohm'), rPu: opt(numberIn('a resistance in p.u. >= 0', { min: 0 }), 'p.u.'),
  xOhm: opt(numberIn('a reactance in ohm'), 'ohm'), xPu: opt(numberIn('a reactance in p.u.'), 'p.u.'),
  status: opt(v.picklist(['closed', 'open'], 'must be "closed" or "open"; write "closed" (in service) or "open" (a tie switch)') as Schema, '"closed" or "open"'),
});

const substationSchema = strict({
  bus: req(busIdSchema, 'the id of the substation bus'),
  voltage: req(
    v.variant('mode', [strict({ mode: req(v.literal('free'), '"free"') }), strict({ mode: req(v.literal('fixed'), '"fixed"'), magnitudePu: req(numberIn('a voltage magnitude in p.u. > 0, e.g. 1.0', { gtZero: true }), 'p.u.') })] as never,
      (i) => `voltage mode ${describeInput(i.input)} is not known; write {"mode": "free"} or {"mode": "fixed", "magnitudePu": 1.0}`) as Schema,
    '{"mode": "free"} or {"mode": "fixed", "magnitudePu": 1.0}',
  ),
});

export const caseFileSchema: Schema = strict({
  format: req(v.literal('gridconsensus-case', (i) => `must be "gridconsensus-case", got ${describeInput(i.input)}; write "format": "gridconsensus-case" (MATPOWER files need the .m extension)`) as Schema, '"gridconsensus-case"'),
  version: req(v.literal(1, (i) => `must be 1, got ${describeInput(i.input)}; write "version": 1`) as Schema, '1'),
  name: req(text('a case name'), 'a case name'),
  source: req(v.string('must be a string; write a citation of the network data') as Schema, 'a citation of the data'),
  notes: opt(textList, 'an array of strings'),
  warnings: opt(textList, 'an array of strings'),
  baseMva: req(numberIn('a power base in MVA > 0, e.g. 1', { gtZero: true }), 'MVA, e.g. 1'),
  baseKv: req(numberIn('a voltage base in kV > 0, e.g. 12', { gtZero: true }), 'kV, e.g. 12'),
  periods: opt(numberIn('an integer number of periods >= 1, e.g. 24', { integer: true, min: 1 }), 'an integer >= 1'),
  dtHours: opt(numberIn('a period length in hours > 0, e.g. 1', { gtZero: true }), 'hours, e.g. 1'),
  seed: opt(numberIn(`an integer seed in [0, ${maxSeed}]`, { integer: true, min: 0, max: maxSeed }), 'an integer seed'),
  substation: req(substationSchema, '{"bus": ..., "voltage": {"mode": "free"}}'),
  voltageLimitsPu: req(voltageLimits, '[min, max] in p.u., e.g. [0.95, 1.05]'),
  buses: req(v.pipe(v.array(busSchema, 'must be an array of buses; write "buses": [ { "id": 1 }, ... ]'), v.minLength(1, 'must list at least one bus; write "buses": [ { "id": 1 } ]')) as Schema, 'an array of buses'),
  lines: req(v.array(lineSchema, 'must be an array of lines; write "lines": [ { "from": 1, "to": 2, "rOhm": 0.1, "xOhm": 0.2 } ]') as Schema, 'an array of lines'),
});

/** Flattens valibot issues into "path: message" pairs (nested union issues are reported where they occur). */
export function schemaIssues(issues: readonly v.BaseIssue<unknown>[], prefix: PathKey[] = []): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  for (const issue of issues) {
    const here = [...prefix, ...(issue.path ?? []).map((p) => p.key as PathKey)];
    const deeper = issue.type === 'union' ? (issue.issues ?? []).filter((n) => (n.path?.length ?? 0) > 0) : [];
    if (deeper.length > 0) out.push(...schemaIssues(deeper, here));
    else out.push({ path: formatPath(here), message: issue.message });
  }
  return out;
}

type PathKey = string | number | symbol | unknown;

export function formatPath(keys: readonly PathKey[]): string {
  let s = '';
  for (const k of keys) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s;
}
