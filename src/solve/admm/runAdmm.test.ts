import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runAdmm } from './runAdmm.js';
import { runCentralOpf, type ConicSolveFunction } from '../central/runCentralOpf.js';
import { smallFeeder } from '../../../test/helpers/tinyScenarios.js';
import { testSolver } from '../../../test/helpers/testSolver.js';
import { conicSolverFactory, type TestSolverFactory } from '../../../test/helpers/conicSolverFactory.js';

let solve: ConicSolveFunction;
let factory: TestSolverFactory;
before(async () => { solve = await testSolver(); factory = await conicSolverFactory(); });

describe('runAdmm on a 4-bus feeder', () => {
  it('reaches the central optimum', async () => {
    const s = smallFeeder(2);
    const central = runCentralOpf(s, {}, solve);
    const result = await runAdmm(s, {}, factory);
    console.log(result.status, result.iterations, result.schedule.totalCost, central.schedule.totalCost);
    console.log(JSON.stringify(result.schedule.prices!.active), JSON.stringify(central.schedule.prices!.active));
    assert.equal(result.status, 'converged');
  });
});
