/**
 * The report's main figures as standalone SVG documents, shared by the HTML sections and the
 * `opf` output folder: the feeder coloured by voltage, device power by type in total and per device
 * (the paper's Fig. 4),
 * the bus × hour voltage heat map (Fig. 5) and the bus × hour DLMP heat map. Pure.
 */
import { reportFigureWidth } from './html/reportStyles.js';
import type { ReportData } from './reportData.js';
import { deviceKindStyle, styledDeviceSeries } from './sections/deviceStyle.js';
import { renderHeatMap } from './svg/heatMap.js';
import { renderLineChart } from './svg/lineChart.js';
import { renderNetworkMap } from './svg/networkMap.js';
import { renderStackedChart } from './svg/stackedChart.js';

export interface ReportFigure {
  /** File name, e.g. "network-voltage.svg". */
  file: string;
  svg: string;
  caption: string;
}

/** Period index with the smallest voltage anywhere on the feeder. */
export function lowestVoltagePeriod(magnitudePu: readonly (readonly number[])[]): number {
  let best = 0;
  let lowest = Infinity;
  for (const row of magnitudePu) {
    row.forEach((v, t) => {
      if (v < lowest) {
        lowest = v;
        best = t;
      }
    });
  }
  return best;
}

function busNames(report: ReportData, rows: number): string[] {
  return report.buses && report.buses.length === rows ? report.buses.map((b) => b.name) : Array.from({ length: rows }, (_, k) => String(k + 1));
}

/** The feeder tree coloured by voltage at the lowest-voltage period; undefined without buses or voltages. */
export function networkVoltageFigure(report: ReportData): ReportFigure | undefined {
  const buses = report.buses;
  const v = report.voltages;
  if (!buses || buses.length === 0 || !v || v.magnitudePu.length !== buses.length) return undefined;
  const period = v.mapPeriod ?? lowestVoltagePeriod(v.magnitudePu);
  const when = report.periodLabels[period] ?? `period ${period}`;
  const svg = renderNetworkMap({
    width: reportFigureWidth,
    title: 'Feeder voltage map',
    subtitle: `Voltage magnitude at ${when} (the period with the lowest voltage on the feeder)`,
    labels: buses.map((b) => b.name),
    parent: buses.map((b) => b.parent),
    values: v.magnitudePu.map((row) => row[period] ?? Number.NaN),
    valueLabel: 'Voltage',
    valueUnit: 'p.u.',
  });
  return { file: 'network-voltage.svg', svg, caption: `Buses laid out from the substation (square, top) down the radial feeder; colour = voltage magnitude at ${when}. Hover a bus for its exact value.` };
}

/** Feeder power by device type per period (paper Fig. 4); undefined without device data. */
export function devicePowerFigure(report: ReportData): ReportFigure | undefined {
  const d = report.devicePower;
  if (!d || d.feeder.length === 0) return undefined;
  const svg = renderStackedChart({
    width: reportFigureWidth,
    title: 'Feeder power by device type',
    categories: report.periodLabels,
    xLabel: 'Hour of day',
    yLabel: 'Power',
    yUnit: 'MW',
    series: styledDeviceSeries(d.feeder),
    mode: 'bars',
    line: d.substationImportMw ? { label: 'Import at substation', values: d.substationImportMw } : undefined,
  });
  return { file: 'device-power.svg', svg, caption: 'Injections are stacked above zero, withdrawals below (a charging battery is a withdrawal). Sum over all buses of each device type.' };
}

/** Average power of one device of each type per hour, one line per type (paper Fig. 4). */
export function averageDevicePowerFigure(report: ReportData): ReportFigure | undefined {
  // Generators (the substation supply, MW-sized) would flatten the distributed devices (kW-sized); they are in the total figure.
  const average = report.devicePower?.averagePerDevice?.filter((a) => a.kind !== 'generator');
  if (!average || average.length === 0) return undefined;
  const series = [...average]
    .sort((a, b) => deviceKindStyle[a.kind].order - deviceKindStyle[b.kind].order)
    .map((a) => ({ label: `${a.label ?? deviceKindStyle[a.kind].label} (${a.count})`, values: a.kw, color: deviceKindStyle[a.kind].color }));
  const svg = renderLineChart({
    width: reportFigureWidth,
    title: 'Average device power by type',
    xLabel: 'Hour of day',
    xUnit: 'h',
    xTickStep: 3,
    x: report.periodLabels.map((_, t) => t * (report.dtHours ?? 1)),
    yLabel: 'Power per device',
    yUnit: 'kW',
    series,
    referenceLines: [{ label: '0', value: 0, color: '#9aa5b1' }],
  });
  return { file: 'device-average.svg', svg, caption: 'Mean setpoint of one distributed device of each type (number of devices in brackets; generators are in the total figure); injections positive, withdrawals negative.' };
}

/** Bus × hour voltage magnitude (paper Fig. 5). */
export function voltageHeatMapFigure(report: ReportData): ReportFigure | undefined {
  const v = report.voltages;
  if (!v || v.magnitudePu.length === 0) return undefined;
  const svg = renderHeatMap({
    width: reportFigureWidth,
    title: 'Voltage magnitude by bus and hour',
    rowLabels: busNames(report, v.magnitudePu.length),
    columnLabels: report.periodLabels,
    values: v.magnitudePu,
    rowAxisLabel: 'Bus',
    columnAxisLabel: 'Hour of day',
    valueLabel: 'Voltage',
    valueUnit: 'p.u.',
  });
  return { file: 'voltage-heatmap.svg', svg, caption: 'Each cell is one bus in one period; hover a cell for its value.' };
}

/** Bus × hour DLMP. */
export function dlmpHeatMapFigure(report: ReportData): ReportFigure | undefined {
  const p = report.prices;
  if (!p || p.dlmp.length === 0) return undefined;
  const svg = renderHeatMap({
    width: reportFigureWidth,
    title: 'DLMP by bus and hour',
    rowLabels: busNames(report, p.dlmp.length),
    columnLabels: report.periodLabels,
    values: p.dlmp,
    rowAxisLabel: 'Bus',
    columnAxisLabel: 'Hour of day',
    valueLabel: 'DLMP',
    valueUnit: `${report.currency}/MWh`,
  });
  return { file: 'dlmp-heatmap.svg', svg, caption: 'Distribution locational marginal price: the marginal cost of serving one more MWh at a bus in a period. Hover a cell for its value.' };
}

/** Every main figure the report's data allow, in reading order. */
export function reportFigures(report: ReportData): ReportFigure[] {
  return [networkVoltageFigure(report), devicePowerFigure(report), averageDevicePowerFigure(report), voltageHeatMapFigure(report), dlmpHeatMapFigure(report)].filter((f): f is ReportFigure => f !== undefined);
}
