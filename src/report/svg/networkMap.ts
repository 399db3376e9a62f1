/**
 * Network map: the radial feeder drawn as a tidy tree, substation on top (a square), each bus a
 * circle coloured by a value (voltage at an hour, minimum voltage over the day, …) with a colour
 * bar. Short labels sit inside the nodes; every node has a hover title with its exact value.
 */
import { requireLength } from '../reportError.js';
import { renderTitle } from './axes.js';
import { colorScale, textColorOn, type ColorScaleKind } from './colorScales.js';
import { colorBarWidth, renderColorBar } from './legend.js';
import { formatValue } from './niceTicks.js';
import { escapeXml, svgDocument, svgElement, svgText } from './svgBuilder.js';
import { layoutTree } from './treeLayout.js';

export interface NetworkMapInput {
  title: string;
  /** Bus names, e.g. "1" … "56". */
  labels: readonly string[];
  /** Parent index of each bus, -1 for the substation. */
  parent: readonly number[];
  /** Value colouring each bus (non-finite: grey). */
  values: readonly number[];
  valueLabel: string;
  valueUnit?: string;
  scale?: ColorScaleKind;
  center?: number;
  domain?: readonly [number, number];
  /** One line under the title, e.g. "Voltage magnitude at 18:00". */
  subtitle?: string;
  width?: number;
}

/** @throws ReportError when labels, parents and values differ in length or the parents are not a tree. */
export function renderNetworkMap(input: NetworkMapInput): string {
  const count = input.parent.length;
  requireLength(input.labels, count, 'labels', 'buses');
  requireLength(input.values, count, 'values', 'buses');
  const layout = layoutTree(input.parent);
  const finite = input.values.filter((v) => Number.isFinite(v));
  const domain = input.domain ?? (finite.length > 0 ? [Math.min(...finite), Math.max(...finite)] : [0, 1]);
  const scale = colorScale(input.scale ?? 'sequential', domain[0], domain[1], input.center ?? 0);

  const width = input.width ?? 760;
  const top = input.subtitle ? 66 : 48;
  const left = 24;
  const plotWidth = width - left - colorBarWidth - 40;
  const slot = plotWidth / Math.max(1, layout.leafCount);
  const radius = Math.max(3.5, Math.min(11, slot / 2 - 1.5));
  const levelGap = Math.max(26, Math.min(40, 2 * radius + 14));
  const x = (node: number) => left + (layout.breadth[node]! + 0.5) * slot;
  const y = (node: number) => top + radius + 4 + layout.depth[node]! * levelGap;
  const plotHeight = layout.maxDepth * levelGap + 2 * radius + 8;
  const longestLabel = Math.max(0, ...input.labels.map((l) => l.length));
  const labelsInside = longestLabel <= 3 && radius >= 8;
  const unitSuffix = input.valueUnit ? ` ${input.valueUnit}` : '';

  const body: string[] = [renderTitle(input.title, 14)];
  if (input.subtitle) body.push(svgText(14, 42, input.subtitle, { class: 'gc-axis-label' }));
  // Elbow edges: down from the parent, across, down to the child (siblings share the bar).
  for (let k = 0; k < count; k++) {
    const p = input.parent[k]!;
    if (p < 0) continue;
    const mid = y(p) + levelGap / 2;
    const d = `M${r2(x(p))} ${r2(y(p))}V${r2(mid)}H${r2(x(k))}V${r2(y(k))}`;
    body.push(svgElement('path', { d, fill: 'none', stroke: '#9aa5b1', 'stroke-width': 1.5 }));
  }
  for (let k = 0; k < count; k++) {
    const fill = scale.color(input.values[k]!);
    const tip = svgElement('title', {}, escapeXml(`${input.labels[k]}: ${formatValue(input.values[k]!)}${unitSuffix}`));
    const cx = x(k);
    const cy = y(k);
    if (k === layout.root) {
      const s = radius + 2;
      body.push(svgElement('rect', { x: cx - s, y: cy - s, width: 2 * s, height: 2 * s, fill, stroke: '#1f2933', 'stroke-width': 2 }, tip));
      body.push(svgText(cx + s + 5, cy + 4, labelsInside ? 'substation' : `${input.labels[k]} (substation)`, { class: 'gc-node-label', 'font-weight': '600' }));
    } else {
      body.push(svgElement('circle', { cx, cy, r: radius, fill, stroke: '#3e4c59', 'stroke-width': 0.75 }, tip));
    }
    if (labelsInside) {
      body.push(svgText(cx, cy + 3.5, input.labels[k]!, { class: 'gc-node-label', 'text-anchor': 'middle', fill: textColorOn(fill) }));
    } else if (radius >= 5 && k !== layout.root) {
      body.push(svgText(cx + radius + 2, cy - radius, input.labels[k]!, { class: 'gc-node-label' }));
    }
  }
  const barHeight = Math.max(120, Math.min(plotHeight, 360));
  const valueTitle = input.valueUnit ? `${input.valueLabel} (${input.valueUnit})` : input.valueLabel;
  body.push(...renderColorBar(scale, width - colorBarWidth - 16, top, barHeight, valueTitle));
  return svgDocument(width, top + Math.max(plotHeight, barHeight) + 16, input.title, body);
}

function r2(value: number): number {
  return Math.round(value * 100) / 100;
}
