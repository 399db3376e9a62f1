/**
 * Stacked bars or areas per period (device power by type over the day, as in the paper's
 * Fig. 4): positive values (injections) stack upwards from zero, negative values (withdrawals)
 * stack downwards, each in series order. An optional line (e.g. net injection) is drawn on top.
 */
import { requireLength } from '../reportError.js';
import { axisTitle, bandScale, linearScale, renderBandXAxis, renderYAxis } from './axes.js';
import { chartFrame, noDataNote, type ChartSize } from './chartLayout.js';
import { categoricalColor } from './colorScales.js';
import type { LegendItem } from './legend.js';
import { formatPoints, svgDocument, svgElement } from './svgBuilder.js';

export interface StackedSeries {
  label: string;
  values: readonly number[];
  color?: string;
}

export interface StackedChartInput extends ChartSize {
  title: string;
  /** One label per period (x category), e.g. "00:00". */
  categories: readonly string[];
  xLabel: string;
  yLabel: string;
  yUnit?: string;
  series: readonly StackedSeries[];
  mode?: 'bars' | 'area';
  /** A line drawn over the stack, e.g. the bus's or feeder's net injection. */
  line?: { label: string; values: readonly number[]; color?: string };
}

interface Band {
  lower: number[];
  upper: number[];
}

/** Cumulative lower/upper edges per series: positives from 0 up, negatives from 0 down. */
export function stackSeries(series: readonly (readonly number[])[], count: number): Band[] {
  const up = new Array<number>(count).fill(0);
  const down = new Array<number>(count).fill(0);
  return series.map((values) => {
    const lower: number[] = [];
    const upper: number[] = [];
    for (let t = 0; t < count; t++) {
      const v = Number.isFinite(values[t]!) ? values[t]! : 0;
      if (v >= 0) {
        lower.push(up[t]!);
        up[t]! += v;
        upper.push(up[t]!);
      } else {
        upper.push(down[t]!);
        down[t]! += v;
        lower.push(down[t]!);
      }
    }
    return { lower, upper };
  });
}

/** @throws ReportError when a series' length differs from the number of categories. */
export function renderStackedChart(input: StackedChartInput): string {
  const count = input.categories.length;
  input.series.forEach((s, k) => requireLength(s.values, count, `series[${k}].values`, 'categories'));
  if (input.line) requireLength(input.line.values, count, 'line.values', 'categories');
  const styled = input.series.map((s, k) => ({ ...s, color: s.color ?? categoricalColor(k) }));
  const legend: LegendItem[] = styled.map((s) => ({ label: s.label, color: s.color, marker: 'swatch' }));
  const lineColor = input.line?.color ?? '#1f2933';
  if (input.line) legend.push({ label: input.line.label, color: lineColor, marker: 'line' });
  const frame = chartFrame(input.title, legend, input);
  const { area } = frame;
  const body = [...frame.header];
  if (count === 0) {
    body.push(noDataNote(area));
    return svgDocument(frame.width, frame.height, input.title, body);
  }
  const bands = stackSeries(styled.map((s) => s.values), count);
  const lineValues = (input.line?.values ?? []).filter((v) => Number.isFinite(v));
  const extent = [0, ...bands.flatMap((b) => [...b.lower, ...b.upper]), ...lineValues];
  const bottom = area.top + area.height;
  const yScale = linearScale(Math.min(...extent), Math.max(...extent), bottom, area.top, 6);
  const band = bandScale(count, area.left, area.left + area.width, input.mode === 'area' ? 0 : 0.18);
  body.push(...renderYAxis(area, yScale, axisTitle(input.yLabel, input.yUnit)));

  styled.forEach((s, k) => {
    const { lower, upper } = bands[k]!;
    if (input.mode === 'area') {
      // Step-shaped areas: a period's value holds over its whole interval.
      const top: [number, number][] = [];
      const base: [number, number][] = [];
      for (let t = 0; t < count; t++) {
        const x0 = area.left + t * band.step;
        const x1 = x0 + band.step;
        top.push([x0, yScale.map(upper[t]!)], [x1, yScale.map(upper[t]!)]);
        base.push([x0, yScale.map(lower[t]!)], [x1, yScale.map(lower[t]!)]);
      }
      const outline = [...top, ...base.reverse()];
      body.push(svgElement('polygon', { points: formatPoints(outline), fill: s.color, 'fill-opacity': 0.85, stroke: s.color, 'stroke-width': 0.5 }));
      return;
    }
    for (let t = 0; t < count; t++) {
      const y0 = yScale.map(upper[t]!);
      const h = yScale.map(lower[t]!) - y0;
      if (h <= 0.05) continue;
      body.push(svgElement('rect', { x: band.start(t), y: y0, width: band.bandwidth, height: h, fill: s.color }));
    }
  });
  const zero = yScale.map(0);
  body.push(svgElement('line', { x1: area.left, x2: area.left + area.width, y1: zero, y2: zero, stroke: '#52606d', 'stroke-width': 1 }));
  if (input.line) {
    const points: [number, number][] = [];
    input.line.values.forEach((v, t) => {
      if (Number.isFinite(v)) points.push([band.center(t), yScale.map(v)]);
    });
    body.push(svgElement('polyline', { points: formatPoints(points), fill: 'none', stroke: lineColor, 'stroke-width': 2, 'stroke-linejoin': 'round' }));
  }
  body.push(...renderBandXAxis(area, band, input.categories, input.xLabel));
  return svgDocument(frame.width, frame.height, input.title, body);
}
