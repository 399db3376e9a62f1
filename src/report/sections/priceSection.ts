/**
 * Prices: the DLMP heat map (bus × hour), the price spread over the day, and a table of the DLMP
 * decomposition at the peak period with the check that the parts add up (model.md, DLMP).
 */
import { reportFigureWidth } from '../html/reportStyles.js';
import { htmlFigure, htmlSection, htmlTable, type HtmlCell, type TableColumn } from '../html/htmlBuilder.js';
import { formatFixed } from '../formatNumbers.js';
import type { PriceData, ReportData } from '../reportData.js';
import { dlmpHeatMapFigure } from '../reportFigures.js';
import { renderLineChart } from '../svg/lineChart.js';
import { formatValue } from '../svg/niceTicks.js';

/** Period with the highest mean DLMP over the buses. */
export function peakPricePeriod(dlmp: readonly (readonly number[])[]): number {
  const periods = Math.max(0, ...dlmp.map((row) => row.length));
  let best = 0;
  let highest = -Infinity;
  for (let t = 0; t < periods; t++) {
    const column = dlmp.map((row) => row[t]!).filter((x) => Number.isFinite(x));
    const m = column.reduce((a, b) => a + b, 0) / Math.max(1, column.length);
    if (column.length > 0 && m > highest) {
      highest = m;
      best = t;
    }
  }
  return best;
}

/** Largest |DLMP − Σ parts| over all buses and periods, or undefined without parts. */
export function decompositionResidual(prices: PriceData): number | undefined {
  if (!prices.parts || prices.parts.length === 0) return undefined;
  let worst = 0;
  prices.dlmp.forEach((row, i) =>
    row.forEach((price, t) => {
      const sum = prices.parts!.reduce((a, part) => a + (part.values[i]?.[t] ?? Number.NaN), 0);
      worst = Math.max(worst, Math.abs(price - sum));
    }),
  );
  return worst;
}

export function renderPriceSection(report: ReportData): string | undefined {
  const p = report.prices;
  if (!p || p.dlmp.length === 0) return undefined;
  const unit = `${report.currency}/MWh`;
  const busNames = report.buses && report.buses.length === p.dlmp.length ? report.buses.map((b) => b.name) : p.dlmp.map((_, k) => String(k + 1));
  const heat = dlmpHeatMapFigure(report)!;
  const content = [htmlFigure(heat.svg, heat.caption)];
  const periods = report.periodLabels.length;
  const column = (t: number) => p.dlmp.map((row) => row[t]!).filter((x) => Number.isFinite(x));
  const stat = (f: (xs: number[]) => number) => Array.from({ length: periods }, (_, t) => (column(t).length > 0 ? f(column(t)) : Number.NaN));
  content.push(
    htmlFigure(
      renderLineChart({
        width: reportFigureWidth,
        title: 'DLMP spread over the feeder',
        xLabel: 'Hour of day',
        xUnit: 'h',
        xTickStep: 3,
        x: Array.from({ length: periods }, (_, t) => t * (report.dtHours ?? 1)),
        yLabel: 'DLMP',
        yUnit: unit,
        series: [
          { label: 'Highest bus', values: stat((xs) => Math.max(...xs)) },
          { label: 'Mean over buses', values: stat((xs) => xs.reduce((a, b) => a + b, 0) / xs.length), dashed: true },
          { label: 'Lowest bus', values: stat((xs) => Math.min(...xs)) },
        ],
        height: 280,
      }),
      'The gap between the highest and lowest bus price comes from losses and voltage limits.',
    ),
  );
  const peak = p.peakPeriod ?? peakPricePeriod(p.dlmp);
  const peakLabel = report.periodLabels[peak] ?? `period ${peak}`;
  const parts = p.parts ?? [];
  const columns: TableColumn[] = [{ header: 'Bus' }, { header: `DLMP (${unit})`, numeric: true }, ...parts.map((part) => ({ header: `${part.name} (${unit})`, numeric: true }))];
  if (parts.length > 0) columns.push({ header: 'DLMP − Σ parts', numeric: true });
  const rows: HtmlCell[][] = p.dlmp.map((row, i) => {
    const price = row[peak] ?? Number.NaN;
    const partValues = parts.map((part) => part.values[i]?.[peak] ?? Number.NaN);
    const cells: HtmlCell[] = [busNames[i]!, formatFixed(price, 2), ...partValues.map((x) => formatFixed(x, 2))];
    if (parts.length > 0) cells.push(formatFixed(price - partValues.reduce((a, b) => a + b, 0), 4));
    return cells;
  });
  const residual = decompositionResidual(p);
  const residualNote = residual === undefined ? '' : ` Over all buses and periods the parts add up to the DLMP within ${formatValue(residual)} ${unit}.`;
  content.push(`<h3>${parts.length > 0 ? 'Price decomposition' : 'Prices'} at the peak period (${escapeText(peakLabel)})</h3>`);
  content.push(`<div class="scroll">${htmlTable(columns, rows)}</div>`);
  return htmlSection('prices', 'Prices', `DLMPs per bus and period, in ${unit}.${residualNote}`, content);
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
