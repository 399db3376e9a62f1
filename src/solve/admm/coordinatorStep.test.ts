import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildCouplingLayout, type CouplingLayout } from '../../model/coupling/couplingLayout.js';
import { coordinatorStep, initialCoordinatorState, type CoordinatorSettings, type CoordinatorState } from './coordinatorStep.js';
import { fromFixed, toFixed } from '../../chain/fixedPoint.js';
import { fixedPointCoordinatorStep, type FixedPointParams } from '../../chain/fixedPointCoordinator.js';

const boyd: CoordinatorSettings = { alpha: 1.6, stopping: { kind: 'boyd', epsAbs: 1e-6, epsRel: 1e-4 }, residualBalancing: { mu: 10, tau: 2 } };

/** A random tree in topological order, 1–3 periods, random local values, xi and rho. */
const caseArb = fc.record({
  parentDraws: fc.array(fc.nat(), { minLength: 0, maxLength: 8 }),
  periods: fc.integer({ min: 1, max: 3 }),
  seedValues: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 64 }),
  rho: fc.double({ min: 0.1, max: 100, noNaN: true }),
  alpha: fc.double({ min: 0.5, max: 1.9, noNaN: true }),
  sendingEnd: fc.boolean(),
});

interface Case { parentDraws: number[]; periods: number; seedValues: number[]; rho: number; sendingEnd: boolean }

function setup(c: Case): { layout: CouplingLayout; local: Float64Array; state: CoordinatorState } {
  const parent = [-1, ...c.parentDraws.map((d, k) => d % (k + 1))];
  const layout = buildCouplingLayout(parent, c.periods, c.sendingEnd ? 'sendingEnd' : 'receivingEnd');
  const pick = (k: number) => c.seedValues[k % c.seedValues.length]!;
  const local = Float64Array.from({ length: layout.totalCopies }, (_, k) => pick(k) + 0.01 * k);
  const state = initialCoordinatorState(layout, c.rho);
  return { layout, local, state };
}

