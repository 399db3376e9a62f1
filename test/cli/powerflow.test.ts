import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPowerflowCommand } from '../../src/cli/commands/powerflow.js';

describe('gridconsensus powerflow', () => {
  it('prints one row per period of the built-in SCE-56 case', () => {
    let out = '';
    assert.equal(runPowerflowCommand('sce56', { json: true }, (s) => { out += s; }), 0);
    const parsed = JSON.parse(out) as { periods: Array<{ lossesKw: number; minVoltage: number; iterations: number }> };
    assert.equal(parsed.periods.length, 24);
    for (const p of parsed.periods) {
      assert.ok(p.lossesKw > 0 && p.minVoltage > 0.9 && p.minVoltage <= 1);
    }
  });
});
