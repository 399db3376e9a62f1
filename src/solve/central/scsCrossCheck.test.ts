/** The same formulation solved by SCS (independent first-order solver) gives the same optimum and prices. */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCentralOpf } from './runCentralOpf.js';
import { solveCentralOpf } from './solveCentralOpf.js';
import { smallFeeder } from '../../../test/helpers/tinyScenarios.js';
import { loadScsSolve } from '../../../test/helpers/scsSolve.js';

let scs: Awaited<ReturnType<typeof loadScsSolve>>;
before(async () => { scs = await loadScsSolve(); });

describe('central OPF: own solver vs SCS', () => {
  it('agree on cost, voltages and DLMPs of a small feeder', () => {
    const s = { ...smallFeeder(2), substationVoltage: { mode: 'free' as const } };
    const ours = solveCentralOpf(s, {});
    const theirs = runCentralOpf(s, {}, (p, settings) => scs(p, settings));
    assert.ok(Math.abs(ours.schedule.totalCost - theirs.schedule.totalCost) < 1e-6 * ours.schedule.totalCost);
    for (let i = 0; i < s.buses.length; i++) {
      for (let t = 0; t < 2; t++) {
        assert.ok(Math.abs(ours.schedule.buses[i]!.voltageSq[t]! - theirs.schedule.buses[i]!.voltageSq[t]!) < 1e-6);
        const a = ours.dlmp.active.total[i]![t]!;
        const b = theirs.dlmp.active.total[i]![t]!;
        assert.ok(Math.abs(a - b) < 1e-4 * Math.abs(a), `bus ${i} period ${t}: ${a} vs ${b}`);
      }
    }
  });
});
