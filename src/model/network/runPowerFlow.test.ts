import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPowerFlow } from './runPowerFlow.js';
import { smallFeeder } from '../../../test/helpers/tinyScenarios.js';

describe('runPowerFlow', () => {
  it('runs every period with the fixed profiles; heavier periods lose more and sag lower', () => {
    const s = smallFeeder(3);
    const pf = runPowerFlow(s);
    assert.equal(pf.periods.length, 3);
    for (let t = 1; t < 3; t++) {
      assert.ok(pf.periods[t]!.losses > pf.periods[t - 1]!.losses);
      assert.ok(pf.periods[t]!.minVoltage < pf.periods[t - 1]!.minVoltage);
    }
    const first = pf.periods[0]!;
    assert.equal(first.minVoltageBus, 2);
    // Slack = load + losses.
    assert.ok(Math.abs(first.result.rootP - (0.3 + 0.4 + 0.2) - first.losses) < 1e-9);
  });
});
