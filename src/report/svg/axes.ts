/**
 * Scales (linear, log, band) that map data to pixels, and the axis, grid and title markup every
 * chart shares. A chart draws inside a PlotArea; the margins around it hold ticks and labels.
 */
import { formatTick, isDegenerateRange, logTicks, niceTicks, type NiceTicks } from './niceTicks.js';
import { svgElement, svgText } from './svgBuilder.js';

export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Tick {
  value: number;
  label: string;
}

export interface ValueScale {
  kind: 'linear' | 'log';
  /** Axis domain (the first and last tick). */
  min: number;
  max: number;
  ticks: Tick[];
  /** Pixel coordinate of a data value. */
  map(value: number): number;
}

/**
 * A linear scale from a data range to a pixel range (range may run downwards, as for y). The
 * domain widens to the enclosing nice ticks, unless `tight`: then it is the data range (widened
 * only when degenerate) and only the ticks inside it are kept, as suits an x axis of iterations.
 */
export function linearScale(dataMin: number, dataMax: number, rangeStart: number, rangeEnd: number, tickCount = 5, tight = false, fixedStep?: number): ValueScale {
  const nice = fixedStep !== undefined && fixedStep > 0 && (dataMax - dataMin) / fixedStep <= 40 ? fixedStepTicks(dataMin, dataMax, fixedStep) : niceTicks(dataMin, dataMax, tickCount);
  const degenerate = isDegenerateRange(dataMin, dataMax);
  const min = tight && !degenerate ? dataMin : nice.start;
  const max = tight && !degenerate ? dataMax : nice.stop;
  const slack = (max - min) * 1e-9;
  const span = max - min;
  return {
    kind: 'linear',
    min,
    max,
    ticks: nice.values.filter((v) => v >= min - slack && v <= max + slack).map((value) => ({ value, label: formatTick(value, nice.step) })),
    map: (value: number) => rangeStart + ((value - min) / span) * (rangeEnd - rangeStart),
  };
}

/** Ticks at multiples of `step` covering [min, max] (e.g. every 6 hours). */
function fixedStepTicks(min: number, max: number, step: number): NiceTicks {
  const first = Math.floor(min / step + 1e-9);
  const last = Math.max(first + 1, Math.ceil(max / step - 1e-9));
  const values = Array.from({ length: last - first + 1 }, (_, k) => Number(((first + k) * step).toPrecision(12)));
  return { start: values[0]!, stop: values[values.length - 1]!, step, values };
}

/** A base-10 log scale; labels are powers of ten written 1e-3 … 1e2. */
export function logScale(dataMin: number, dataMax: number, rangeStart: number, rangeEnd: number): ValueScale {
  const nice = logTicks(dataMin, dataMax);
  const lo = Math.log10(nice.start);
  const hi = Math.log10(nice.stop);
  const every = Math.max(1, Math.ceil(nice.values.length / 8));
  const ticks = nice.values
    .map((value, k) => ({ value, label: `1e${Math.round(Math.log10(value))}`, k }))
    .filter((t) => t.k % every === 0)
    .map(({ value, label }) => ({ value, label }));
  return {
    kind: 'log',
    min: nice.start,
    max: nice.stop,
    ticks,
    map: (value: number) => rangeStart + ((Math.log10(value) - lo) / (hi - lo)) * (rangeEnd - rangeStart),
  };
}

export interface BandScale {
  count: number;
  /** Width of one band, padding included. */
  step: number;
  /** Drawn width of a bar inside its band. */
  bandwidth: number;
  start(index: number): number;
  center(index: number): number;
}

/** `count` equal bands across [rangeStart, rangeEnd]; `padding` is the gap share of each band. */
export function bandScale(count: number, rangeStart: number, rangeEnd: number, padding = 0.2): BandScale {
  const step = (rangeEnd - rangeStart) / Math.max(1, count);
  const bandwidth = step * (1 - padding);
  return {
    count,
    step,
    bandwidth,
    start: (index: number) => rangeStart + index * step + (step - bandwidth) / 2,
    center: (index: number) => rangeStart + (index + 0.5) * step,
  };
}

/** "Label (unit)", or the label alone when there is no unit. */
export function axisTitle(label: string, unit?: string): string {
  return unit ? `${label} (${unit})` : label;
}

/** Rough rendered width of a label at the tick font size, used to thin crowded labels. */
export function estimateTextWidth(text: string, fontSize = 11): number {
  return text.length * fontSize * 0.58;
}

