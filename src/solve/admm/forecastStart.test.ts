import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCouplingLayout } from '../../model/coupling/couplingLayout.js';
import { unitCouplingScale } from '../../model/problems/busSubproblem.js';
import type { Scenario } from '../../scenario/types.js';
import { runCentralOpf, type ConicSolveFunction } from '../central/runCentralOpf.js';
import { resolveAdmmOptions } from './admmOptions.js';
import { compareWithCentral } from './compareWithCentral.js';
import { forecastDualOffsets, forecastInitialPoint, forecastIsExact, forecastOptimum, resolveInitialPoint } from './forecastStart.js';
import { initialGlobalPoint } from './initialPoint.js';
import { admmDualOffsets, runAdmm } from './runAdmm.js';
import { generator, smallFeeder } from '../../../test/helpers/tinyScenarios.js';
import { testSolver } from '../../../test/helpers/testSolver.js';
import { conicSolverFactory, type TestSolverFactory } from '../../../test/helpers/conicSolverFactory.js';

let solve: ConicSolveFunction;
let factory: TestSolverFactory;
before(async () => { solve = await testSolver(); factory = await conicSolverFactory(); });

/** smallFeeder with a battery on bus 2: a private device, so the forecast is not the optimum. */
function withBattery(periods: number): Scenario {
  const s = smallFeeder(periods);
  s.buses[2]!.devices.push({
    kind: 'battery', name: 'b2', chargeMax: 0.2, dischargeMax: 0.2, energyMin: 0, energyMax: 0.5, energyInitial: 0.25,
    etaCharge: 0.95, etaDischarge: 0.95, endTolerance: 0, throughputCost: 0,
  });
  return s;
}

