/**
 * The adapter from a run's results to ReportData: a Schedule (per unit inside) plus whatever the
 * caller has (central optimum, ADMM trace, chain figures, bills, checks) become the report's
 * engineering units: MW, |V| = √v p.u., currency per MWh. Pure. Input types are plain numbers
 * and arrays so the pipeline, the ADMM CLI and the verifier can fill them (docs/report.md).
 */
import type { Scenario } from '../scenario/types.js';
import type { DeviceSchedule, Schedule } from '../schedule/schedule.js';
import type { ScheduleChecks } from '../schedule/verifySchedule.js';
import type { BillLine, ConvergenceData, DeviceKind, DevicePowerSeries, ReportData, VerificationCheck } from './reportData.js';
import { ReportError } from './reportError.js';

/** DLMP parts, bus × period, currency per MWh (what `computeDlmps(...).active` returns). */
export interface DlmpPartsInput {
  energy: number[][];
  loss: number[][];
  voltage: number[][];
}

/** The ADMM convergence trace, one entry per iteration (residuals and ρ in per unit): the report's own shape. */
export type AdmmTraceInput = ConvergenceData;

/** What happened on chain; gas as plain numbers (convert bigint with Number() at the caller). */
export interface ChainRunInput {
  /** Gas of all transactions of each ADMM iteration. */
  gasPerIteration: number[];
  /** Optional split of gasPerIteration, each as long as it (e.g. submissions, coordinator step). */
  gasBreakdown?: { label: string; values: number[] }[];
  /** Gas outside the iterations: deployment, registration, settlement. */
  otherGas?: { label: string; gas: number }[];
  /** Transactions per iteration. */
  transactionsPerIteration?: number[];
  /** Free rows for the chain table, e.g. { label: 'Coordinator', value: '0xabc…' }, { label: 'Blocks', value: 123 }. */
  activity?: { label: string; value: string | number }[];
}

/** Settlement: one line per participant (positive amount = pays) and the visible surplus account. */
export interface BillsInput {
  participants: BillLine[];
  /**
   * Money kept by the surplus account (loss and congestion surplus), currency. Conservation:
   * Σ amounts − surplus = 0. Leave out when the surplus account is itself a participant line.
   */
  surplus?: number;
}

export interface ReportInput {
  schedule: Schedule;
  /** The scenario the schedule was computed for: tree (parents) and voltage limits. Without it the map is omitted. */
  scenario?: Scenario;
  /** Title; default "<scenario> day-ahead schedule (<method>)". */
  title?: string;
  /** Currency label in money columns (default "$"). */
  currency?: string;
  /** The central OPF's schedule (or just its cost) for the cost gap and the DLMP difference. */
  central?: { totalCost: number; prices?: { active: number[][] } };
  dlmpParts?: DlmpPartsInput;
  trace?: AdmmTraceInput;
  chain?: ChainRunInput;
  bills?: BillsInput;
  /** The schedule checks of src/schedule/verifySchedule.ts, turned into pass/fail rows. */
  scheduleChecks?: ScheduleChecks;
  /** Further checks as they are (e.g. the verifier's). */
  checks?: VerificationCheck[];
  /** Thresholds for the scheduleChecks rows (defaults in reportCheckTolerances). */
  tolerances?: Partial<typeof reportCheckTolerances>;
  wallTimeSeconds?: number;
  /** Further summary rows. */
  extraSummary?: { label: string; value: string }[];
  notes?: string[];
}

/**
 * Pass thresholds of the schedule checks: the cone gap l·v − P² − Q² (p.u.²) and the AC
 * power-flow voltage mismatch (p.u.) are at solver-accuracy level when the relaxation is tight;
 * limit violations are counted beyond the check's own tolerance.
 */
export const reportCheckTolerances = { coneGap: 1e-4, voltageMismatch: 1e-3, violations: 0 };

/**
 * Check thresholds for a schedule that consensus ADMM stopped at a tolerance: every local copy
 * of a flow or voltage may differ from the consensus value by up to the final primal residual r
 * (p.u.), so the cone gap can move by r·(v + l + 2|P| + 2|Q|) and the swept voltage by about r.
 */
export function admmCheckTolerances(schedule: Schedule, primalResidual: number, parents: number[]): typeof reportCheckTolerances {
  let scale = 0;
  for (let i = 1; i < schedule.buses.length; i++) {
    const b = schedule.buses[i]!;
    const ref = schedule.convention === 'receivingEnd' ? schedule.buses[parents[i]!]! : b;
    for (let t = 0; t < schedule.periods; t++) {
      scale = Math.max(scale, ref.voltageSq[t]! + b.currentSq[t]! + 2 * Math.abs(b.pFlow[t]!) + 2 * Math.abs(b.qFlow[t]!));
    }
  }
  return {
    coneGap: Math.max(reportCheckTolerances.coneGap, primalResidual * scale),
    voltageMismatch: Math.max(reportCheckTolerances.voltageMismatch, primalResidual),
    violations: reportCheckTolerances.violations,
  };
}

