import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runAdmm } from './runAdmm.js';
import { runAdmmParallel } from './parallelAdmm.js';
import { compareWithCentral } from './compareWithCentral.js';
import { runCentralOpf, type ConicSolveFunction } from '../central/runCentralOpf.js';
import { smallFeeder } from '../../../test/helpers/tinyScenarios.js';
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

  it('gives identical iterates on worker threads and in this thread', async () => {
    const s = smallFeeder(2);
    const options = { maxIterations: 15 };
    const inProcess = await runAdmm(s, options, factory);
    const threaded = await runAdmmParallel(s, { ...options, workers: 2, solverModule });
    assert.equal(threaded.workers, 2);
    const strip = (trace: typeof inProcess.trace) => trace.map(({ ms: _ms, ...rest }) => rest);
    assert.deepEqual(strip(threaded.trace), strip(inProcess.trace));
    assert.deepEqual(threaded.state, inProcess.state);
    assert.deepEqual(threaded.schedule.buses, inProcess.schedule.buses);
  });
});
