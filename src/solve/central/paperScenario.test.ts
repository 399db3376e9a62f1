/** The paper's scenario on the SCE 56-bus feeder: the relaxation is exact and the checks pass. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario } from '../../scenario/io.js';
import { verifySchedule } from '../../schedule/verifySchedule.js';
import { solveCentralOpf } from './solveCentralOpf.js';

describe('central OPF on sce56-paper', () => {
  it('solves with a tight cone, AC power-flow voltages within 1e-8 and DLMP parts adding up', () => {
    const scenario = loadScenario('sce56-paper');
    const { schedule, dlmp } = solveCentralOpf(scenario);
    assert.equal(schedule.solver.status, 'solved');
    const checks = verifySchedule(scenario, schedule);
    assert.ok(Math.abs(checks.coneGap.largest) < 1e-6, `cone gap ${checks.coneGap.largest}`);
    assert.ok(checks.powerFlow.largestVoltageMismatch < 1e-8, `voltage mismatch ${checks.powerFlow.largestVoltageMismatch}`);
    assert.deepEqual(checks.violations, []);
    assert.ok(dlmp.largestMismatch < 1e-6, `DLMP mismatch ${dlmp.largestMismatch}`);
    // The substation price is the microturbine's marginal cost (docs/dlmp.md D2) while it is inside its limits.
    const turbine = scenario.buses[0]!.devices.find((d) => d.kind === 'generator')!;
    const dispatch = schedule.buses[0]!.devices.find((d) => d.kind === 'generator')!;
    assert.ok(turbine.kind === 'generator' && dispatch.kind === 'generator');
    for (let t = 0; t < scenario.periods; t++) {
      const p = dispatch.p[t]!;
      if (p < turbine.pMin + 1e-6 || p > turbine.pMax - 1e-6) continue;
      const marginal = (2 * turbine.costQuadratic[t]! * p + turbine.costLinear[t]!) / scenario.baseMva;
      assert.ok(Math.abs(dlmp.active.total[0]![t]! - marginal) < 1e-5 * marginal, `period ${t}`);
    }
  });
});
