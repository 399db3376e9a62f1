/**
 * Report sections about the physical schedule: the network map, device power by type over the
 * day, and bus voltages. Each returns undefined when the report lacks its data.
 */
import { reportFigureWidth } from '../html/reportStyles.js';
import { htmlFigure, htmlSection } from '../html/htmlBuilder.js';
import { extent } from '../arrayStats.js';
import type { ReportData } from '../reportData.js';
import { renderLineChart } from '../svg/lineChart.js';
import { renderNetworkMap } from '../svg/networkMap.js';
import { averageDevicePowerFigure, devicePowerFigure, networkVoltageFigure, voltageHeatMapFigure } from '../reportFigures.js';
import { formatValue } from '../svg/niceTicks.js';
import { renderStackedChart } from '../svg/stackedChart.js';
import { styledDeviceSeries } from './deviceStyle.js';

export { lowestVoltagePeriod } from '../reportFigures.js';

export function renderNetworkSection(report: ReportData): string | undefined {
  const buses = report.buses;
  if (!buses || buses.length === 0) return undefined;
  const labels = buses.map((b) => b.name);
  const parent = buses.map((b) => b.parent);
  const map = networkVoltageFigure(report);
  if (map) return htmlSection('network', 'Network', `${buses.length} buses, ${buses.length - 1} lines, radial from the substation.`, [htmlFigure(map.svg, map.caption)]);
  const p = report.prices;
  const values = p && p.dlmp.length === buses.length ? p.dlmp.map((row) => mean(row)) : buses.map(() => Number.NaN);
  const svg = renderNetworkMap({ width: reportFigureWidth, title: 'Feeder map', subtitle: p ? 'Daily mean DLMP per bus' : undefined, labels, parent, values, valueLabel: p ? 'Mean DLMP' : 'Value', valueUnit: p ? `${report.currency}/MWh` : undefined });
  return htmlSection('network', 'Network', `${buses.length} buses, ${buses.length - 1} lines, radial from the substation.`, [htmlFigure(svg, 'Buses laid out from the substation (square, top) down the radial feeder.')]);
}

export function renderDevicePowerSection(report: ReportData): string | undefined {
  const d = report.devicePower;
  if (!d || d.feeder.length === 0) return undefined;
  const feeder = devicePowerFigure(report)!;
  const figures = [htmlFigure(feeder.svg, feeder.caption)];
  const average = averageDevicePowerFigure(report);
  if (average) figures.push(htmlFigure(average.svg, average.caption));
  for (const bus of d.buses ?? []) {
    figures.push(
      htmlFigure(
        renderStackedChart({ width: reportFigureWidth, title: `Bus ${bus.name}: device power`, categories: report.periodLabels, xLabel: 'Hour of day', yLabel: 'Power', yUnit: 'MW', series: styledDeviceSeries(bus.series), mode: 'bars', height: 280 }),
        `Device setpoints at bus ${bus.name}; injections positive, withdrawals negative.`,
      ),
    );
  }
  return htmlSection('devices', 'Device schedules', 'Day-ahead setpoints of every device, in MW per period.', figures);
}

export function renderVoltageSection(report: ReportData): string | undefined {
  const v = report.voltages;
  if (!v || v.magnitudePu.length === 0) return undefined;
  const heat = voltageHeatMapFigure(report)!;
  const periods = report.periodLabels.length;
  const columns = (t: number) => v.magnitudePu.map((row) => row[t]!).filter((x) => Number.isFinite(x));
  const lowest = Array.from({ length: periods }, (_, t) => Math.min(...columns(t)));
  const highest = Array.from({ length: periods }, (_, t) => Math.max(...columns(t)));
  const limits = v.limitsPu;
  const band = renderLineChart({
    width: reportFigureWidth,
    title: 'Voltage envelope over the feeder',
    xLabel: 'Hour of day',
    xUnit: 'h',
    xTickStep: 3,
    x: Array.from({ length: periods }, (_, t) => t * (report.dtHours ?? 1)),
    yLabel: 'Voltage',
    yUnit: 'p.u.',
    series: [
      { label: 'Highest bus voltage', values: highest.map(finiteOrNaN) },
      { label: 'Lowest bus voltage', values: lowest.map(finiteOrNaN) },
    ],
    referenceLines: limits ? [
      { label: `upper limit ${formatValue(limits[1])} p.u.`, value: limits[1], color: '#b2182b' },
      { label: `lower limit ${formatValue(limits[0])} p.u.`, value: limits[0], color: '#b2182b' },
    ] : [],
    height: 280,
  });
  const all = v.magnitudePu.flat().filter((x) => Number.isFinite(x));
  const [minV, maxV] = extent(all);
  const intro = all.length === 0
    ? 'No finite voltage values in this schedule.'
    : limits
    ? `Voltages range from ${formatValue(minV)} to ${formatValue(maxV)} p.u. against limits [${formatValue(limits[0])}, ${formatValue(limits[1])}] p.u.`
    : `Voltages range from ${formatValue(minV)} to ${formatValue(maxV)} p.u.`;
  return htmlSection('voltages', 'Voltages', intro, [
    htmlFigure(heat.svg, heat.caption),
    htmlFigure(band, 'Highest and lowest voltage over all buses in each period, with the voltage limits.'),
  ]);
}

function mean(values: readonly number[]): number {
  const finite = values.filter((x) => Number.isFinite(x));
  return finite.length === 0 ? Number.NaN : finite.reduce((a, b) => a + b, 0) / finite.length;
}

function finiteOrNaN(value: number): number {
  return Number.isFinite(value) ? value : Number.NaN;
}
