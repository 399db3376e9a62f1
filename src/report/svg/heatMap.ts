/**
 * Heat map of a rows × columns matrix (bus × hour voltages as in the paper's Fig. 5, bus × hour
 * DLMPs) with a colour bar. Every cell is one rect with a hover title giving its exact value;
 * non-finite cells are drawn in the "missing" grey.
 */
import { extent } from '../arrayStats.js';
import { ReportError, requireLength } from '../reportError.js';
import { bandScale, estimateTextWidth, labelStride, periodsPerHourOf, renderTitle } from './axes.js';
import { colorScale, type ColorScaleKind } from './colorScales.js';
import { colorBarWidth, renderColorBar } from './legend.js';
import { formatValue } from './niceTicks.js';
import { escapeXml, svgDocument, svgElement, svgText } from './svgBuilder.js';

export interface HeatMapInput {
  title: string;
  rowLabels: readonly string[];
  columnLabels: readonly string[];
  /** values[row][column]. */
  values: readonly (readonly number[])[];
  rowAxisLabel: string;
  columnAxisLabel: string;
  valueLabel: string;
  valueUnit?: string;
  scale?: ColorScaleKind;
  /** Diverging centre (default 0). */
  center?: number;
  /** Fixed colour range, e.g. the voltage limits; default the data's range. */
  domain?: readonly [number, number];
  width?: number;
  /** Pixel height of one row (default: fit about 420 px, between 6 and 22). */
  rowHeight?: number;
}

/** @throws ReportError when the matrix does not have rowLabels × columnLabels entries. */
export function renderHeatMap(input: HeatMapInput): string {
  const rows = input.rowLabels.length;
  const cols = input.columnLabels.length;
  requireLength(input.values, rows, 'values', 'row labels');
  input.values.forEach((row, r) => requireLength(row, cols, `values[${r}]`, 'column labels'));
  const finite = input.values.flatMap((row) => row.filter((v) => Number.isFinite(v)));
  const domain = input.domain ?? (finite.length > 0 ? extent(finite) : [0, 1]);
  if (input.domain && !(input.domain[0] <= input.domain[1])) {
    throw new ReportError(`colour domain [${input.domain[0]}, ${input.domain[1]}] is reversed or not a number`, { field: 'domain', fix: ['give [low, high] with low ≤ high'] });
  }
  const scale = colorScale(input.scale ?? 'sequential', domain[0], domain[1], input.center ?? 0);
  const unitSuffix = input.valueUnit ? ` ${input.valueUnit}` : '';

  const width = input.width ?? 760;
  const rowHeight = input.rowHeight ?? Math.min(22, Math.max(6, Math.floor(420 / Math.max(1, rows))));
  const rowLabelWidth = Math.max(12, ...input.rowLabels.map((l) => estimateTextWidth(l)));
  const left = 30 + rowLabelWidth + 8;
  const right = colorBarWidth + 30;
  const top = 42;
  const plotWidth = width - left - right;
  const plotHeight = rows * rowHeight;
  const band = bandScale(cols, left, left + plotWidth, 0);
  const body: string[] = [renderTitle(input.title, 14)];

  const cells: string[] = [];
  input.values.forEach((row, r) => {
    const y = top + r * rowHeight;
    row.forEach((v, c) => {
      const tip = `${input.rowLabels[r]}, ${input.columnLabels[c]}: ${formatValue(v)}${unitSuffix}`;
      // Cells overlap by a hair and render crisp, so no background seams show between them.
      cells.push(svgElement('rect', { class: 'gc-cell', x: band.start(c), y, width: band.step + 0.4, height: rowHeight + 0.4, fill: scale.color(v) }, svgElement('title', {}, escapeXml(tip))));
    });
  });
  body.push(svgElement('g', { 'shape-rendering': 'crispEdges' }, cells));
  body.push(svgElement('rect', { x: left, y: top, width: plotWidth, height: plotHeight, fill: 'none', stroke: '#9aa5b1', 'stroke-width': 0.75 }));

  const rowStride = labelStride(12, rowHeight);
  input.rowLabels.forEach((label, r) => {
    if (r % rowStride !== 0) return;
    body.push(svgText(left - 5, top + (r + 0.5) * rowHeight + 3.5, label, { class: 'gc-tick', 'text-anchor': 'end' }));
  });
  const columnStride = labelStride(Math.max(...input.columnLabels.map((l) => estimateTextWidth(l)), 1) + 8, band.step, periodsPerHourOf(cols));
  const bottom = top + plotHeight;
  input.columnLabels.forEach((label, c) => {
    if (c % columnStride !== 0) return;
    const x = band.center(c);
    body.push(svgElement('line', { x1: x, x2: x, y1: bottom, y2: bottom + 4, stroke: '#52606d', 'stroke-width': 1 }));
    body.push(svgText(x, bottom + 16, label, { class: 'gc-tick', 'text-anchor': 'middle' }));
  });
  body.push(svgText(left + plotWidth / 2, bottom + 34, input.columnAxisLabel, { class: 'gc-axis-label', 'text-anchor': 'middle' }));
  const rx = 16;
  const ry = Math.round((top + plotHeight / 2) * 100) / 100;
  body.push(svgText(rx, ry, input.rowAxisLabel, { class: 'gc-axis-label', 'text-anchor': 'middle', transform: `rotate(-90 ${rx} ${ry})` }));
  const barHeight = Math.max(100, plotHeight);
  const valueTitle = input.valueUnit ? `${input.valueLabel} (${input.valueUnit})` : input.valueLabel;
  body.push(...renderColorBar(scale, left + plotWidth + 16, top, barHeight, valueTitle));
  return svgDocument(width, Math.max(bottom + 48, top + barHeight + 12), input.title, body);
}