describe('coordinatorStep (docs/admm-protocol.md)', () => {
  it('is deterministic and keeps Σ_{c∈g} xi_c = 0 over several steps', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const { layout, local, state } = setup(c);
      const settings = { ...boyd, alpha: c.alpha };
      let a = state;
      let b = state;
      for (let k = 0; k < 3; k++) {
        const shifted = local.map((v, i) => v + 0.1 * k * Math.sin(i));
        a = coordinatorStep(layout, a, shifted, settings).state;
        b = coordinatorStep(layout, b, Float64Array.from(shifted), settings).state;
      }
      assert.deepEqual(a, b);
      const sums = new Float64Array(layout.globalSize);
      const scale = new Float64Array(layout.globalSize);
      layout.copyMap.forEach((map, bus) => map.forEach((g, j) => {
        const v = a.xi[layout.localOffset[bus]! + j]!;
        sums[g]! += v;
        scale[g]! += Math.abs(v);
      }));
      sums.forEach((s, g) => assert.ok(Math.abs(s) <= 1e-12 * (1 + scale[g]!), `Σ xi of entry ${g} is ${s}`));
    }), { numRuns: 60 });
  });

  it('sets z to the copies when all copies of an entry agree (alpha = 1)', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const { layout, state } = setup(c);
      const target = Float64Array.from({ length: layout.globalSize }, (_, g) => c.seedValues[g % c.seedValues.length]!);
      const local = new Float64Array(layout.totalCopies);
      layout.copyMap.forEach((map, bus) => map.forEach((g, j) => { local[layout.localOffset[bus]! + j] = target[g]!; }));
      const { state: next, primalResidual } = coordinatorStep(layout, state, local, { ...boyd, alpha: 1 });
      next.z.forEach((z, g) => assert.ok(Math.abs(z - target[g]!) <= 1e-15 * (1 + Math.abs(target[g]!))));
      assert.ok(primalResidual <= 1e-14);
    }), { numRuns: 40 });
  });

  it('has zero residuals, unchanged state and convergence at a fixed point', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const { layout, state } = setup(c);
      const z = Float64Array.from({ length: layout.globalSize }, (_, g) => c.seedValues[g % c.seedValues.length]!);
      const local = new Float64Array(layout.totalCopies);
      layout.copyMap.forEach((map, bus) => map.forEach((g, j) => { local[layout.localOffset[bus]! + j] = z[g]!; }));
      const start = { ...state, z };
      const step = coordinatorStep(layout, start, local, { ...boyd, alpha: c.alpha });
      // Zero up to the rounding of alpha·x + (1 − alpha)·z and of the average.
      const tiny = 1e-15 * Math.sqrt(layout.totalCopies) * Math.max(1, ...z.map(Math.abs));
      assert.ok(step.primalResidual <= tiny, `r = ${step.primalResidual}`);
      assert.ok(step.dualResidual <= start.rho * tiny * 4, `s = ${step.dualResidual}`);
      assert.equal(step.state.converged, true);
      assert.equal(step.state.rho, start.rho);
      step.state.z.forEach((v, g) => assert.ok(Math.abs(v - z[g]!) <= tiny));
    }), { numRuns: 40 });
  });

  it('leaves the voltage copies out of the relative norms (float and bigint mirror)', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const { layout, local, state } = setup(c);
      const settings = { ...boyd, alpha: c.alpha };
      const isVoltage = (g: number) => layout.entries[Math.floor(g / layout.periods)]!.quantity === 'voltageSq';
      // Every voltage shifted by 5 p.u., its global value and all its copies alike.
      const shiftedZ = state.z.map((v, g) => (isVoltage(g) ? v + 5 : v));
      const shiftedLocal = Float64Array.from(local);
      layout.copyMap.forEach((map, bus) => map.forEach((g, j) => { if (isVoltage(g)) shiftedLocal[layout.localOffset[bus]! + j]! += 5; }));
      const plain = coordinatorStep(layout, state, local, settings);
      const shifted = coordinatorStep(layout, { ...state, z: shiftedZ }, shiftedLocal, settings);
      assert.equal(shifted.epsPri, plain.epsPri);

      const params: FixedPointParams = {
        alpha: toFixed(c.alpha), mu: toFixed(10), tau: toFixed(2), epsAbs: toFixed(1e-6), epsRel: toFixed(1e-4), residualBalancing: true,
      };
      const fixedState = (z: Float64Array) => ({ z: Array.from(z, (v) => toFixed(v)), xi: new Array<bigint>(layout.totalCopies).fill(0n), rho: toFixed(c.rho), iteration: 0n, converged: false });
      const vectors = (values: Float64Array) => layout.copyMap.map((map, b) => Array.from(values.subarray(layout.localOffset[b]!, layout.localOffset[b]! + map.length), (v) => toFixed(v)));
      const mirror = fixedPointCoordinatorStep(layout, fixedState(state.z), vectors(local), params);
      const mirrorShifted = fixedPointCoordinatorStep(layout, fixedState(shiftedZ), vectors(shiftedLocal), params);
      assert.equal(mirrorShifted.epsPri, mirror.epsPri);
      // The float rule and its mirror agree up to the rounding to 1e-9 p.u.
      assert.ok(Math.abs(fromFixed(mirror.epsPri) - plain.epsPri) <= 1e-7 + 1e-6 * plain.epsPri, `mirror ${fromFixed(mirror.epsPri)}, float ${plain.epsPri}`);
    }), { numRuns: 40 });
  });

  it('balances rho: up when the primal residual dominates, down when the dual does', () => {
    const layout = buildCouplingLayout([-1, 0], 1);
    const state = initialCoordinatorState(layout, 4);
    // Bus 0 holds (v0, P1, Q1), bus 1 (P1, Q1, v1, v0): the flow copies disagree symmetrically, z stays: s = 0 < r.
    const up = coordinatorStep(layout, { ...state, z: new Float64Array(layout.globalSize) }, Float64Array.from([0, 1, 1, -1, -1, 0, 0]), boyd);
    assert.equal(up.state.rho, 8);
    // All copies agree but far from z: r = 0 ≪ s.
    const agree = new Float64Array(layout.totalCopies).fill(0.5);
    const down = coordinatorStep(layout, { ...state, z: new Float64Array(layout.globalSize) }, agree, { ...boyd, alpha: 1 });
    assert.equal(down.state.rho, 2);
  });

  it('uses the paper fixed tolerances when asked (eq. 19)', () => {
    const layout = buildCouplingLayout([-1, 0], 1);
    const state = initialCoordinatorState(layout, 1);
    const local = Float64Array.from(layout.copyMap.flatMap((m) => Array.from(m, (g) => state.z[g]! + 1e-4)));
    const step = coordinatorStep(layout, state, local, { alpha: 1, stopping: { kind: 'fixed', epsPri: 1e-3, epsDual: 0.1 }, residualBalancing: null });
    assert.equal(step.epsPri, 1e-3);
    assert.equal(step.state.converged, true);
  });
});
