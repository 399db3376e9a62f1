import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runAdmm } from './runAdmm.js';
import { runAdmmParallel } from './parallelAdmm.js';
import { compareWithCentral } from './compareWithCentral.js';
import { runCentralOpf, type ConicSolveFunction } from '../central/runCentralOpf.js';
import { bus, generator, scenario, smallFeeder } from '../../../test/helpers/tinyScenarios.js';
import type { Scenario } from '../../scenario/types.js';
import { testSolver } from '../../../test/helpers/testSolver.js';
import { conicSolverFactory, type TestSolverFactory } from '../../../test/helpers/conicSolverFactory.js';

let solve: ConicSolveFunction;
let factory: TestSolverFactory;
before(async () => { solve = await testSolver(); factory = await conicSolverFactory(); });
const solverModule = new URL('../../../test/helpers/conicSolverModule.js', import.meta.url).href;

describe('runAdmm', () => {
  for (const convention of ['receivingEnd', 'sendingEnd'] as const) {
    it(`reaches the central optimum on a 4-bus, 3-period feeder (${convention})`, async () => {
      const s = smallFeeder(3);
      const central = runCentralOpf(s, { convention }, solve);
      // Tighter than the defaults so that the comparison below measures ADMM, not the stopping rule.
      const result = await runAdmm(s, { convention, rho: 50, adaptive: true, stopping: { kind: 'boyd', epsAbs: 1e-7, epsRel: 1e-6 } }, factory);
      assert.equal(result.status, 'converged');
      const cmp = compareWithCentral(result.schedule, central.schedule);
      assert.ok(Math.abs(cmp.costGapRelative) <= 2e-4, `cost gap ${cmp.costGapRelative}`);
      assert.ok(cmp.maxPriceDiffRelative <= 1e-3, `DLMP gap ${cmp.maxPriceDiffRelative}`);
      assert.ok(cmp.maxSetpointDiff <= 1e-3, `setpoint gap ${cmp.maxSetpointDiff}`);
    });
  }

  it('reaches the central optimum with a battery, per-entry weights and the local proximal and penalty settings', async () => {
    // Each local setting leaves the fixed point unchanged (docs/admm.md), so the optimum must be the central one.
    const s = batteryFeeder(4);
    const central = runCentralOpf(s, {}, solve);
    const result = await runAdmm(s, {
      rho: 20, adaptive: true, proximal: 5,
      localPenalty: { childFlow: 2, ownFlow: 0.5 },
      entryWeights: { kind: 'downstream', exponent: 0.5, voltageExponent: 0, floor: 0.01 },
      stopping: { kind: 'boyd', epsAbs: 1e-7, epsRel: 1e-6 }, maxIterations: 2000,
    }, factory);
    assert.equal(result.status, 'converged');
    const cmp = compareWithCentral(result.schedule, central.schedule);
    assert.ok(Math.abs(cmp.costGapRelative) <= 2e-4, `cost gap ${cmp.costGapRelative}`);
    assert.ok(cmp.maxPriceDiffRelative <= 2e-3, `DLMP gap ${cmp.maxPriceDiffRelative}`);
  });

  it('restarts from a previous run\'s final z and duals at that run\'s solution', async () => {
    const s = smallFeeder(3);
    // Fixed tolerances: Boyd's relative dual tolerance scales with the protocol's xi, which a start moves into the offsets.
    const stopping = { kind: 'fixed' as const, epsPri: 1e-4, epsDual: 1e-3 };
    const first = await runAdmm(s, { stopping }, factory);
    assert.equal(first.status, 'converged');
    const again = await runAdmm(s, { stopping, start: { z: first.state.z, duals: first.finalDuals } }, factory);
    assert.equal(again.status, 'converged');
    assert.ok(again.iterations <= Math.max(3, first.iterations / 10), `took ${again.iterations} iterations from a converged state (first run ${first.iterations})`);
    assert.ok(Math.abs(again.schedule.totalCost - first.schedule.totalCost) <= 1e-4 * Math.abs(first.schedule.totalCost), `cost ${again.schedule.totalCost} vs ${first.schedule.totalCost}`);
    await assert.rejects(runAdmm(s, { start: { z: new Float64Array(3), duals: first.finalDuals } }, factory), /start\.z has 3 values/);
  });

  it('gives identical iterates on worker threads and in this thread', async () => {
    const s = smallFeeder(2);
    // Proximal damping keeps per-bus state between iterations, so it is on here too.
    const options = { maxIterations: 15, proximal: 5, localPenalty: { childFlow: 2 } };
    const inProcess = await runAdmm(s, options, factory);
    const threaded = await runAdmmParallel(s, { ...options, workers: 2, solverModule });
    assert.equal(threaded.workers, 2);
    const strip = (trace: typeof inProcess.trace) => trace.map(({ ms: _ms, ...rest }) => rest);
    assert.deepEqual(strip(threaded.trace), strip(inProcess.trace));
    assert.deepEqual(threaded.state, inProcess.state);
    assert.deepEqual(threaded.schedule.buses, inProcess.schedule.buses);
  });
});

/** A 4-bus feeder with a battery and rising prices, so the battery shifts energy (a degenerate, linear device). */
function batteryFeeder(periods: number): Scenario {
  const load = (name: string, p: number) => ({
    kind: 'fixedLoad' as const, name,
    p: Array.from({ length: periods }, (_, t) => p * (1 + 0.3 * t)),
    q: Array.from({ length: periods }, (_, t) => 0.3 * p * (1 + 0.3 * t)),
  });
  return scenario('battery feeder', periods, [
    bus('0', -1, 0, 0, [generator('g0', periods, 20, 10)]),
    bus('1', 0, 0.01, 0.02, [load('l1', 0.2)]),
    bus('2', 1, 0.02, 0.01, [load('l2', 0.3), {
      kind: 'battery', name: 'b2', chargeMax: 0.1, dischargeMax: 0.1, energyMin: 0, energyMax: 0.3, energyInitial: 0.1,
      etaCharge: 0.95, etaDischarge: 0.95, endTolerance: 0, throughputCost: 0,
    }]),
    bus('3', 1, 0.015, 0.03, [load('l3', 0.1)]),
  ]);
}