/** Report device kinds of the schedule's device kinds. */
const reportKind: Record<DeviceSchedule['kind'], DeviceKind> = {
  generator: 'generator', pv: 'pv', fixedLoad: 'fixedLoad', battery: 'battery', shapableLoad: 'ev', deferrableLoad: 'deferrable',
};

/** Injection of one device per period, p.u. (generation positive, withdrawal negative). */
export function deviceInjection(device: DeviceSchedule): number[] {
  switch (device.kind) {
    case 'generator':
    case 'pv':
      return device.p;
    case 'battery':
      return device.discharge.map((d, t) => d - device.charge[t]!);
    case 'fixedLoad':
    case 'shapableLoad':
    case 'deferrableLoad':
      return device.p.map((p) => -p);
  }
}

/** Period labels "HH:MM" from the period length. */
export function periodLabels(periods: number, dtHours: number): string[] {
  return Array.from({ length: periods }, (_, t) => {
    const minutes = Math.round(t * dtHours * 60);
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  });
}

/**
 * Builds the report's data from a schedule and the optional run results.
 * @throws ReportError when the scenario and schedule disagree on buses or a trace array is ragged.
 */
export function buildReportData(input: ReportInput): ReportData {
  const { schedule, scenario } = input;
  const mw = schedule.baseMva;
  const n = schedule.buses.length;
  if (scenario && scenario.buses.length !== n) {
    throw new ReportError(`scenario has ${scenario.buses.length} buses but the schedule has ${n}`, { field: 'scenario', fix: ['pass the scenario the schedule was computed for'] });
  }
  const currency = input.currency ?? '$';
  const report: ReportData = {
    title: input.title ?? `${schedule.provenance.scenarioName} day-ahead schedule (${schedule.method === 'admm' ? 'consensus ADMM' : 'central OPF'})`,
    subtitle: `${n} buses, ${schedule.periods} periods of ${schedule.dtHours} h, ${schedule.convention === 'receivingEnd' ? 'receiving-end' : 'sending-end'} branch flows; ${schedule.provenance.producedBy}`,
    currency,
    periodLabels: periodLabels(schedule.periods, schedule.dtHours),
    dtHours: schedule.dtHours,
  };
  if (scenario) report.buses = scenario.buses.map((b) => ({ name: b.id, parent: b.parent }));

  const extra = [...(input.extraSummary ?? [])];
  const summary: NonNullable<ReportData['summary']> = {
    method: schedule.method,
    totalCost: schedule.totalCost,
    solverStatus: schedule.solver.status,
    iterations: input.trace ? input.trace.primalResidual.length : schedule.solver.iterations,
    extra,
  };
  if (input.central) summary.centralCost = input.central.totalCost;
  if (input.wallTimeSeconds !== undefined) summary.wallTimeSeconds = input.wallTimeSeconds;
  report.summary = summary;

  report.devicePower = { feeder: feederDevicePower(schedule), averagePerDevice: averageDevicePower(schedule) };
  const voltages: NonNullable<ReportData['voltages']> = { magnitudePu: schedule.buses.map((b) => b.voltageSq.map((v) => Math.sqrt(Math.max(0, v)))) };
  if (scenario) voltages.limitsPu = commonLimits(scenario);
  report.voltages = voltages;

  if (schedule.prices) {
    const dlmp = schedule.prices.active;
    report.prices = { dlmp };
    if (input.dlmpParts) {
      const p = input.dlmpParts;
      report.prices.parts = [{ name: 'Energy', values: p.energy }, { name: 'Losses', values: p.loss }, { name: 'Voltage', values: p.voltage }];
    }
    const centralPrices = input.central?.prices?.active;
    if (centralPrices && schedule.method !== 'central') {
      extra.push({ label: 'Largest DLMP difference to central OPF', value: `${largestDifference(dlmp, centralPrices).toPrecision(3)} ${currency}/MWh` });
    }
  }

  if (input.trace) {
    const t = input.trace;
    const count = t.primalResidual.length;
    if (t.dualResidual.length !== count) throw new ReportError(`has ${t.dualResidual.length} entries but primalResidual has ${count}`, { field: 'trace.dualResidual', fix: ['give one residual of each kind per iteration'] });
    report.convergence = { primalResidual: t.primalResidual, dualResidual: t.dualResidual };
    if (t.primalTolerance !== undefined) report.convergence.primalTolerance = t.primalTolerance;
    if (t.dualTolerance !== undefined) report.convergence.dualTolerance = t.dualTolerance;
    if (t.rho) report.convergence.rho = t.rho;
    if (t.cost) report.convergence.cost = t.cost;
    if (t.status) report.convergence.status = t.status;
  }

  if (input.chain) {
    const c = input.chain;
    report.gas = { perIteration: c.gasPerIteration };
    if (c.gasBreakdown) report.gas.breakdown = c.gasBreakdown;
    if (c.otherGas) report.gas.other = c.otherGas;
    if (c.transactionsPerIteration) report.gas.transactionsPerIteration = c.transactionsPerIteration;
    if (c.activity) report.gas.activity = c.activity.map((a) => ({ label: a.label, value: String(a.value) }));
  }

  if (input.bills) {
    report.bills = { participants: input.bills.participants };
    if (input.bills.surplus !== undefined) report.bills.surplus = input.bills.surplus;
    summary.moneyImbalance = input.bills.participants.reduce((a, p) => a + p.amount, 0) - (input.bills.surplus ?? 0);
  }

  const checks = [...(input.scheduleChecks ? scheduleCheckRows(input.scheduleChecks, schedule, { ...reportCheckTolerances, ...input.tolerances }) : []), ...(input.checks ?? [])];
  if (checks.length > 0) report.checks = checks;

  const notes = [...schedule.relaxations, ...(input.notes ?? [])];
  notes.push(`Scenario source: ${schedule.provenance.scenarioSource.replace(/\.$/, '')}${schedule.provenance.seed === null ? '' : ` (seed ${schedule.provenance.seed})`}.`);
  report.notes = notes;
  return report;
}

