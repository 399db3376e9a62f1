/**
 * Frame shared by the x-y charts: title on top, an optional legend under it, then the plot area
 * with room on the left for y ticks and below for x ticks and the axis title.
 */
import type { PlotArea } from './axes.js';
import { renderTitle } from './axes.js';
import { renderLegend, type LegendItem } from './legend.js';
import { svgText } from './svgBuilder.js';

export interface ChartSize {
  /** Pixel width (default 760). */
  width?: number;
  /** Pixel height of the plot area plus axes (default 340), legend rows are added on top. */
  height?: number;
}

export interface ChartFrame {
  width: number;
  height: number;
  area: PlotArea;
  /** Title and legend markup. */
  header: string[];
}

/** Computes the plot area for a chart with `legendItems` and `rightMargin` of free space. */
export function chartFrame(title: string, legendItems: readonly LegendItem[], size: ChartSize, rightMargin = 24, leftMargin = 74): ChartFrame {
  const width = size.width ?? 760;
  const plotHeight = size.height ?? 340;
  const header = [renderTitle(title, 14)];
  const legend = renderLegend(legendItems, leftMargin, 46, width - leftMargin - rightMargin);
  header.push(...legend.markup);
  const top = legend.height > 0 ? 46 + legend.height : 40;
  const bottomMargin = 50;
  const area: PlotArea = { left: leftMargin, top, width: width - leftMargin - rightMargin, height: plotHeight - 40 - bottomMargin };
  return { width, height: top + area.height + bottomMargin, area, header };
}

/** A centred italic note inside an empty plot area. */
export function noDataNote(area: PlotArea, text = 'no data to plot'): string {
  return svgText(area.left + area.width / 2, area.top + area.height / 2, text, { class: 'gc-note', 'text-anchor': 'middle' });
}