describe('forecast start', () => {
  for (const convention of ['receivingEnd', 'sendingEnd'] as const) {
    it(`on a loads-only feeder its P offsets are the central DLMPs of the parents and sum to 0 per entry (${convention})`, () => {
      const s = smallFeeder(3);
      const layout = buildCouplingLayout(s.buses.map((b) => b.parent), s.periods, convention);
      const offsets = forecastDualOffsets(s, layout, unitCouplingScale)!;
      const central = runCentralOpf(s, { convention }, solve).schedule;
      const T = layout.periods;
      const sums = new Float64Array(layout.globalSize);
      for (let b = 0; b < layout.busCount; b++) {
        layout.busCopyEntries[b]!.forEach((e, j) => {
          const entry = layout.entries[e]!;
          for (let t = 0; t < T; t++) {
            const o = offsets[layout.localOffset[b]! + j * T + t]!;
            sums[e * T + t]! += o;
            if (entry.quantity !== 'pFlow') continue;
            // KKT of the copies (docs/admm.md §Dual warm start): parent's copy +y_π, owner's −y_π; y = DLMP·dt·baseMva.
            const parent = s.buses[entry.bus]!.parent;
            const y = central.prices!.active[parent]![t]! * s.dtHours * s.baseMva;
            const expected = b === parent ? y : -y;
            assert.ok(Math.abs(o - expected) <= 1e-5 * Math.abs(y), `bus ${b}, copy of P_${entry.bus}(${t}): ${o} vs ${expected}`);
          }
        });
      }
      for (const sum of sums) assert.equal(sum, 0);
    });
  }

  it('is the fixed point on a loads-only feeder: default ADMM stops within 3 iterations at the central optimum', async () => {
    const s = smallFeeder(3);
    assert.equal(forecastIsExact(s), true);
    const central = runCentralOpf(s, {}, solve);
    const result = await runAdmm(s, {}, factory);
    assert.equal(result.status, 'converged');
    assert.ok(result.iterations <= 3, `took ${result.iterations} iterations`);
    const cmp = compareWithCentral(result.schedule, central.schedule);
    assert.ok(Math.abs(cmp.costGapRelative) <= 1e-6, `cost gap ${cmp.costGapRelative}`);
    assert.ok(cmp.maxPriceDiffRelative <= 1e-4, `DLMP gap ${cmp.maxPriceDiffRelative}`);
    assert.ok(cmp.maxSetpointDiff <= 1e-4, `setpoint gap ${cmp.maxSetpointDiff}`);
  });

  it('is the fixed point under per-quantity weights too (offsets divided by the transport scale)', async () => {
    // With o not divided by σ_e the start is off the fixed point: 42 iterations and −0.05 % instead of 1.
    const s = smallFeeder(3);
    const central = runCentralOpf(s, {}, solve);
    const result = await runAdmm(s, { couplingWeights: { pFlow: 4, qFlow: 9, currentSq: 0.25, voltageSq: 16 } }, factory);
    assert.equal(result.status, 'converged');
    assert.ok(result.iterations <= 3, `took ${result.iterations} iterations`);
    assert.ok(Math.abs(compareWithCentral(result.schedule, central.schedule).costGapRelative) <= 1e-6);
  });

  it("'auto' keeps the LinDistFlow start where private devices make the forecast inexact, and 'forecastOpf' still reaches the optimum there", async () => {
    const s = withBattery(4);
    assert.equal(forecastIsExact(s), false);
    assert.equal(resolveInitialPoint(s, 'auto'), 'powerFlow');
    const layout = buildCouplingLayout(s.buses.map((b) => b.parent), s.periods, 'receivingEnd');
    assert.deepEqual(initialGlobalPoint(s, layout, 'auto', unitCouplingScale), initialGlobalPoint(s, layout, 'powerFlow', unitCouplingScale));
    assert.deepEqual(initialGlobalPoint(s, layout, 'forecastOpf', unitCouplingScale), forecastInitialPoint(s, layout, unitCouplingScale));
    // The offsets sum to 0 per entry, so the optimum is the central one whatever the forecast (Boyd at tight tolerances).
    const central = runCentralOpf(s, {}, solve);
    const result = await runAdmm(s, { initialPoint: 'forecastOpf', stopping: { kind: 'boyd', epsAbs: 1e-7, epsRel: 1e-6 }, maxIterations: 2000 }, factory);
    assert.equal(result.status, 'converged');
    const cmp = compareWithCentral(result.schedule, central.schedule);
    assert.ok(Math.abs(cmp.costGapRelative) <= 2e-4, `cost gap ${cmp.costGapRelative}`);
    assert.ok(cmp.maxPriceDiffRelative <= 2e-3, `DLMP gap ${cmp.maxPriceDiffRelative}`);
  });

  it('falls back to the LinDistFlow point and the λ0 offsets together when the public part has no solution', () => {
    // One period, load 1.5 p.u. against a 1 p.u. generator: only the battery's discharge makes it feasible.
    const s = withBattery(1);
    s.buses[0]!.devices[0] = generator('g0', 1, 20, 5, { pMax: 1 });
    s.buses[1]!.devices[0] = { kind: 'fixedLoad', name: 'l1', p: [1.05], q: [0.1] };
    Object.assign(s.buses[2]!.devices[1]!, { dischargeMax: 0.8, energyMax: 1, energyInitial: 1, endTolerance: 1 });
    assert.ok(runCentralOpf(s, {}, solve).schedule.totalCost > 0, 'the whole scenario is feasible');
    const layout = buildCouplingLayout(s.buses.map((b) => b.parent), s.periods, 'receivingEnd');
    assert.equal(forecastOptimum(s, 'receivingEnd'), null);
    assert.deepEqual(initialGlobalPoint(s, layout, 'forecastOpf', unitCouplingScale), initialGlobalPoint(s, layout, 'powerFlow', unitCouplingScale));
    const offsets = (initialPoint: 'forecastOpf' | 'powerFlow') => admmDualOffsets(s, layout, resolveAdmmOptions({ initialPoint }, s), new Float64Array(layout.entries.length).fill(1));
    assert.deepEqual(offsets('forecastOpf'), offsets('powerFlow'));
  });

  it('stops before the first iteration, naming the infeasibility, when every device is public and the day has no solution', async () => {
    // One period, load 1.05 p.u. against a 1 p.u. generator and nothing private to make up the rest.
    const s = smallFeeder(1);
    s.buses[0]!.devices[0] = generator('g0', 1, 20, 5, { pMax: 1 });
    s.buses[1]!.devices[0] = { kind: 'fixedLoad', name: 'l1', p: [1.05], q: [0.1] };
    assert.ok(forecastIsExact(s));
    await assert.rejects(runAdmm(s, {}, factory), (e: Error) => e.name === 'GridError' && /'small feeder' has no solution/.test(e.message) && /exceeds all available generation/.test(e.message));
  });

  it('solves the forecast OPF once per scenario object and convention, and names a bad initialPoint', () => {
    const s = smallFeeder(2);
    assert.equal(forecastOptimum(s, 'receivingEnd'), forecastOptimum(s, 'receivingEnd'));
    assert.notEqual(forecastOptimum(s, 'receivingEnd'), forecastOptimum(s, 'sendingEnd'));
    assert.throws(() => resolveAdmmOptions({ initialPoint: 'central' as never }, s), (e: Error & { field?: string }) => e.field === 'initialPoint' && /'auto'/.test(e.message + JSON.stringify(e)));
  });
});
