/**
 * Line chart: several series against a shared x, optional log y (ADMM residuals), optional
 * horizontal reference lines (tolerances, voltage limits). Non-finite points, and non-positive
 * points on a log axis, leave a gap in their line instead of failing the figure.
 */
import { requireLength } from '../reportError.js';
import { axisTitle, estimateTextWidth, linearScale, logScale, renderXAxis, renderYAxis } from './axes.js';
import { chartFrame, noDataNote, type ChartSize } from './chartLayout.js';
import { categoricalColor } from './colorScales.js';
import type { LegendItem } from './legend.js';
import { formatPoints, svgDocument, svgElement, svgText } from './svgBuilder.js';

export interface LineSeries {
  label: string;
  values: readonly number[];
  color?: string;
  dashed?: boolean;
}

export interface ReferenceLine {
  label: string;
  value: number;
  color?: string;
}

export interface LineChartInput extends ChartSize {
  title: string;
  xLabel: string;
  xUnit?: string;
  yLabel: string;
  yUnit?: string;
  /** Shared x coordinates; default 0, 1, 2, … */
  x?: readonly number[];
  series: readonly LineSeries[];
  logY?: boolean;
  referenceLines?: readonly ReferenceLine[];
  /** Fixed x tick spacing (e.g. 3 for hours); default a 1-2-5 step. */
  xTickStep?: number;
  /** Draw a dot on each point (useful for short series). Default: only when a series has ≤ 30 points. */
  markers?: boolean;
}

/** @throws ReportError when a series' length differs from x's. */
export function renderLineChart(input: LineChartInput): string {
  const pointCount = input.x?.length ?? Math.max(0, ...input.series.map((s) => s.values.length));
  const xs = input.x ?? Array.from({ length: pointCount }, (_, k) => k);
  input.series.forEach((s, k) => requireLength(s.values, pointCount, `series[${k}].values`, 'x values'));
  const usable = (v: number) => Number.isFinite(v) && (!input.logY || v > 0);
  const styled = input.series.map((s, k) => ({ ...s, color: s.color ?? categoricalColor(k) }));
  const legend: LegendItem[] = styled.map((s) => ({ label: s.label, color: s.color, marker: s.dashed ? 'dashed' : 'line' }));
  const references = (input.referenceLines ?? []).filter((r) => usable(r.value));
  const frame = chartFrame(input.title, legend, input, 24);
  const { area } = frame;
  const body = [...frame.header];

  const ys = styled.flatMap((s) => s.values.filter(usable)).concat(references.map((r) => r.value));
  const finiteX = xs.filter((v, k) => Number.isFinite(v) && styled.some((s) => usable(s.values[k]!)));
  if (ys.length === 0 || finiteX.length === 0) {
    body.push(svgElement('rect', { x: area.left, y: area.top, width: area.width, height: area.height, fill: 'none', stroke: '#e4e7eb' }), noDataNote(area));
    return svgDocument(frame.width, frame.height, input.title, body);
  }
  const yMin = Math.min(...ys);
  const yMax = Math.max(...ys);
  const bottom = area.top + area.height;
  const yScale = input.logY ? logScale(yMin, yMax, bottom, area.top) : linearScale(yMin, yMax, bottom, area.top, 6);
  const xTicksWanted = Math.max(2, Math.floor(area.width / 90));
  const xScale = linearScale(Math.min(...finiteX), Math.max(...finiteX), area.left, area.left + area.width, xTicksWanted, true, input.xTickStep);
  body.push(...renderYAxis(area, yScale, axisTitle(input.yLabel, input.yUnit)));
  body.push(...renderXAxis(area, xScale, axisTitle(input.xLabel, input.xUnit)));

  for (const ref of references) {
    const y = yScale.map(ref.value);
    body.push(svgElement('line', { x1: area.left, x2: area.left + area.width, y1: y, y2: y, stroke: ref.color ?? '#7b8794', 'stroke-width': 1.25, 'stroke-dasharray': '2 3' }));
  }
  for (const s of styled) {
    const runs: [number, number][][] = [[]];
    s.values.forEach((v, k) => {
      const x = xs[k]!;
      if (usable(v) && Number.isFinite(x)) runs[runs.length - 1]!.push([xScale.map(x), yScale.map(v)]);
      else if (runs[runs.length - 1]!.length > 0) runs.push([]);
    });
    const showMarkers = input.markers ?? s.values.length <= 30;
    for (const run of runs) {
      if (run.length === 0) continue;
      if (run.length > 1) {
        body.push(svgElement('polyline', { points: formatPoints(run), fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-linejoin': 'round', 'stroke-dasharray': s.dashed ? '6 4' : undefined }));
      }
      if (showMarkers || run.length === 1) for (const [x, y] of run) body.push(svgElement('circle', { cx: x, cy: y, r: 2.75, fill: s.color }));
    }
  }
  // Labels last, on a white plate, so they stay legible where a line crosses them.
  for (const ref of references) {
    const y = yScale.map(ref.value) - 4;
    const labelWidth = estimateTextWidth(ref.label) + 6;
    body.push(svgElement('rect', { x: area.left + area.width - 1 - labelWidth, y: y - 10, width: labelWidth, height: 13, rx: 2, fill: '#ffffff', 'fill-opacity': 0.85 }));
    body.push(svgText(area.left + area.width - 4, y, ref.label, { class: 'gc-tick', 'text-anchor': 'end', fill: ref.color ?? '#7b8794' }));
  }
  return svgDocument(frame.width, frame.height, input.title, body);
}
