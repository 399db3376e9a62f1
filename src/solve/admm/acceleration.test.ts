import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildCouplingLayout, type CouplingLayout } from '../../model/coupling/couplingLayout.js';
import { createAccelerator, type AcceleratedPoint, type AdmmAcceleration } from './acceleration.js';
import { runAdmm } from './runAdmm.js';
import { compareWithCentral } from './compareWithCentral.js';
import { runCentralOpf, type ConicSolveFunction } from '../central/runCentralOpf.js';
import { smallFeeder } from '../../../test/helpers/tinyScenarios.js';
import { testSolver } from '../../../test/helpers/testSolver.js';
import { conicSolverFactory, type TestSolverFactory } from '../../../test/helpers/conicSolverFactory.js';

let solve: ConicSolveFunction;
let factory: TestSolverFactory;
before(async () => { solve = await testSolver(); factory = await conicSolverFactory(); });

/** Duals that sum to zero over the copies of every entry, from a seeded sequence. */
function zeroSumDuals(layout: CouplingLayout, seed: number): Float64Array {
  const xi = new Float64Array(layout.totalCopies);
  const lastCopy = new Int32Array(layout.globalSize).fill(-1);
  const sum = new Float64Array(layout.globalSize);
  let state = seed;
  for (let b = 0, c = 0; b < layout.busCount; b++) {
    for (const g of layout.copyMap[b]!) {
      state = (state * 1103515245 + 12345) % 2147483648;
      xi[c] = state / 2147483648 - 0.5;
      sum[g]! += xi[c]!;
      lastCopy[g] = c++;
    }
  }
  for (let g = 0; g < layout.globalSize; g++) xi[lastCopy[g]!]! -= sum[g]!;
  return xi;
}

function entrySums(layout: CouplingLayout, xi: Float64Array): Float64Array {
  const sum = new Float64Array(layout.globalSize);
  for (let b = 0, c = 0; b < layout.busCount; b++) for (const g of layout.copyMap[b]!) sum[g]! += xi[c++]!;
  return sum;
}

describe('ADMM acceleration by public offsets', () => {
  const rules: AdmmAcceleration[] = [
    { kind: 'nesterov', restart: 1 },
    { kind: 'anderson', memory: 3, regularization: 1e-8, safeguard: 2 },
  ];
  for (const rule of rules) {
    it(`keeps the offsets zero-sum per entry (${rule.kind})`, () => {
      // A zero-sum offset leaves the consensus optimum unchanged (docs/admm.md §Dual warm start), so every point must keep it.
      const layout = buildCouplingLayout([-1, 0, 1, 1, 0, 4], 3);
      const accelerator = createAccelerator(layout, rule);
      let at: AcceleratedPoint = { z: new Float64Array(layout.globalSize).fill(1), xi: zeroSumDuals(layout, 1) };
      for (let k = 0; k < 6; k++) {
        const stepped = { z: Float64Array.from(at.z, (v, g) => v + 0.1 / (k + 1) + 0.01 * g), xi: zeroSumDuals(layout, 10 + k) };
        at = accelerator.next(at, stepped, 30);
        for (const s of entrySums(layout, at.xi)) assert.ok(Math.abs(s) < 1e-12, `entry sum ${s} at step ${k}`);
      }
    });

    it(`reaches the central optimum on a 4-bus feeder (${rule.kind}, alpha 1)`, async () => {
      const s = smallFeeder(3);
      const central = runCentralOpf(s, {}, solve);
      const result = await runAdmm(s, { alpha: 1, acceleration: rule, stopping: { kind: 'boyd', epsAbs: 1e-7, epsRel: 1e-6 }, maxIterations: 2000 }, factory);
      assert.equal(result.status, 'converged');
      const cmp = compareWithCentral(result.schedule, central.schedule);
      assert.ok(Math.abs(cmp.costGapRelative) <= 2e-4, `cost gap ${cmp.costGapRelative}`);
      assert.ok(cmp.maxPriceDiffRelative <= 2e-3, `DLMP gap ${cmp.maxPriceDiffRelative}`);
    });
  }

  it('rejects a bad acceleration parameter naming the field', async () => {
    await assert.rejects(runAdmm(smallFeeder(2), { acceleration: { kind: 'anderson', memory: 0, regularization: 1e-8, safeguard: 2 } }, factory), /acceleration\.memory/);
  });
});
