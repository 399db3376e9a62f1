/**
 * The summary table's rows (label, value), shared by the HTML report and the Markdown summary:
 * cost, cost gap to the central OPF, iterations, wall time, gas, money conservation.
 */
import { formatDuration, formatInteger, formatMoney, formatPercent } from './formatNumbers.js';
import type { ReportData } from './reportData.js';

export interface SummaryRow {
  label: string;
  value: string;
  /** False when the row reports a failure (money not conserved, a check failed). */
  ok?: boolean;
}

/** Money imbalance below this (currency units) counts as conserved: rounding of cents. */
export const moneyImbalanceTolerance = 0.005;

/** Relative cost gap (cost − central) / |central|, or undefined when there is no central cost. */
export function costGap(report: ReportData): number | undefined {
  const s = report.summary;
  if (!s || s.centralCost === undefined || s.centralCost === 0) return undefined;
  return (s.totalCost - s.centralCost) / Math.abs(s.centralCost);
}

export function summaryRows(report: ReportData): SummaryRow[] {
  const s = report.summary;
  const rows: SummaryRow[] = [];
  if (!s) return rows;
  rows.push({ label: 'Method', value: s.method === 'admm' ? 'consensus ADMM' : 'central OPF' });
  if (s.solverStatus !== undefined) rows.push({ label: 'Status', value: s.solverStatus });
  rows.push({ label: 'Total cost', value: formatMoney(s.totalCost, report.currency) });
  if (s.centralCost !== undefined && s.method !== 'central') {
    rows.push({ label: 'Central OPF cost', value: formatMoney(s.centralCost, report.currency) });
    const gap = costGap(report);
    if (gap !== undefined) rows.push({ label: 'Cost gap to central OPF', value: formatPercent(gap) });
  }
  if (s.iterations !== undefined) rows.push({ label: 'Iterations', value: formatInteger(s.iterations) });
  if (s.wallTimeSeconds !== undefined) rows.push({ label: 'Wall time', value: formatDuration(s.wallTimeSeconds) });
  const gas = s.totalGas ?? totalGas(report);
  if (gas !== undefined) rows.push({ label: 'Gas used', value: formatInteger(gas) });
  if (s.moneyImbalance !== undefined) {
    const ok = Math.abs(s.moneyImbalance) < moneyImbalanceTolerance;
    rows.push({ label: 'Money conserved', value: `${ok ? 'yes' : 'NO'} (imbalance ${formatMoney(s.moneyImbalance, report.currency)})`, ok });
  }
  if (report.checks && report.checks.length > 0) {
    const failed = report.checks.filter((c) => !c.passed).length;
    rows.push({ label: 'Verification', value: failed === 0 ? `all ${report.checks.length} checks passed` : `${failed} of ${report.checks.length} checks FAILED`, ok: failed === 0 });
  }
  for (const e of s.extra ?? []) rows.push({ label: e.label, value: e.value });
  return rows;
}

/** Sum of per-iteration and other gas, when the report has a gas section. */
export function totalGas(report: ReportData): number | undefined {
  if (!report.gas) return undefined;
  const iterations = report.gas.perIteration.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  return iterations + (report.gas.other ?? []).reduce((a, b) => a + b.gas, 0);
}
