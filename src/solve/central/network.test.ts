/** The central OPF on small feeders: exact relaxation, AC power-flow agreement, both conventions, DLMP parts. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GridError } from '../../core/errors.js';
import type { Scenario } from '../../scenario/types.js';
import { verifySchedule } from '../../schedule/verifySchedule.js';
import { solveCentralOpf } from './solveCentralOpf.js';
import { bus, generator, scenario, smallFeeder } from '../../../test/helpers/tinyScenarios.js';


function withLoadAt(s: Scenario, busIndex: number, extra: number): Scenario {
  const copy = structuredClone(s);
  const load = copy.buses[busIndex]!.devices.find((d) => d.kind === 'fixedLoad')!;
  if (load.kind === 'fixedLoad') load.p = load.p.map((v) => v + extra);
  return copy;
}

describe('central OPF on a small feeder', () => {
  it('a short lossless-ish line costs what the generator needs for the load', () => {
    const s = scenario('two bus', 1, [
      bus('0', -1, 0, 0, [generator('g', 1, 20, 5)]),
      bus('1', 0, 1e-6, 1e-6, [{ kind: 'fixedLoad', name: 'l', p: [0.5], q: [0] }]),
    ]);
    const { schedule } = solveCentralOpf(s, {});
    assert.ok(Math.abs(schedule.totalCost - (5 * 0.25 + 20 * 0.5)) < 1e-4, `cost ${schedule.totalCost}`);
  });

  it('the relaxation is tight and the AC power flow reproduces the voltages', () => {
    const s = smallFeeder(3);
    const { schedule } = solveCentralOpf(s, {});
    const checks = verifySchedule(s, schedule);
    assert.ok(Math.abs(checks.coneGap.largest) < 1e-6, `cone gap ${checks.coneGap.largest}`);
    assert.ok(checks.powerFlow.largestVoltageMismatch < 1e-5, `voltage mismatch ${checks.powerFlow.largestVoltageMismatch}`);
    assert.deepEqual(checks.violations, []);
  });

  it('a free substation voltage rises to its upper limit to cut losses', () => {
    const s = { ...smallFeeder(1), substationVoltage: { mode: 'free' as const } };
    const free = solveCentralOpf(s, {}).schedule;
    const fixed = solveCentralOpf(smallFeeder(1), {}).schedule;
    assert.ok(Math.abs(free.buses[0]!.voltageSq[0]! - 1.1025) < 1e-6);
    assert.ok(free.totalCost < fixed.totalCost);
  });

  it('surplus PV at a zero price: the loss price keeps the relaxation exact', () => {
    const s = smallFeeder(1);
    s.buses[2]!.devices.push({ kind: 'pv', name: 'pv2', p: [2], q: [0], curtailable: true });
    const free = verifySchedule(s, solveCentralOpf(s, { lossPrice: 0 }).schedule);
    const priced = solveCentralOpf(s, {});
    const checks = verifySchedule(s, priced.schedule);
    assert.ok(Math.abs(priced.dlmp.active.total[0]![0]!) < 0.01, 'energy is (nearly) free');
    assert.ok(Math.abs(checks.coneGap.largest) < 1e-5, `cone gap ${checks.coneGap.largest} (without the loss price: ${free.coneGap.largest})`);
    assert.ok(checks.powerFlow.largestVoltageMismatch < 1e-6);
  });

  it('receiving-end and sending-end conventions give the same optimum', () => {
    const s = smallFeeder(2);
    const a = solveCentralOpf(s, { convention: 'receivingEnd' }).schedule;
    const b = solveCentralOpf(s, { convention: 'sendingEnd' }).schedule;
    assert.ok(Math.abs(a.totalCost - b.totalCost) < 1e-6 * Math.abs(a.totalCost), `${a.totalCost} vs ${b.totalCost}`);
    for (let i = 0; i < s.buses.length; i++) {
      assert.ok(Math.abs(a.buses[i]!.voltageSq[1]! - b.buses[i]!.voltageSq[1]!) < 1e-6);
    }
    const checks = verifySchedule(s, b);
    assert.ok(Math.abs(checks.coneGap.largest) < 1e-6);
  });

  it('DLMP parts add up, and the DLMP is the marginal cost of load', () => {
    const s = smallFeeder(1);
    const { schedule, dlmp } = solveCentralOpf(s, {});
    assert.ok(dlmp.largestMismatch < 1e-5, `mismatch ${dlmp.largestMismatch}`);
    const g = schedule.buses[0]!.devices[0]!;
    if (g.kind === 'generator') assert.ok(Math.abs(dlmp.active.total[0]![0]! - (2 * 5 * g.p[0]! + 20)) < 1e-5);
    // Losses make downstream power dearer.
    assert.ok(dlmp.active.total[2]![0]! > dlmp.active.total[1]![0]!);
    assert.ok(dlmp.active.loss[2]![0]! > 0);
    const h = 1e-4;
    const up = solveCentralOpf(withLoadAt(s, 2, h), {}).schedule.totalCost;
    const down = solveCentralOpf(withLoadAt(s, 2, -h), {}).schedule.totalCost;
    const slope = (up - down) / (2 * h);
    assert.ok(Math.abs(slope - dlmp.active.total[2]![0]!) < 1e-3 * slope, `finite difference ${slope} vs ${dlmp.active.total[2]![0]}`);
  });

  it('voltage limits no dispatch can meet give the generic infeasibility advice', () => {
    const s = smallFeeder(1, 3);
    for (const b of s.buses) b.voltageSqMin = 0.999;
    assert.throws(() => solveCentralOpf(s, {}), (e: unknown) =>
      e instanceof GridError && /infeasible/.test(e.message) && e.fix.some((f) => f.includes('voltage')));
  });

  it('a binding lower voltage limit shows up as a voltage-congestion part', () => {
    const s = smallFeeder(1, 3);
    for (const b of s.buses) b.voltageSqMin = 0.95 ** 2;
    s.buses[2]!.devices.push(generator('g2', 1, 60, 5, { pMax: 1 }));
    const { dlmp } = solveCentralOpf(s, {});
    assert.ok(dlmp.largestMismatch < 1e-5, `mismatch ${dlmp.largestMismatch}`);
    assert.ok(dlmp.active.voltage[2]![0]! > 1e-3, `voltage part ${dlmp.active.voltage[2]![0]}`);
  });
});
