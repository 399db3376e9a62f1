/**
 * Schedule files: schedule.json (the Schedule as is, per unit) and CSV tables in engineering
 * units (MW, Mvar, p.u. |V|, kA, currency per MWh) for spreadsheets. The table builders are
 * pure; `writeOutputFiles` is the stage's only file access.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GridError } from '../core/errors.js';
import type { DeviceSchedule, Schedule } from './schedule.js';

/** One output file: a name inside the output folder and its text. */
export interface OutputFile {
  name: string;
  text: string;
}

/** DLMP parts, bus × period, currency per MWh. */
export interface DlmpPartTables {
  energy: number[][];
  loss: number[][];
  voltage: number[][];
}

export interface ScheduleTableOptions {
  /** Line-to-line base voltage, kV: with it the current columns are also in kA. */
  baseKv?: number;
  /** Parent bus index per bus (−1 at the root): adds the upstream bus column. */
  parents?: number[];
  dlmpParts?: DlmpPartTables;
}

export function scheduleJson(schedule: Schedule): string {
  return `${JSON.stringify(schedule, null, 2)}\n`;
}

/**
 * The CSV tables of a schedule:
 * - `buses.csv`: one row per bus and period: injections, upstream-line flows and current, voltage, DLMP and parts;
 * - `devices.csv`: one row per device and period with its setpoints;
 * - `voltage.csv`, `dlmp.csv`: bus × period matrices (|V| p.u., currency per MWh), the heat maps' data.
 */
export function scheduleTables(schedule: Schedule, options: ScheduleTableOptions = {}): OutputFile[] {
  const mw = schedule.baseMva;
  // I_base = S_base / (√3 · V_base,LL) in kA for MVA and kV.
  const kaBase = options.baseKv ? schedule.baseMva / (Math.sqrt(3) * options.baseKv) : undefined;
  const prices = schedule.prices;
  const parts = options.dlmpParts;
  const header = [
    'bus', ...(options.parents ? ['upstream_bus'] : []), 'period', 'hour',
    'p_injection_mw', 'q_injection_mvar', 'line_p_mw', 'line_q_mvar', 'line_current_pu', ...(kaBase ? ['line_current_ka'] : []),
    'voltage_pu', 'voltage_sq_pu',
    ...(prices ? ['dlmp_per_mwh', 'reactive_price_per_mvarh'] : []),
    ...(parts ? ['dlmp_energy_per_mwh', 'dlmp_loss_per_mwh', 'dlmp_voltage_per_mwh'] : []),
  ];
  const busRows: (string | number)[][] = [];
  for (const bus of schedule.buses) {
    const parent = options.parents?.[bus.index];
    for (let t = 0; t < schedule.periods; t++) {
      const current = Math.sqrt(Math.max(0, bus.currentSq[t]!));
      busRows.push([
        bus.id, ...(options.parents ? [parent === undefined || parent < 0 ? '' : schedule.buses[parent]!.id] : []), t, t * schedule.dtHours,
        bus.p[t]! * mw, bus.q[t]! * mw, bus.pFlow[t]! * mw, bus.qFlow[t]! * mw, current, ...(kaBase ? [current * kaBase] : []),
        Math.sqrt(Math.max(0, bus.voltageSq[t]!)), bus.voltageSq[t]!,
        ...(prices ? [prices.active[bus.index]![t]!, prices.reactive[bus.index]![t]!] : []),
        ...(parts ? [parts.energy[bus.index]![t]!, parts.loss[bus.index]![t]!, parts.voltage[bus.index]![t]!] : []),
      ]);
    }
  }
  const deviceHeader = ['bus', 'device', 'kind', 'period', 'hour', 'p_mw', 'q_mvar', 'charge_mw', 'discharge_mw', 'energy_mwh', 'departure'];
  const deviceRows: (string | number)[][] = [];
  for (const bus of schedule.buses) {
    for (const device of bus.devices) {
      for (let t = 0; t < schedule.periods; t++) deviceRows.push([bus.id, device.name, device.kind, t, t * schedule.dtHours, ...deviceColumns(device, t, mw)]);
    }
  }
  const hours = Array.from({ length: schedule.periods }, (_, t) => `h${formatNumber(t * schedule.dtHours)}`);
  const matrix = (values: (busIndex: number, t: number) => number) => [
    ['bus', ...hours],
    ...schedule.buses.map((b) => [b.id, ...Array.from({ length: schedule.periods }, (_, t) => values(b.index, t))]),
  ];
  const files: OutputFile[] = [
    { name: 'buses.csv', text: toCsv([header, ...busRows]) },
    { name: 'devices.csv', text: toCsv([deviceHeader, ...deviceRows]) },
    { name: 'voltage.csv', text: toCsv(matrix((i, t) => Math.sqrt(Math.max(0, schedule.buses[i]!.voltageSq[t]!)))) },
  ];
  if (prices) files.push({ name: 'dlmp.csv', text: toCsv(matrix((i, t) => prices.active[i]![t]!)) });
  return files;
}

/** p, q, charge, discharge (MW), energy (MWh), departure; blank where the device has none. */
function deviceColumns(d: DeviceSchedule, t: number, mw: number): (string | number)[] {
  switch (d.kind) {
    case 'generator':
    case 'pv':
    case 'fixedLoad':
      return [d.p[t]! * mw, d.q[t]! * mw, '', '', '', ''];
    case 'battery':
      return [(d.discharge[t]! - d.charge[t]!) * mw, '', d.charge[t]! * mw, d.discharge[t]! * mw, d.energy[t]! * mw, ''];
    case 'shapableLoad':
      return [d.p[t]! * mw, '', '', '', '', ''];
    case 'deferrableLoad':
      return [d.p[t]! * mw, '', '', '', '', d.departure[t]!];
  }
}

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted; numbers in shortest round-trip form. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : quote(cell))).join(',')).join('\n') + '\n';
}

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '';
  // Round off solver noise below 1e-12 relative so tables read cleanly.
  return String(Number(x.toPrecision(12)));
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes every file into `dir` (created if missing); returns the paths written. */
export function writeOutputFiles(dir: string, files: readonly OutputFile[]): string[] {
  try {
    mkdirSync(dir, { recursive: true });
    return files.map((f) => {
      const path = join(dir, f.name);
      writeFileSync(path, f.text);
      return path;
    });
  } catch (error) {
    throw new GridError(`cannot write the outputs into '${dir}'`, { field: '--out', fix: ['choose a folder you can write to'], cause: error });
  }
}
