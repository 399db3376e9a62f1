/**
 * Cross-field checks of a case file that a schema cannot express: bus references, the tree
 * shape, profile lengths, and whether each device's constraints can be met at all. Written
 * defensively (fields may still have wrong types when the schema also failed) so that schema
 * and semantic problems are reported together.
 */
import { caseDefaults } from './caseFile.js';
import type { CaseIssue } from './errors.js';
import { orderRadialTree } from './radialOrder.js';

/** The horizon the time checks use. */
export interface Horizon {
  periods: number;
  dtHours: number;
}

type Loose = Record<string, unknown>;
const isObject = (x: unknown): x is Loose => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const idOf = (x: unknown): string | undefined => (typeof x === 'string' || typeof x === 'number' ? String(x) : undefined);
const tolerance = 1e-9;

/** The horizon of a file: its own periods and dtHours, else the given fallback, else the defaults. */
export function fileHorizon(file: unknown, fallback: Partial<Horizon> = {}): Horizon {
  const f = isObject(file) ? file : {};
  return {
    periods: isNumber(f['periods']) ? f['periods'] : (fallback.periods ?? caseDefaults.periods),
    dtHours: isNumber(f['dtHours']) ? f['dtHours'] : (fallback.dtHours ?? caseDefaults.dtHours),
  };
}

export function checkCaseFile(file: unknown, horizon: Horizon = fileHorizon(file)): CaseIssue[] {
  if (!isObject(file)) return [];
  const issues: CaseIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const buses = Array.isArray(file['buses']) ? file['buses'] : [];
  const lines = Array.isArray(file['lines']) ? file['lines'] : [];

  const busIndex = new Map<string, number>();
  buses.forEach((b, i) => {
    const id = isObject(b) ? idOf(b['id']) : undefined;
    if (id === undefined) return;
    if (busIndex.has(id)) add(`buses[${i}].id`, `duplicate bus id '${id}' (also buses[${busIndex.get(id)}]); give every bus its own id`);
    else busIndex.set(id, i);
  });

  checkLimits(file['voltageLimitsPu'], 'voltageLimitsPu', add);
  buses.forEach((b, i) => isObject(b) && checkLimits(b['voltageLimitsPu'], `buses[${i}].voltageLimitsPu`, add));

  const substation = isObject(file['substation']) ? file['substation'] : {};
  const root = idOf(substation['bus']);
  if (root !== undefined && !busIndex.has(root)) add('substation.bus', `bus '${root}' is not in buses[]; write the id of the substation bus`);
  checkFixedVoltage(file, substation, root, busIndex, add);

  const treeLines: Array<{ from: string; to: string; index: number }> = [];
  let linesOk = true;
  lines.forEach((line, i) => {
    if (!isObject(line)) return;
    const from = idOf(line['from']);
    const to = idOf(line['to']);
    for (const [end, id] of [['from', from], ['to', to]] as const) {
      if (id !== undefined && !busIndex.has(id)) {
        add(`lines[${i}].${end}`, `bus '${id}' is not in buses[]; add the bus or correct the id`);
        linesOk = false;
      }
    }
    if (from !== undefined && from === to) {
      add(`lines[${i}]`, `line connects bus '${from}' to itself; write two different buses`);
      linesOk = false;
    }
    for (const q of ['r', 'x'] as const) {
      const count = (line[`${q}Ohm`] !== undefined ? 1 : 0) + (line[`${q}Pu`] !== undefined ? 1 : 0);
      if (count !== 1) add(`lines[${i}].${q}Ohm`, `${count === 0 ? 'is missing' : 'is given twice'}; write exactly one of ${q}Ohm (ohm) or ${q}Pu (p.u.)`);
    }
    const r = line['rOhm'] ?? line['rPu'];
    const x = line['xOhm'] ?? line['xPu'];
    // A zero-impedance closed line leaves its current free in the branch-flow model (no loss, no drop).
    if (r === 0 && x === 0 && line['status'] !== 'open') {
      add(`lines[${i}]`, `has zero impedance (r = x = 0): '${String(from)}' and '${String(to)}' are one electrical node; merge the two buses (move the devices of one to the other) or give the line its impedance`);
    }
    if (from === undefined || to === undefined) linesOk = false;
    else if (line['status'] !== 'open') treeLines.push({ from, to, index: i });
  });

  if (root !== undefined && busIndex.has(root) && linesOk) {
    const tree = orderRadialTree([...busIndex.keys()], root, treeLines);
    for (const p of tree.problems) {
      if (p.kind === 'cycle') {
        add(`lines[${p.lineIndex}]`, `closes a loop ${p.loop.join(' - ')} - ${p.loop[0]}: the closed lines must form a tree rooted at the substation; set "status": "open" on one line of the loop or remove it`);
      } else {
        const list = p.buses.slice(0, 10).join(', ') + (p.buses.length > 10 ? `, ... (${p.buses.length} in all)` : '');
        add('lines', `bus(es) ${list} are not connected to the substation '${root}' by closed lines; add a line to each or remove the bus`);
      }
    }
  }

  checkDevices(buses, horizon, file['periods'] !== undefined, add);
  return issues;
}

