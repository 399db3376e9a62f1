/**
 * Legends (colour swatches or line samples, wrapped onto rows) and vertical colour bars with
 * ticks. A colour bar is drawn from small rectangles rather than a gradient, so figures carry no
 * element ids and many can sit in one HTML page.
 */
import { estimateTextWidth } from './axes.js';
import type { ColorScale } from './colorScales.js';
import { formatTick, niceTicks } from './niceTicks.js';
import { svgElement, svgText } from './svgBuilder.js';

export interface LegendItem {
  label: string;
  color: string;
  /** A filled square (areas, bars) or a line sample (line series). */
  marker: 'swatch' | 'line' | 'dashed';
}

export interface LegendBlock {
  markup: string[];
  height: number;
}

const rowHeight = 18;

/** Items laid out left to right from (x, y), wrapping before `maxWidth`. */
export function renderLegend(items: readonly LegendItem[], x: number, y: number, maxWidth: number): LegendBlock {
  const markup: string[] = [];
  let cx = x;
  let row = 0;
  for (const item of items) {
    const width = 22 + estimateTextWidth(item.label, 11.5) + 16;
    if (cx > x && cx + width > x + maxWidth) {
      row += 1;
      cx = x;
    }
    const cy = y + row * rowHeight;
    if (item.marker === 'swatch') {
      markup.push(svgElement('rect', { x: cx, y: cy - 9, width: 14, height: 10, rx: 2, fill: item.color }));
    } else {
      markup.push(svgElement('line', { x1: cx, x2: cx + 16, y1: cy - 4, y2: cy - 4, stroke: item.color, 'stroke-width': 2.5, 'stroke-dasharray': item.marker === 'dashed' ? '5 3' : undefined }));
    }
    markup.push(svgText(cx + 22, cy, item.label, { class: 'gc-legend' }));
    cx += width;
  }
  return { markup, height: items.length === 0 ? 0 : (row + 1) * rowHeight };
}

/** Pixel width a colour bar with its tick labels and title takes to the right of `x`. */
export const colorBarWidth = 78;

/**
 * A vertical colour bar at (x, y), `height` tall, high values on top, ticks on the right and the
 * rotated title (quantity and unit) beyond them.
 */
export function renderColorBar(scale: ColorScale, x: number, y: number, height: number, title: string): string[] {
  const slices: string[] = [];
  const steps = 64;
  const barWidth = 14;
  for (let k = 0; k < steps; k++) {
    const value = scale.min + ((k + 0.5) / steps) * (scale.max - scale.min);
    // Slight overlap hides hairline seams between the slices.
    slices.push(svgElement('rect', { x, y: y + height - ((k + 1) * height) / steps, width: barWidth, height: height / steps + 0.5, fill: scale.color(value) }));
  }
  const out = [svgElement('g', { 'shape-rendering': 'crispEdges' }, slices)];
  out.push(svgElement('rect', { x, y, width: barWidth, height, fill: 'none', stroke: '#9aa5b1', 'stroke-width': 0.75 }));
  const nice = niceTicks(scale.min, scale.max, 5);
  const span = scale.max - scale.min;
  const inside = nice.values.filter((v) => v >= scale.min - span * 1e-9 && v <= scale.max + span * 1e-9);
  for (const value of inside) {
    const ty = y + height - ((value - scale.min) / span) * height;
    out.push(svgElement('line', { x1: x + barWidth, x2: x + barWidth + 4, y1: ty, y2: ty, stroke: '#52606d', 'stroke-width': 1 }));
    out.push(svgText(x + barWidth + 7, ty + 3.5, formatTick(value, nice.step), { class: 'gc-tick' }));
  }
  const widest = Math.max(0, ...inside.map((v) => estimateTextWidth(formatTick(v, nice.step))));
  const tx = x + barWidth + 14 + widest + 8;
  const ty = y + height / 2;
  out.push(svgText(tx, ty, title, { class: 'gc-axis-label', 'text-anchor': 'middle', transform: `rotate(90 ${Math.round(tx * 100) / 100} ${Math.round(ty * 100) / 100})` }));
  return out;
}
