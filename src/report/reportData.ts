/**
 * ReportData: everything the HTML report and the Markdown summary can show, in engineering
 * units (MW, p.u. voltage magnitude, currency per MWh, gas). Plain arrays and numbers only, so
 * any stage can fill it; the adapter from a Schedule or a chain run lives with the caller.
 * Every section is optional: the report shows what is present (an OPF-only run has no gas or
 * bills).
 */

export interface ReportData {
  title: string;
  /** One line under the title: scenario, method, date of the schedule. */
  subtitle?: string;
  /** Currency symbol or code used in every money column, e.g. "$" or "GRID". */
  currency: string;
  /** One label per period, e.g. "00:00" … "23:00". */
  periodLabels: string[];
  /** Period length in hours (default 1), for time axes of line charts. */
  dtHours?: number;
  /** Feeder buses in index order; parent -1 marks the substation. */
  buses?: ReportBus[];
  summary?: ReportSummary;
  devicePower?: DevicePowerData;
  voltages?: VoltageData;
  prices?: PriceData;
  convergence?: ConvergenceData;
  gas?: GasData;
  bills?: BillData;
  checks?: VerificationCheck[];
  /** Free sentences shown at the end: relaxations in force, provenance, options. */
  notes?: string[];
}

export interface ReportBus {
  name: string;
  parent: number;
}

export interface ReportSummary {
  method: 'central' | 'admm';
  /** Objective of this schedule, currency. */
  totalCost: number;
  /** Central OPF optimum for the same day, to state the cost gap. */
  centralCost?: number;
  solverStatus?: string;
  iterations?: number;
  wallTimeSeconds?: number;
  /** Gas of the whole on-chain run. */
  totalGas?: number;
  /** Money in minus money out over all participants after settlement, currency. */
  moneyImbalance?: number;
  /** Further rows for the summary table. */
  extra?: { label: string; value: string }[];
}

export type DeviceKind = 'generator' | 'pv' | 'fixedLoad' | 'battery' | 'ev' | 'deferrable' | 'other';

export interface DevicePowerSeries {
  kind: DeviceKind;
  /** Legend label; default the kind's name. */
  label?: string;
  /** Power per period, MW: injections positive, withdrawals negative (a charging battery < 0). */
  mw: number[];
}

export interface DevicePowerData {
  /** Feeder total per device type. */
  feeder: DevicePowerSeries[];
  /** Power drawn from the upstream grid at the substation per period, MW (drawn as a line). */
  substationImportMw?: number[];
  /**
   * Average power of one device of each type per period, kW (injections positive), with the
   * number of devices averaged: the paper's Fig. 4 ("average device power by type").
   */
  averagePerDevice?: { kind: DeviceKind; label?: string; kw: number[]; count: number }[];
  /** A few buses shown on their own (e.g. the ones with a battery or an EV). */

  buses?: { name: string; series: DevicePowerSeries[] }[];
}

export interface VoltageData {
  /** Voltage magnitude, p.u., [bus][period] in bus index order. */
  magnitudePu: number[][];
  /** Lower and upper limits, p.u. */
  limitsPu?: [number, number];
  /** Period shown on the network map; default: the period with the lowest voltage. */
  mapPeriod?: number;
}

export interface PriceData {
  /** DLMP per bus and period, currency per MWh. */
  dlmp: number[][];
  /** Decomposition, each part [bus][period] in currency per MWh (energy, losses, voltage). */
  parts?: { name: string; values: number[][] }[];
  /** Period whose parts are tabulated; default: the period with the highest mean DLMP. */
  peakPeriod?: number;
}

export interface ConvergenceData {
  primalResidual: number[];
  dualResidual: number[];
  /** A constant tolerance (drawn as a line) or one per iteration (Boyd's relative test). */
  primalTolerance?: number | number[];
  dualTolerance?: number | number[];
  /** Penalty parameter per iteration (p.u.). */
  rho?: number[];
  /** Objective of the iterate per iteration, currency. */
  cost?: number[];
  /** Status word, e.g. "converged" or "maxIterations". */
  status?: string;
}

export interface GasData {
  /** Gas per ADMM iteration (all transactions of that iteration). */
  perIteration: number[];
  /** Optional split per iteration (e.g. submissions, close), each as long as perIteration. */
  breakdown?: { label: string; values: number[] }[];
  /** Gas outside the iterations: deployment, registration, settlement. */
  other?: { label: string; gas: number }[];
  /** Transactions sent in each iteration. */
  transactionsPerIteration?: number[];
  /** Free rows about the chain run (contract addresses, blocks, node). */
  activity?: { label: string; value: string }[];
}

export interface BillData {
  participants: BillLine[];
  /** Money kept by the visible surplus account (loss and congestion surplus), currency. */
  surplus?: number;
}

export interface BillLine {
  name: string;
  /** Net amount, currency: positive = the participant pays, negative = it is paid. */
  amount: number;
  /** Scheduled net consumption over the day, MWh (negative = net producer). */
  scheduledMwh?: number;
  /** Metered net consumption over the day, MWh. */
  meteredMwh?: number;
  /** Deviation penalty included in amount, currency. */
  penalty?: number;
}

export interface VerificationCheck {
  name: string;
  /** Measured value, e.g. the largest cone gap. */
  value: number;
  unit?: string;
  /** Pass threshold the value was compared with. */
  tolerance?: number;
  passed: boolean;
  detail?: string;
}
