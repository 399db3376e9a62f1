import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ReportError } from '../reportError.js';
import { labelStride } from './axes.js';
import { formatTick, formatValue, logTicks, niceStep, niceTicks } from './niceTicks.js';

const mantissa = (step: number) => Number((step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9))).toPrecision(6));

test('niceTicks covers the data range with evenly spaced 1-2-5 steps', () => {
  const finite = fc.double({ min: -1e7, max: 1e7, noNaN: true, noDefaultInfinity: true });
  fc.assert(
    fc.property(finite, finite, fc.integer({ min: 2, max: 10 }), (a, b, target) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const t = niceTicks(lo, hi, target);
      // Within a millionth of a step: a value a hair past a tick counts as on it.
      const slack = t.step * 1e-6;
      assert.ok(t.start <= lo + slack && t.stop >= hi - slack, `[${t.start}, ${t.stop}] must contain [${lo}, ${hi}]`);
      assert.ok([1, 2, 5, 10].includes(mantissa(t.step)), `step ${t.step}`);
      assert.ok(t.values.length >= 2 && t.values.length <= 2 * target + 3, `${t.values.length} ticks for target ${target}`);
      for (let k = 1; k < t.values.length; k++) {
        assert.ok(Math.abs(t.values[k]! - t.values[k - 1]! - t.step) <= t.step * 1e-6);
      }
    }),
    { seed: 42, numRuns: 300 },
  );
});

test('niceStep rounds up to 1, 2 or 5 times a power of ten', () => {
  assert.equal(niceStep(0.3), 0.5);
  assert.equal(niceStep(1), 1);
  assert.equal(niceStep(1.2), 2);
  assert.equal(niceStep(2.0000000001), 2);
  assert.equal(niceStep(70), 100);
});

test('a constant or single value still gets an axis around it', () => {
  for (const v of [0, 1, -3.5, 1e6]) {
    const t = niceTicks(v, v);
    assert.ok(t.start < v && t.stop > v && t.values.length >= 2, `constant ${v}`);
  }
});

test('non-finite or reversed ranges are reported, not drawn', () => {
  assert.throws(() => niceTicks(Number.NaN, 1), ReportError);
  assert.throws(() => niceTicks(0, Number.POSITIVE_INFINITY), ReportError);
  assert.throws(() => niceTicks(2, 1), ReportError);
  assert.throws(() => logTicks(0, 1), ReportError);
});

test('logTicks gives powers of ten covering the range', () => {
  const t = logTicks(3e-4, 7);
  assert.deepEqual(t.values, [1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
  assert.ok(logTicks(5, 5).values.length >= 2);
});

test('tick labels have just enough decimals and shorten large numbers', () => {
  assert.equal(formatTick(0.3, 0.1), '0.3');
  assert.equal(formatTick(0.95, 0.01), '0.95');
  assert.equal(formatTick(-0, 0.5), '0.0');
  assert.equal(formatTick(0, 500000), '0');
  assert.equal(formatTick(2500000, 500000), '2.5M');
  assert.equal(formatTick(40000, 10000), '40k');
  assert.equal(formatValue(3.2e-7), '3.2e-7');
  assert.equal(formatValue(1234.5678), '1235');
  assert.equal(formatValue(0.98765), '0.9877');
  assert.equal(formatValue(Number.NaN), 'n/a');
});

test('labelStride keeps labels apart and divides a day for hourly data', () => {
  assert.equal(labelStride(10, 20), 1);
  assert.equal(labelStride(50, 20, 1), 3);
  assert.equal(labelStride(50, 20), 5);
  assert.equal(labelStride(50, 9, 4), 8);
  fc.assert(
    fc.property(fc.double({ min: 1, max: 500, noNaN: true }), fc.double({ min: 0.5, max: 100, noNaN: true }), fc.constantFrom(undefined, 1, 2, 4), (extent, spacing, perHour) => {
      assert.ok(labelStride(extent, spacing, perHour) * spacing >= extent - 1e-9);
    }),
    { seed: 7, numRuns: 200 },
  );
});
