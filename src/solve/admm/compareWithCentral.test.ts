import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Schedule } from '../../schedule/schedule.js';
import { compareWithCentral } from './compareWithCentral.js';

/** Two buses, one period: only what compareWithCentral reads. */
function schedule(prices: number[], totalCost: number): Schedule {
  const bus = { p: [0], q: [0], pFlow: [0], qFlow: [0], voltageSq: [1] };
  return { periods: 1, buses: [bus, bus], totalCost, prices: { active: prices.map((x) => [x]), reactive: [[0], [0]] } } as unknown as Schedule;
}

test('a DLMP near zero is measured against the feeder price level, not itself', () => {
  // Central: 50 at the head, 1e-9 at a bus whose only price is the loss price; ADMM off by 1e-6 there.
  const c = compareWithCentral(schedule([50.5, 1e-6], 100), schedule([50, 1e-9], 100));
  assert.ok(Math.abs(c.maxPriceDiffRelative - 0.01) < 1e-12, `head: 0.5 / 50 = 1 %, got ${c.maxPriceDiffRelative}`);
  const small = compareWithCentral(schedule([50, 1e-6], 100), schedule([50, 1e-9], 100));
  assert.ok(Math.abs(small.maxPriceDiffRelative - (1e-6 - 1e-9) / 0.5) < 1e-12, `the near-zero bus counts against 1 % of 50 (not 1e-9), got ${small.maxPriceDiffRelative}`);
  assert.equal(compareWithCentral(schedule([0, 0], 100), schedule([0, 0], 100)).maxPriceDiffRelative, 0, 'all prices zero: no division by zero');
});
