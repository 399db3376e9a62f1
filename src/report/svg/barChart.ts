/**
 * Bar chart of one value per category (gas per iteration, bill per participant). Signed data
 * can be coloured by sign with a legend entry for each (e.g. "pays" / "is paid"). Non-finite
 * values draw no bar.
 */
import { requireLength } from '../reportError.js';
import { axisTitle, bandScale, linearScale, renderBandXAxis, renderYAxis } from './axes.js';
import { chartFrame, noDataNote, type ChartSize } from './chartLayout.js';
import { categoricalColors } from './colorScales.js';
import type { LegendItem } from './legend.js';
import { svgDocument, svgElement, svgText } from './svgBuilder.js';

export interface BarChartInput extends ChartSize {
  title: string;
  categories: readonly string[];
  values: readonly number[];
  xLabel: string;
  yLabel: string;
  yUnit?: string;
  color?: string;
  /** Colour negative bars differently, with these legend labels. */
  signLegend?: { positive: string; negative: string };
  /** Print each bar's value above it (only when bars are wide enough). */
  valueLabels?: (value: number) => string;
}

const negativeColor = '#D55E00';

/** @throws ReportError when values and categories differ in length. */
export function renderBarChart(input: BarChartInput): string {
  const count = input.categories.length;
  requireLength(input.values, count, 'values', 'categories');
  const positiveColor = input.color ?? categoricalColors[0]!;
  const legend: LegendItem[] = input.signLegend
    ? [
        { label: input.signLegend.positive, color: positiveColor, marker: 'swatch' },
        { label: input.signLegend.negative, color: negativeColor, marker: 'swatch' },
      ]
    : [];
  const frame = chartFrame(input.title, legend, input);
  const { area } = frame;
  const body = [...frame.header];
  const finite = input.values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) {
    body.push(noDataNote(area));
    return svgDocument(frame.width, frame.height, input.title, body);
  }
  const bottom = area.top + area.height;
  const yScale = linearScale(Math.min(0, ...finite), Math.max(0, ...finite), bottom, area.top, 6);
  const band = bandScale(count, area.left, area.left + area.width, count > 60 ? 0.1 : 0.25);
  body.push(...renderYAxis(area, yScale, axisTitle(input.yLabel, input.yUnit)));
  const zero = yScale.map(0);
  input.values.forEach((v, k) => {
    if (!Number.isFinite(v)) return;
    const y = yScale.map(v);
    const color = input.signLegend && v < 0 ? negativeColor : positiveColor;
    body.push(svgElement('rect', { x: band.start(k), y: Math.min(y, zero), width: band.bandwidth, height: Math.abs(zero - y), fill: color }));
    if (input.valueLabels && band.bandwidth >= 34) {
      const label = input.valueLabels(v);
      body.push(svgText(band.center(k), v >= 0 ? y - 4 : y + 13, label, { class: 'gc-tick', 'text-anchor': 'middle' }));
    }
  });
  body.push(svgElement('line', { x1: area.left, x2: area.left + area.width, y1: zero, y2: zero, stroke: '#52606d', 'stroke-width': 1 }));
  body.push(...renderBandXAxis(area, band, input.categories, input.xLabel));
  return svgDocument(frame.width, frame.height, input.title, body);
}
