/**
 * Report sections about the run: ADMM convergence, gas per iteration, bills per participant and
 * the verification checks. Each returns undefined when the report lacks its data.
 */
import { reportFigureWidth } from '../html/reportStyles.js';
import { badge, htmlFigure, htmlSection, htmlTable, type HtmlCell } from '../html/htmlBuilder.js';
import { formatFixed, formatInteger, formatMoney } from '../formatNumbers.js';
import type { ReportData } from '../reportData.js';
import { renderBarChart } from '../svg/barChart.js';
import { renderLineChart, type LineSeries, type ReferenceLine } from '../svg/lineChart.js';
import { formatValue } from '../svg/niceTicks.js';
import { renderStackedChart } from '../svg/stackedChart.js';
import { totalGas } from '../summaryRows.js';

export function renderConvergenceSection(report: ReportData): string | undefined {
  const c = report.convergence;
  if (!c || (c.primalResidual.length === 0 && c.dualResidual.length === 0)) return undefined;
  const count = Math.max(c.primalResidual.length, c.dualResidual.length);
  const pad = (xs: readonly number[]) => Array.from({ length: count }, (_, k) => xs[k] ?? Number.NaN);
  const series: LineSeries[] = [
    { label: 'Primal residual ‖r‖', values: pad(c.primalResidual), color: '#0072B2' },
    { label: 'Dual residual ‖s‖', values: pad(c.dualResidual), color: '#D55E00' },
  ];
  const references: ReferenceLine[] = [];
  const tolerance = (t: number | number[] | undefined, label: string, color: string) => {
    if (t === undefined) return;
    if (typeof t === 'number') references.push({ label: `${label} ${formatValue(t)}`, value: t, color });
    else series.push({ label, values: pad(t), color, dashed: true });
  };
  tolerance(c.primalTolerance, 'ε primal', '#0072B2');
  tolerance(c.dualTolerance, 'ε dual', '#D55E00');
  const iterations = Array.from({ length: count }, (_, k) => k + 1);
  const content = [
    htmlFigure(
      renderLineChart({ width: reportFigureWidth, title: 'ADMM residuals', xLabel: 'Iteration', x: iterations, yLabel: 'Residual norm', yUnit: 'p.u.', series, logY: true, referenceLines: references, markers: false }),
      'Primal residual: disagreement between local copies and the global variable; dual residual: change of the global variable times ρ. Log scale; the run stops when both fall below their tolerances.',
    ),
  ];
  if (c.rho && c.rho.length > 0) {
    content.push(
      htmlFigure(
        renderLineChart({ width: reportFigureWidth, title: 'Penalty parameter ρ', xLabel: 'Iteration', x: Array.from({ length: c.rho.length }, (_, k) => k + 1), yLabel: 'ρ', yUnit: 'p.u.', series: [{ label: 'ρ', values: c.rho, color: '#009E73' }], markers: false, height: 240 }),
        'ADMM penalty parameter per iteration.',
      ),
    );
  }
  if (c.cost && c.cost.length > 0) {
    content.push(
      htmlFigure(
        renderLineChart({ width: reportFigureWidth, title: 'Cost of the iterate', xLabel: 'Iteration', x: Array.from({ length: c.cost.length }, (_, k) => k + 1), yLabel: 'Cost', yUnit: report.currency, series: [{ label: 'Σ bus costs', values: c.cost, color: '#CC79A7' }], referenceLines: report.summary?.centralCost === undefined ? [] : [{ label: `central OPF ${formatValue(report.summary.centralCost)}`, value: report.summary.centralCost, color: '#555555' }], markers: false, height: 240 }),
        'Objective of each iteration\'s local schedules; it approaches the central optimum as the copies agree.',
      ),
    );
  }
  const last = (xs: readonly number[]) => (xs.length > 0 ? formatValue(xs[xs.length - 1]!) : 'n/a');
  const intro = `${count} iterations${c.status ? `, ${c.status}` : ''}; final primal residual ${last(c.primalResidual)}, dual residual ${last(c.dualResidual)}.`;
  return htmlSection('convergence', 'Convergence', intro, content);
}

