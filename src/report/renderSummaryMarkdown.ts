/**
 * A Markdown summary for the terminal, a README or a pull request: the summary table, the
 * verification checks and the bill totals, without figures.
 */
import { extent } from './arrayStats.js';
import { formatFixed, formatMoney } from './formatNumbers.js';
import type { ReportData } from './reportData.js';
import { decompositionResidual } from './sections/priceSection.js';
import { formatValue } from './svg/niceTicks.js';
import { summaryRows } from './summaryRows.js';

/** Pure: the same ReportData gives the same string (ends with a newline). */
export function renderSummaryMarkdown(report: ReportData): string {
  const lines: string[] = [`# ${inline(report.title)}`, ''];
  if (report.subtitle) lines.push(inline(report.subtitle), '');
  const rows = summaryRows(report);
  if (rows.length > 0) lines.push(...markdownTable(['Quantity', 'Value'], rows.map((r) => [r.label, r.value]), [false, true]), '');
  const v = report.voltages?.magnitudePu.flat().filter((x) => Number.isFinite(x)) ?? [];
  if (v.length > 0) lines.push(`Voltages: ${formatValue(extent(v)[0])} to ${formatValue(extent(v)[1])} p.u.`);
  const prices = report.prices?.dlmp.flat().filter((x) => Number.isFinite(x)) ?? [];
  if (prices.length > 0) {
    const residual = report.prices ? decompositionResidual(report.prices) : undefined;
    const parts = residual === undefined ? '' : ` (parts add up within ${formatValue(residual)})`;
    lines.push(`DLMPs: ${formatFixed(extent(prices)[0], 2)} to ${formatFixed(extent(prices)[1], 2)} ${inline(report.currency)}/MWh${parts}`);
  }
  if (v.length > 0 || prices.length > 0) lines.push('');
  if (report.checks && report.checks.length > 0) {
    lines.push('## Verification', '');
    lines.push(...markdownTable(['Check', 'Value', 'Tolerance', 'Result'], report.checks.map((c) => [
      c.name,
      `${formatValue(c.value)}${c.unit ? ` ${c.unit}` : ''}`,
      c.tolerance === undefined ? '' : formatValue(c.tolerance),
      c.passed ? 'pass' : '**FAIL**',
    ]), [false, true, true, false]), '');
  }
  if (report.bills && report.bills.participants.length > 0) {
    const amounts = report.bills.participants.map((p) => p.amount);
    const paid = amounts.filter((a) => a > 0).reduce((a, b) => a + b, 0);
    const received = -amounts.filter((a) => a < 0).reduce((a, b) => a + b, 0);
    lines.push('## Bills', '');
    lines.push(`${amounts.length} participants: ${formatMoney(paid, report.currency)} paid in, ${formatMoney(received, report.currency)} paid out.`, '');
  }
  for (const note of report.notes ?? []) lines.push(`- ${inline(note)}`);
  if (report.notes && report.notes.length > 0) lines.push('');
  return lines.join('\n').replace(/\n+$/, '\n');
}

/** Escapes the characters that would break a Markdown table cell or start markup. */
function inline(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[]): string[] {
  const cells = rows.map((row) => row.map((c) => inline(c)));
  const widths = headers.map((h, c) => Math.max(h.length, 3, ...cells.map((row) => row[c]!.length)));
  const pad = (text: string, c: number) => (numeric[c] ? text.padStart(widths[c]!) : text.padEnd(widths[c]!));
  return [
    `| ${headers.map((h, c) => pad(h, c)).join(' | ')} |`,
    `| ${widths.map((w, c) => (numeric[c] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`,
    ...cells.map((row) => `| ${row.map((cell, c) => pad(cell, c)).join(' | ')} |`),
  ];
}
