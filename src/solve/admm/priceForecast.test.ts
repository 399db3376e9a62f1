import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCouplingLayout } from '../../model/coupling/couplingLayout.js';
import { unitCouplingScale } from '../../model/problems/busSubproblem.js';
import { smallFeeder } from '../../../test/helpers/tinyScenarios.js';
import { dualOffsets, forecastSubstationPrice } from './priceForecast.js';

describe('dual warm start', () => {
  it('forecasts the marginal cost of the fixed load: 2·a·load + b', () => {
    const s = smallFeeder(2);
    const price = forecastSubstationPrice(s);
    // smallFeeder: a = 5, b = 20, fixed load 0.9·(1 + 0.2·t).
    assert.ok(Math.abs(price[0]! - (2 * 5 * 0.9 + 20)) < 1e-6);
    assert.ok(Math.abs(price[1]! - (2 * 5 * 0.9 * 1.2 + 20)) < 1e-6);
  });

  for (const convention of ['receivingEnd', 'sendingEnd'] as const) {
    it(`offsets sum to zero over the copies of every entry (${convention})`, () => {
      const s = smallFeeder(2);
      const layout = buildCouplingLayout(s.buses.map((b) => b.parent), 2, convention);
      const offsets = dualOffsets(layout, s.buses.map((b) => b.parent), s.buses.map((b) => b.r), Float64Array.from([30, 40]), { ...unitCouplingScale, pFlow: 2 });
      const sums = new Float64Array(layout.globalSize);
      layout.copyMap.forEach((map, b) => map.forEach((g, j) => { sums[g]! += offsets[layout.localOffset[b]! + j]!; }));
      sums.forEach((v) => assert.ok(Math.abs(v) < 1e-12));
      assert.ok(offsets.some((v) => v !== 0));
    });
  }
});
