import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { solveCentralOpf } from '../solve/central/solveCentralOpf.js';
import type { Schedule } from './schedule.js';
import { verifySchedule } from './verifySchedule.js';
import { bus, generator, scenario, smallFeeder } from '../../test/helpers/tinyScenarios.js';


describe('verifySchedule', () => {
  it('flags a tampered schedule: limit breach, broken battery dynamics, voltage mismatch', () => {
    const s = scenario('tamper', 2, [
      bus('0', -1, 0, 0, [generator('g', 2, [10, 30], 0, { pMax: 3 })]),
      bus('1', 0, 0.01, 0.01, [
        { kind: 'fixedLoad', name: 'l', p: [0.5, 0.5], q: [0.1, 0.1] },
        { kind: 'battery', name: 'b', chargeMax: 0.2, dischargeMax: 0.2, energyMin: 0, energyMax: 1, energyInitial: 0.5,
          etaCharge: 1, etaDischarge: 1, endTolerance: 0.5, throughputCost: 0 },
      ]),
    ]);
    const { schedule } = solveCentralOpf(s, {});
    const clean = verifySchedule(s, schedule);
    assert.deepEqual(clean.violations, []);
    const bad = structuredClone(schedule) as Schedule;
    const battery = bad.buses[1]!.devices[1]!;
    if (battery.kind === 'battery') battery.charge[0] = 0.3;
    bad.buses[1]!.voltageSq[1] = 0.9;
    const checks = verifySchedule(s, bad);
    const fields = checks.violations.map((v) => v.field);
    assert.ok(fields.includes('buses[1].devices[1].chargeMax'));
    assert.ok(fields.includes('buses[1].devices[1].energy'));
    assert.ok(checks.powerFlow.largestVoltageMismatch > 1e-3);
    assert.equal(checks.powerFlow.bus, 1);
  });

  it('a schedule survives a JSON round trip unchanged', () => {
    const s = smallFeeder(2);
    const { schedule } = solveCentralOpf(s, {});
    assert.deepEqual(JSON.parse(JSON.stringify(schedule)), schedule);
  });
});