function checkLimits(limits: unknown, path: string, add: (p: string, m: string) => void): void {
  if (Array.isArray(limits) && isNumber(limits[0]) && isNumber(limits[1]) && limits[0] > limits[1]) {
    add(path, `minimum ${limits[0]} is above maximum ${limits[1]}; write [min, max] with min <= max, e.g. [0.95, 1.05]`);
  }
}

function checkFixedVoltage(file: Loose, substation: Loose, root: string | undefined, busIndex: Map<string, number>, add: (p: string, m: string) => void): void {
  const voltage = isObject(substation['voltage']) ? substation['voltage'] : {};
  if (voltage['mode'] !== 'fixed' || !isNumber(voltage['magnitudePu']) || root === undefined || !busIndex.has(root)) return;
  const bus = (file['buses'] as unknown[])[busIndex.get(root)!];
  const own = isObject(bus) && Array.isArray(bus['voltageLimitsPu']) ? bus['voltageLimitsPu'] : file['voltageLimitsPu'];
  if (!Array.isArray(own) || !isNumber(own[0]) || !isNumber(own[1])) return;
  const m = voltage['magnitudePu'];
  if (m < own[0] - tolerance || m > own[1] + tolerance) {
    add('substation.voltage.magnitudePu', `${m} p.u. is outside the substation bus's voltage limits [${own[0]}, ${own[1]}]; write a value inside them or widen the limits`);
  }
}

