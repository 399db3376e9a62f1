import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCouplingLayout } from '../../src/model/coupling/couplingLayout.js';
import { fixedProfileInjections, runPowerFlow } from '../../src/model/network/runPowerFlow.js';
import { toScenario } from '../../src/scenario/toScenario.js';
import type { Scenario } from '../../src/scenario/types.js';
import { checkScheduleAgainstNetwork } from '../../src/pipeline/verifyScheduleAgainstNetwork.js';
import { tinyVerifyCase } from './tinyCase.js';

/** z and slice injections of an exact AC power flow of the fixed loads (the substation is the slack). */
function exactSchedule(scenario: Scenario) {
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods);
  const injections = fixedProfileInjections(scenario);
  const flow = runPowerFlow(scenario, injections);
  const T = scenario.periods;
  const z = new Float64Array(layout.globalSize);
  const sliceP = scenario.buses.map((_, i) => Array.from({ length: T }, (_, t) => (i === 0 ? flow.periods[t]!.result.rootP : injections.p[i]![t]!)));
  flow.periods.forEach(({ result }, t) => {
    scenario.buses.forEach((_, i) => {
      if (i > 0) {
        z[layout.pFlowEntry[i]! * T + t] = result.pFlowReceiving[i]!;
        z[layout.qFlowEntry[i]! * T + t] = result.qFlowReceiving[i]!;
      }
      z[layout.voltageSqEntry[i]! * T + t] = result.voltageSq[i]!;
    });
  });
  return { layout, z, sliceP };
}

const tolerances = (n: number) => ({ entryError: new Float64Array(n), absolute: 1e-8, voltage: 1e-8 });

test('an exact AC power flow passes every network check to round-off', () => {
  const scenario = toScenario(tinyVerifyCase());
  const { layout, z, sliceP } = exactSchedule(scenario);
  const r = checkScheduleAgainstNetwork(scenario, layout, z, sliceP, tolerances(layout.entries.length));
  for (const d of [r.balance, r.voltage, r.substation, r.limits]) {
    assert.equal(d.firstViolation, null);
    assert.ok(d.largest < 1e-9, `largest ${d.largest}`);
  }
  assert.ok(r.lossesPerPeriod.every((l) => l > 0));
});

test('a wrong injection, a wrong flow and a tightened limit are each found at their bus and period', () => {
  const scenario = toScenario(tinyVerifyCase());
  const { layout, z, sliceP } = exactSchedule(scenario);
  const T = scenario.periods;
  const tol = tolerances(layout.entries.length);

  const injected = sliceP.map((row, i) => row.map((p, t) => (i === 3 && t === 1 ? p + 0.01 : p)));
  const a = checkScheduleAgainstNetwork(scenario, layout, z, injected, tol);
  assert.deepEqual([a.balance.firstViolation?.bus, a.balance.firstViolation?.period], [3, 1]);

  // A flow off at line 2 shows at bus 2 (its own balance) first, then at its parent bus 1.
  const flowed = Float64Array.from(z);
  flowed[layout.pFlowEntry[2]! * T + 2] += 0.02;
  const b = checkScheduleAgainstNetwork(scenario, layout, flowed, sliceP, tol);
  assert.deepEqual([b.balance.firstViolation?.bus, b.balance.firstViolation?.period], [1, 2]);
  assert.ok(Math.abs(b.balance.firstViolation!.value) > 0.019);

  const tight = { ...scenario, buses: scenario.buses.map((bus, i) => (i === 2 ? { ...bus, voltageSqMax: 0.9 } : bus)) };
  const c = checkScheduleAgainstNetwork(tight, layout, z, sliceP, tol);
  assert.equal(c.limits.firstViolation?.bus, 2);
  assert.equal(c.balance.firstViolation, null);
});