/** Feeder total injection per device type, p.u. per period, with the device counts, in the order the types first appear. */
function devicePowerByKind(schedule: Schedule): Map<DeviceKind, { total: number[]; count: number }> {
  const byKind = new Map<DeviceKind, { total: number[]; count: number }>();
  for (const bus of schedule.buses) {
    for (const device of bus.devices) {
      const kind = reportKind[device.kind];
      const entry = byKind.get(kind) ?? { total: new Array<number>(schedule.periods).fill(0), count: 0 };
      deviceInjection(device).forEach((p, t) => { entry.total[t]! += p; });
      entry.count += 1;
      byKind.set(kind, entry);
    }
  }
  return byKind;
}

/** Feeder total per device type, MW, in the order the types first appear. */
export function feederDevicePower(schedule: Schedule): DevicePowerSeries[] {
  return [...devicePowerByKind(schedule)].map(([kind, { total }]) => ({ kind, mw: total.map((p) => p * schedule.baseMva) }));
}

/** Average power of one device of each type, kW per period (the paper's Fig. 4), with the device counts. */
export function averageDevicePower(schedule: Schedule): { kind: DeviceKind; kw: number[]; count: number }[] {
  return [...devicePowerByKind(schedule)].map(([kind, { total, count }]) => ({ kind, kw: total.map((p) => (p * schedule.baseMva * 1000) / count), count }));
}

/** The voltage band shared by most buses, p.u. (√ of the squared limits). */
function commonLimits(scenario: Scenario): [number, number] {
  const counts = new Map<string, number>();
  for (const b of scenario.buses) {
    const key = `${b.voltageSqMin},${b.voltageSqMax}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [key] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  const [lo, hi] = key.split(',').map(Number) as [number, number];
  return [Math.sqrt(lo), Math.sqrt(hi)];
}

function largestDifference(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  let worst = 0;
  a.forEach((row, i) => row.forEach((x, t) => { worst = Math.max(worst, Math.abs(x - (b[i]?.[t] ?? Number.NaN))); }));
  return worst;
}

/** The three schedule checks as report rows, with the location of the worst value. */
export function scheduleCheckRows(checks: ScheduleChecks, schedule: Schedule, tolerances: typeof reportCheckTolerances): VerificationCheck[] {
  const where = (bus: number, period: number) => `bus ${schedule.buses[bus]?.id ?? bus}, period ${period}`;
  const rows: VerificationCheck[] = [
    {
      name: 'Relaxation gap l·v − P² − Q² (largest)',
      value: Math.abs(checks.coneGap.largest),
      unit: 'p.u.²',
      tolerance: tolerances.coneGap,
      passed: Math.abs(checks.coneGap.largest) <= tolerances.coneGap,
      detail: n(schedule) > 1 ? `at ${where(checks.coneGap.bus, checks.coneGap.period)}` : 'no lines',
    },
    {
      name: 'AC power flow vs schedule voltage (largest mismatch)',
      value: checks.powerFlow.largestVoltageMismatch,
      unit: 'p.u.',
      tolerance: tolerances.voltageMismatch,
      passed: checks.powerFlow.largestVoltageMismatch <= tolerances.voltageMismatch,
      detail: `at ${where(checks.powerFlow.bus, checks.powerFlow.period)}; backward/forward sweep of the scheduled injections`,
    },
    {
      name: 'Device and voltage limit violations',
      value: checks.violations.length,
      tolerance: tolerances.violations,
      passed: checks.violations.length <= tolerances.violations,
      detail: checks.violations.length === 0
        ? `none beyond ${checks.tolerance}`
        : checks.violations.slice(0, 3).map((v) => `${v.field}${v.period === null ? '' : ` (period ${v.period})`} by ${v.amount.toPrecision(2)}`).join('; '),
    },
  ];
  return rows;
}

function n(schedule: Schedule): number {
  return schedule.buses.length;
}
