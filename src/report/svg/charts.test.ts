import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReportError } from '../reportError.js';
import { renderBarChart } from './barChart.js';
import { renderHeatMap } from './heatMap.js';
import { renderLineChart } from './lineChart.js';
import { renderNetworkMap } from './networkMap.js';
import { renderStackedChart, stackSeries } from './stackedChart.js';
import { checkWellFormed } from './checkWellFormed.js';

const hours = Array.from({ length: 24 }, (_, t) => `${String(t).padStart(2, '0')}:00`);
const wave = (phase: number) => hours.map((_, t) => Math.sin(t / 4 + phase));
const nasty = 'A & B <script>"x"</script>';

function assertSvg(svg: string): void {
  assert.deepEqual(checkWellFormed(svg), []);
  assert.ok(svg.startsWith('<svg') && svg.endsWith('</svg>'));
  assert.ok(!svg.includes('<script'), 'no scripts');
  assert.ok(!/(href|src)=/.test(svg), 'no external references');
}

const charts: [string, () => string][] = [
  ['line', () => renderLineChart({ title: nasty, xLabel: 'Hour', yLabel: nasty, yUnit: 'p.u.', series: [{ label: nasty, values: wave(0) }, { label: 'b', values: wave(1), dashed: true }], referenceLines: [{ label: nasty, value: 0.5 }] })],
  ['line log', () => renderLineChart({ title: 'r', xLabel: 'Iteration', yLabel: 'Residual', x: [1, 2, 3, 4], series: [{ label: 'r', values: [1, 0.1, 0, 1e-3] }], logY: true, referenceLines: [{ label: 'eps', value: 1e-2 }] })],
  ['stacked bars', () => renderStackedChart({ title: 'Power', categories: hours, xLabel: 'Hour', yLabel: 'Power', yUnit: 'MW', series: [{ label: nasty, values: wave(0) }, { label: 'load', values: wave(2) }], line: { label: 'net', values: wave(3) } })],
  ['stacked area', () => renderStackedChart({ title: 'Power', categories: hours, xLabel: 'Hour', yLabel: 'Power', series: [{ label: 'a', values: wave(0) }], mode: 'area' })],
  ['bars', () => renderBarChart({ title: 'Bills', categories: ['a', nasty, 'c'], values: [3, -2, Number.NaN], xLabel: 'Who', yLabel: 'Amount', signLegend: { positive: 'pays', negative: 'is paid' }, valueLabels: String })],
  ['heat map', () => renderHeatMap({ title: nasty, rowLabels: ['1', '2', nasty], columnLabels: hours, values: [wave(0), wave(1), wave(2)], rowAxisLabel: 'Bus', columnAxisLabel: 'Hour', valueLabel: 'V', valueUnit: 'p.u.' })],
  ['network map', () => renderNetworkMap({ title: nasty, labels: ['1', '2', '3', nasty], parent: [-1, 0, 0, 1], values: [1, 0.99, Number.NaN, 0.97], valueLabel: 'V', valueUnit: 'p.u.', subtitle: nasty })],
];

for (const [name, render] of charts) {
  test(`${name}: well-formed, escaped and deterministic`, () => {
    const svg = render();
    assertSvg(svg);
    assert.ok(!svg.includes('<script>"x"'), 'labels are escaped');
    assert.equal(render(), svg);
  });
}

test('a heat map draws exactly rows × columns cells', () => {
  for (const [rows, cols] of [[1, 1], [3, 24], [56, 24], [5, 96]] as const) {
    const values = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => r * cols + c));
    const svg = renderHeatMap({ title: 't', rowLabels: values.map((_, r) => String(r)), columnLabels: values[0]!.map((_, c) => String(c)), values, rowAxisLabel: 'r', columnAxisLabel: 'c', valueLabel: 'v' });
    assertSvg(svg);
    assert.equal(svg.match(/class="gc-cell"/g)?.length, rows * cols);
  }
});

test('constant data, single points and all-missing data still draw a figure', () => {
  assertSvg(renderLineChart({ title: 'one', xLabel: 'x', yLabel: 'y', series: [{ label: 's', values: [5] }] }));
  assertSvg(renderLineChart({ title: 'flat', xLabel: 'x', yLabel: 'y', series: [{ label: 's', values: [2, 2, 2] }], logY: true }));
  const empty = renderLineChart({ title: 'none', xLabel: 'x', yLabel: 'y', series: [{ label: 's', values: [Number.NaN, 0] }], logY: true });
  assertSvg(empty);
  assert.match(empty, /no data to plot/);
  assertSvg(renderBarChart({ title: 'zero', categories: ['a'], values: [0], xLabel: 'x', yLabel: 'y' }));
  assertSvg(renderHeatMap({ title: 'flat', rowLabels: ['a'], columnLabels: ['b', 'c'], values: [[1, 1]], rowAxisLabel: 'r', columnAxisLabel: 'c', valueLabel: 'v', scale: 'diverging', center: 1 }));
  assertSvg(renderNetworkMap({ title: 'alone', labels: ['1'], parent: [-1], values: [Number.NaN], valueLabel: 'V' }));
  assertSvg(renderStackedChart({ title: 'empty', categories: [], xLabel: 'x', yLabel: 'y', series: [] }));
});

test('a missing point breaks the line instead of joining across it', () => {
  const svg = renderLineChart({ title: 'gap', xLabel: 'x', yLabel: 'y', series: [{ label: 's', values: [1, 2, Number.NaN, 3, 4] }] });
  assert.equal(svg.match(/<polyline/g)?.length, 2);
});

test('mismatched lengths are reported with the field to fix', () => {
  const isReportError = (field: string) => (e: unknown) => e instanceof ReportError && e.field === field;
  assert.throws(() => renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', x: [1, 2, 3], series: [{ label: 's', values: [1, 2] }] }), isReportError('series[0].values'));
  assert.throws(() => renderBarChart({ title: 't', categories: ['a'], values: [1, 2], xLabel: 'x', yLabel: 'y' }), isReportError('values'));
  assert.throws(() => renderHeatMap({ title: 't', rowLabels: ['a'], columnLabels: ['b'], values: [[1, 2]], rowAxisLabel: 'r', columnAxisLabel: 'c', valueLabel: 'v' }), isReportError('values[0]'));
  assert.throws(() => renderNetworkMap({ title: 't', labels: ['1', '2'], parent: [-1, 0], values: [1], valueLabel: 'v' }), isReportError('values'));
  assert.throws(() => renderStackedChart({ title: 't', categories: ['a', 'b'], xLabel: 'x', yLabel: 'y', series: [{ label: 's', values: [1] }] }), isReportError('series[0].values'));
});

test('stacking puts positives above zero and negatives below, in series order', () => {
  const bands = stackSeries([[1, -1], [2, 3], [-4, -2]], 2);
  assert.deepEqual(bands.map((b) => [b.lower, b.upper]), [
    [[0, -1], [1, 0]],
    [[1, 0], [3, 3]],
    [[-4, -3], [0, -1]],
  ]);
});