/** Chart title, left-aligned above the plot area. */
export function renderTitle(title: string, x: number, y = 22): string {
  return svgText(x, y, title, { class: 'gc-title' });
}

/** Horizontal grid lines and the left axis with tick labels and the rotated axis title. */
export function renderYAxis(area: PlotArea, scale: ValueScale, title: string): string[] {
  const out: string[] = [];
  for (const tick of scale.ticks) {
    const y = scale.map(tick.value);
    out.push(svgElement('line', { x1: area.left, x2: area.left + area.width, y1: y, y2: y, stroke: tick.value === 0 && scale.kind === 'linear' ? '#9aa5b1' : '#e4e7eb', 'stroke-width': 1 }));
    out.push(svgText(area.left - 6, y + 3.5, tick.label, { class: 'gc-tick', 'text-anchor': 'end' }));
  }
  const widest = Math.max(0, ...scale.ticks.map((t) => estimateTextWidth(t.label)));
  const x = area.left - widest - 16;
  const y = area.top + area.height / 2;
  out.push(svgText(x, y, title, { class: 'gc-axis-label', 'text-anchor': 'middle', transform: `rotate(-90 ${round(x)} ${round(y)})` }));
  return out;
}

/** Bottom axis for a numeric scale: tick marks, labels and the axis title. */
export function renderXAxis(area: PlotArea, scale: ValueScale, title: string): string[] {
  const bottom = area.top + area.height;
  const out: string[] = [svgElement('line', { x1: area.left, x2: area.left + area.width, y1: bottom, y2: bottom, stroke: '#52606d', 'stroke-width': 1 })];
  for (const tick of scale.ticks) {
    const x = scale.map(tick.value);
    out.push(svgElement('line', { x1: x, x2: x, y1: bottom, y2: bottom + 4, stroke: '#52606d', 'stroke-width': 1 }));
    out.push(svgText(x, bottom + 16, tick.label, { class: 'gc-tick', 'text-anchor': 'middle' }));
  }
  out.push(svgText(area.left + area.width / 2, bottom + 34, title, { class: 'gc-axis-label', 'text-anchor': 'middle' }));
  return out;
}

/** Bottom axis for categories, showing every k-th label so neighbours never overlap. */
export function renderBandXAxis(area: PlotArea, band: BandScale, labels: readonly string[], title: string): string[] {
  const bottom = area.top + area.height;
  const out: string[] = [svgElement('line', { x1: area.left, x2: area.left + area.width, y1: bottom, y2: bottom, stroke: '#52606d', 'stroke-width': 1 })];
  const widest = Math.max(1, ...labels.map((l) => estimateTextWidth(l)));
  const every = labelStride(widest + 8, band.step, periodsPerHourOf(band.count));
  labels.forEach((label, k) => {
    if (k % every !== 0) return;
    const x = band.center(k);
    out.push(svgElement('line', { x1: x, x2: x, y1: bottom, y2: bottom + 4, stroke: '#52606d', 'stroke-width': 1 }));
    out.push(svgText(x, bottom + 16, label, { class: 'gc-tick', 'text-anchor': 'middle' }));
  });
  out.push(svgText(area.left + area.width / 2, bottom + 34, title, { class: 'gc-axis-label', 'text-anchor': 'middle' }));
  return out;
}

/**
 * Show every `stride`-th label so labels `labelExtent` wide never overlap at `spacing`. With
 * `periodsPerHour` (a day of periods) the stride is a whole number of hours dividing the day
 * (1, 2, 3, 4, 6, 12 h) or a divisor of an hour; otherwise it is a 1-2-5 number.
 */
export function labelStride(labelExtent: number, spacing: number, periodsPerHour?: number): number {
  const raw = Math.ceil(labelExtent / Math.max(spacing, 1e-9));
  if (raw <= 1) return 1;
  if (periodsPerHour !== undefined && Number.isInteger(periodsPerHour) && periodsPerHour > 0) {
    const withinHour = Array.from({ length: periodsPerHour }, (_, k) => k + 1).filter((d) => periodsPerHour % d === 0);
    for (const candidate of [...withinHour, ...[2, 3, 4, 6, 12, 24].map((h) => h * periodsPerHour)]) if (candidate >= raw) return candidate;
  }
  for (let p = 1; ; p *= 10) for (const m of [1, 2, 5]) if (m * p >= raw) return m * p;
}

/** Periods per hour when `count` periods look like one day (a multiple of 24), else undefined. */
export function periodsPerHourOf(count: number): number | undefined {
  return count > 0 && count % 24 === 0 ? count / 24 : undefined;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