function checkDevices(buses: unknown[], horizon: Horizon, hasPeriods: boolean, add: (p: string, m: string) => void): void {
  const names = new Map<string, string>();
  const { periods, dtHours } = horizon;
  const dayHours = periods * dtHours;
  const onGrid = (h: number) => Math.abs(h / dtHours - Math.round(h / dtHours)) < 1e-7;
  buses.forEach((bus, i) => {
    if (!isObject(bus) || !Array.isArray(bus['devices'])) return;
    bus['devices'].forEach((d, j) => {
      if (!isObject(d)) return;
      const at = `buses[${i}].devices[${j}]`;
      const name = d['name'];
      if (typeof name === 'string') {
        if (names.has(name)) add(`${at}.name`, `duplicate device name '${name}' (also ${names.get(name)}); give every device its own name`);
        else names.set(name, at);
      }
      for (const [key, value] of Object.entries(d)) {
        if (!Array.isArray(value) || key === 'profileKw') continue;
        if (!hasPeriods) add(`${at}.${key}`, `per-period array but the file has no "periods"; add "periods": ${value.length} at the top level or write one number`);
        else if (value.length !== periods) add(`${at}.${key}`, `has ${value.length} entries but periods is ${periods}; write exactly ${periods} entries`);
      }
      const n = (k: string): number | undefined => (isNumber(d[k]) ? d[k] : undefined);
      const order = (lowKey: string, highKey: string, low = n(lowKey), high = n(highKey)) => {
        if (low !== undefined && high !== undefined && low > high + tolerance) add(`${at}.${lowKey}`, `${lowKey} ${low} exceeds ${highKey} ${high}; write ${lowKey} <= ${highKey}`);
      };
      switch (d['kind']) {
        case 'generator':
          order('pMinKw', 'pMaxKw');
          order('qMinKvar', 'qMaxKvar');
          break;
        case 'battery': {
          order('energyMinKwh', 'energyMaxKwh', n('energyMinKwh') ?? 0);
          const e0 = n('energyInitialKwh');
          const lo = n('energyMinKwh') ?? 0;
          const hi = n('energyMaxKwh');
          if (e0 !== undefined && hi !== undefined && (e0 < lo - tolerance || e0 > hi + tolerance)) {
            add(`${at}.energyInitialKwh`, `${e0} kWh is outside [energyMinKwh, energyMaxKwh] = [${lo}, ${hi}]; write a value within the battery's limits`);
          }
          break;
        }
        case 'shapableLoad': {
          const start = n('windowStartHour');
          const end = n('windowEndHour');
          for (const [key, h] of [['windowStartHour', start], ['windowEndHour', end]] as const) {
            if (h !== undefined && !onGrid(h)) add(`${at}.${key}`, `${h} h is not on a period boundary (dtHours ${dtHours}); write a multiple of ${dtHours}`);
          }
          if (end !== undefined && end > dayHours + tolerance) add(`${at}.windowEndHour`, `${end} h is after the end of the horizon (${dayHours} h); write at most ${dayHours}`);
          if (start !== undefined && end !== undefined && start >= end) add(`${at}.windowStartHour`, `window [${start}, ${end}) h is empty; write windowStartHour < windowEndHour`);
          order('pMinKw', 'pMaxKw', n('pMinKw') ?? 0);
          const energy = n('energyKwh');
          const pMax = n('pMaxKw');
          if (start !== undefined && end !== undefined && end > start && energy !== undefined && pMax !== undefined) {
            const hours = Math.min(end, dayHours) - start;
            const pMin = n('pMinKw') ?? 0;
            if (pMax * hours < energy - tolerance) add(`${at}.energyKwh`, `${energy} kWh cannot be delivered in ${hours} h at pMaxKw ${pMax} (at most ${pMax * hours} kWh); lower energyKwh, raise pMaxKw or widen the window`);
            if (pMin * hours > energy + tolerance) add(`${at}.energyKwh`, `${energy} kWh is less than pMinKw ${pMin} over the ${hours} h window (${pMin * hours} kWh); raise energyKwh or lower pMinKw`);
          }
          break;
        }
        case 'deferrableLoad': {
          const start = n('earliestStartHour');
          const delay = n('maxDelayHours');
          const length = Array.isArray(d['profileKw']) ? d['profileKw'].length : undefined;
          if (start !== undefined && !onGrid(start)) add(`${at}.earliestStartHour`, `${start} h is not on a period boundary (dtHours ${dtHours}); write a multiple of ${dtHours}`);
          if (delay !== undefined && !onGrid(delay)) add(`${at}.maxDelayHours`, `${delay} h is not a whole number of periods (dtHours ${dtHours}); write a multiple of ${dtHours}`);
          if (start !== undefined && delay !== undefined && length !== undefined) {
            const lastEnd = start + delay + length * dtHours;
            if (lastEnd > dayHours + tolerance) {
              add(`${at}.maxDelayHours`, `started as late as ${start + delay} h, its ${length}-period profile ends at ${lastEnd} h, after the horizon (${dayHours} h); lower earliestStartHour or maxDelayHours, or shorten profileKw`);
            }
          }
          break;
        }
        default:
          break;
      }
    });
  });
}
