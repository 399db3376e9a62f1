/** One-bus cases with hand-computed optima, one per device (no lines, so no losses). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GridError } from '../../core/errors.js';
import { solveCentralOpf } from './solveCentralOpf.js';
import { bus, generator, scenario } from '../../../test/helpers/tinyScenarios.js';

const close = (actual: number, expected: number, tol = 1e-5) =>
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);

describe('central OPF devices (one bus)', () => {
  it('generator serving a load: cost a·d² + b·d and DLMP 2·a·d + b', () => {
    const s = scenario('gen', 1, [bus('0', -1, 0, 0, [
      generator('g', 1, 20, 5),
      { kind: 'fixedLoad', name: 'l', p: [0.5], q: [0.1] },
    ])]);
    const { schedule } = solveCentralOpf(s, {});
    close(schedule.totalCost, 5 * 0.25 + 20 * 0.5);
    close(schedule.prices!.active[0]![0]!, 2 * 5 * 0.5 + 20, 1e-4);
    const g = schedule.buses[0]!.devices[0]!;
    assert.equal(g.kind, 'generator');
    if (g.kind === 'generator') { close(g.p[0]!, 0.5); close(g.q[0]!, 0.1); }
  });

  it('DLMPs are in currency per MWh whatever dtHours and baseMva', () => {
    const s = scenario('units', 1, [bus('0', -1, 0, 0, [
      generator('g', 1, 20),
      { kind: 'fixedLoad', name: 'l', p: [0.5], q: [0] },
    ])], { baseMva: 10, dtHours: 0.5 });
    const { schedule } = solveCentralOpf(s, {});
    // b = 20 per p.u.·h = 20 per 10 MWh.
    close(schedule.prices!.active[0]![0]!, 2, 1e-5);
    close(schedule.totalCost, 0.5 * 20 * 0.5);
  });

  it('battery arbitrage: charge at 10, discharge at 30, end at (1 − ε)·E0', () => {
    const s = scenario('battery', 2, [bus('0', -1, 0, 0, [
      generator('g', 2, [10, 30]),
      { kind: 'fixedLoad', name: 'l', p: [1, 1], q: [0, 0] },
      { kind: 'battery', name: 'b', chargeMax: 0.5, dischargeMax: 0.5, energyMin: 0, energyMax: 1, energyInitial: 0.5,
        etaCharge: 0.9, etaDischarge: 0.9, endTolerance: 0.2, throughputCost: 0 },
    ])]);
    const { schedule } = solveCentralOpf(s, {});
    // Charge 0.5 at t0 (E = 0.95), discharge 0.9·(0.95 − 0.4) = 0.495 at t1 (E = 0.4).
    close(schedule.totalCost, 10 * 1.5 + 30 * 0.505);
    const b = schedule.buses[0]!.devices[2]!;
    assert.equal(b.kind, 'battery');
    if (b.kind === 'battery') {
      close(b.charge[0]!, 0.5); close(b.discharge[1]!, 0.495); close(b.energy[1]!, 0.4);
    }
  });

  it('EV fills the cheapest periods of its window', () => {
    const s = scenario('ev', 3, [bus('0', -1, 0, 0, [
      generator('g', 3, [5, 20, 10]),
      { kind: 'shapableLoad', name: 'ev', pMin: 0, pMax: 1, windowStart: 1, windowEnd: 3, energy: 1.5 },
    ])]);
    const { schedule } = solveCentralOpf(s, {});
    close(schedule.totalCost, 20 * 0.5 + 10 * 1);
    const ev = schedule.buses[0]!.devices[1]!;
    if (ev.kind === 'shapableLoad') assert.deepEqual(ev.p.map((v) => Math.round(v * 1e5) / 1e5), [0, 0.5, 1]);
  });

  it('deferrable load starts once, at the cheapest allowed start', () => {
    const s = scenario('deferrable', 4, [bus('0', -1, 0, 0, [
      generator('g', 4, [30, 10, 5, 40]),
      { kind: 'deferrableLoad', name: 'washer', profile: [1, 0.5], arrival: 0, maxDelay: 2 },
    ])]);
    const { schedule } = solveCentralOpf(s, {});
    // Starts 0, 1, 2 cost 35, 12.5, 25.
    close(schedule.totalCost, 12.5);
    const d = schedule.buses[0]!.devices[1]!;
    assert.equal(d.kind, 'deferrableLoad');
    if (d.kind === 'deferrableLoad') {
      close(d.startSpread, 0, 1e-5);
      d.p.forEach((v, t) => close(v, [0, 1, 0.5, 0][t]!));
    }
    assert.ok(schedule.relaxations.some((r) => r.includes('deferrable')));
  });

  it('an EV that cannot get its energy is reported with the field and a fix', () => {
    const s = scenario('ev infeasible', 3, [bus('0', -1, 0, 0, [
      generator('g', 3, 1),
      { kind: 'shapableLoad', name: 'ev', pMin: 0, pMax: 1, windowStart: 1, windowEnd: 3, energy: 2.5 },
    ])]);
    assert.throws(() => solveCentralOpf(s, {}), (e: unknown) =>
      e instanceof GridError && e.field === 'buses[0].devices[1].energy' && e.fix.length > 0);
  });
});

describe('central OPF device edge cases', () => {
  it('a deferrable load whose latest start would overrun the day starts in time', () => {
    const s = scenario('late', 3, [bus('0', -1, 0, 0, [
      generator('g', 3, [10, 1, 1]),
      { kind: 'deferrableLoad', name: 'late', profile: [1, 1], arrival: 0, maxDelay: 5 },
    ])]);
    const d = solveCentralOpf(s, {}).schedule.buses[0]!.devices[1]!;
    if (d.kind === 'deferrableLoad') d.p.forEach((v, t) => close(v, [0, 1, 1][t]!));
  });

  it('a deferrable load that cannot fit in the day names its arrival', () => {
    const s = scenario('too late', 3, [bus('0', -1, 0, 0, [
      generator('g', 3, 1),
      { kind: 'deferrableLoad', name: 'late', profile: [1, 1], arrival: 2, maxDelay: 0 },
    ])]);
    assert.throws(() => solveCentralOpf(s, {}), (e: unknown) => e instanceof GridError && e.field === 'buses[0].devices[1].arrival');
  });

  it('curtailable PV is curtailed only when its energy has nowhere to go', () => {
    const s = scenario('pv', 1, [bus('0', -1, 0, 0, [
      generator('g', 1, 10),
      { kind: 'fixedLoad', name: 'l', p: [0.3], q: [0] },
      { kind: 'pv', name: 'pv', p: [0.5], q: [0], curtailable: true },
    ])]);
    const { schedule } = solveCentralOpf(s, {});
    const pv = schedule.buses[0]!.devices[2]!;
    if (pv.kind === 'pv') close(pv.p[0]!, 0.3);
    close(schedule.totalCost, 0);
  });
});