export function renderGasSection(report: ReportData): string | undefined {
  const g = report.gas;
  if (!g || g.perIteration.length === 0) return undefined;
  const categories = g.perIteration.map((_, k) => String(k + 1));
  const svg = g.breakdown && g.breakdown.length > 0
    ? renderStackedChart({ width: reportFigureWidth, title: 'Gas per ADMM iteration', categories, xLabel: 'Iteration', yLabel: 'Gas', series: g.breakdown, mode: 'bars' })
    : renderBarChart({ width: reportFigureWidth, title: 'Gas per ADMM iteration', categories, values: g.perIteration, xLabel: 'Iteration', yLabel: 'Gas' });
  const content = [htmlFigure(svg, 'Gas of all transactions of each iteration: every bus\'s local-copy submission and the coordinator step.')];
  const rows: HtmlCell[][] = [['ADMM iterations', formatInteger(g.perIteration.reduce((a, b) => a + b, 0))], ...(g.other ?? []).map((o) => [o.label, formatInteger(o.gas)])];
  rows.push([{ html: '<strong>Total</strong>' }, { html: `<strong>${formatInteger(totalGas(report) ?? 0)}</strong>` }]);
  content.push(htmlTable([{ header: 'Phase' }, { header: 'Gas', numeric: true }], rows));
  const activity: HtmlCell[][] = (g.activity ?? []).map((a) => [a.label, a.value]);
  if (g.transactionsPerIteration && g.transactionsPerIteration.length > 0) {
    const txs = g.transactionsPerIteration;
    activity.unshift(['Transactions per iteration (min / max)', `${formatInteger(Math.min(...txs))} / ${formatInteger(Math.max(...txs))}`], ['Transactions in the iterations', formatInteger(txs.reduce((a, b) => a + b, 0))]);
  }
  if (activity.length > 0) content.push('<h3>Chain activity</h3>', htmlTable([{ header: 'Item' }, { header: 'Value', numeric: true }], activity));
  const mean = g.perIteration.reduce((a, b) => a + b, 0) / g.perIteration.length;
  return htmlSection('gas', 'Gas', `${g.perIteration.length} iterations, ${formatInteger(mean)} gas per iteration on average.`, content);
}

export function renderBillSection(report: ReportData): string | undefined {
  const b = report.bills;
  if (!b || b.participants.length === 0) return undefined;
  const cur = report.currency;
  const svg = renderBarChart({
    width: reportFigureWidth,
    title: 'Bill per participant',
    categories: b.participants.map((p) => p.name),
    values: b.participants.map((p) => p.amount),
    xLabel: 'Participant',
    yLabel: 'Net amount',
    yUnit: cur,
    signLegend: { positive: 'pays', negative: 'is paid' },
  });
  const hasScheduled = b.participants.some((p) => p.scheduledMwh !== undefined);
  const hasMetered = b.participants.some((p) => p.meteredMwh !== undefined);
  const hasPenalty = b.participants.some((p) => p.penalty !== undefined);
  const columns = [
    { header: 'Participant' },
    ...(hasScheduled ? [{ header: 'Scheduled (MWh)', numeric: true }] : []),
    ...(hasMetered ? [{ header: 'Metered (MWh)', numeric: true }] : []),
    ...(hasPenalty ? [{ header: `Penalty (${cur})`, numeric: true }] : []),
    { header: `Amount (${cur})`, numeric: true },
  ];
  const optional = (x: number | undefined, decimals: number) => (x === undefined ? '' : formatFixed(x, decimals));
  const rows: HtmlCell[][] = b.participants.map((p) => [
    p.name,
    ...(hasScheduled ? [optional(p.scheduledMwh, 4)] : []),
    ...(hasMetered ? [optional(p.meteredMwh, 4)] : []),
    ...(hasPenalty ? [optional(p.penalty, 2)] : []),
    formatFixed(p.amount, 2),
  ]);
  const net = b.participants.reduce((a, p) => a + p.amount, 0);
  rows.push([{ html: '<strong>Net of all participants</strong>' }, ...columns.slice(1, -1).map(() => ''), { html: `<strong>${formatFixed(net, 2)}</strong>` }]);
  if (b.surplus !== undefined) {
    rows.push(['Surplus account (losses, congestion)', ...columns.slice(1, -1).map(() => ''), formatFixed(b.surplus, 2)]);
    rows.push([{ html: '<strong>Net − surplus (0 = money conserved)</strong>' }, ...columns.slice(1, -1).map(() => ''), { html: `<strong>${formatFixed(net - b.surplus, 2)}</strong>` }]);
  }
  const payers = b.participants.filter((p) => p.amount > 0).length;
  return htmlSection('bills', 'Bills', `${b.participants.length} participants settled: ${payers} pay, ${b.participants.length - payers} are paid; net ${formatMoney(net, cur)}.`, [
    htmlFigure(svg, 'Positive: the participant pays; negative: the participant is paid. Amounts include deviation penalties.'),
    `<div class="scroll">${htmlTable(columns, rows)}</div>`,
  ]);
}

export function renderChecksSection(report: ReportData): string | undefined {
  const checks = report.checks;
  if (!checks || checks.length === 0) return undefined;
  const rows: HtmlCell[][] = checks.map((c) => [
    c.name,
    `${formatValue(c.value)}${c.unit ? ` ${c.unit}` : ''}`,
    c.tolerance === undefined ? '' : `${formatValue(c.tolerance)}${c.unit ? ` ${c.unit}` : ''}`,
    badge(c.passed),
    c.detail ?? '',
  ]);
  const failed = checks.filter((c) => !c.passed).length;
  const table = htmlTable([{ header: 'Check' }, { header: 'Value', numeric: true }, { header: 'Tolerance', numeric: true }, { header: 'Result' }, { header: 'Detail' }], rows, (r) => (checks[r]!.passed ? undefined : 'fail'));
  return htmlSection('checks', 'Verification', failed === 0 ? `All ${checks.length} checks passed.` : `${failed} of ${checks.length} checks failed.`, [table]);
}
