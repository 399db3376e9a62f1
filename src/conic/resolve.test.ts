import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admmLinearCost, generateBusSubproblem, generateDistFlowProblem } from '../../bench/conicDistFlowGenerator.js';
import { createConicSolver, solveConic } from './index.js';
import { dualResidual, maxAbs, primalResidual } from './testing/conicTestKit.js';
import { knownOptimumProblem } from './testing/generatedProblems.js';
import type { ConicSolution } from './types.js';

function sameAnswer(a: ConicSolution, b: ConicSolution): void {
  assert.equal(a.status, 'solved');
  assert.equal(b.status, 'solved');
  const scale = Math.max(1, Math.abs(b.objective));
  assert.ok(Math.abs(a.objective - b.objective) <= 1e-7 * scale, `objective ${a.objective} vs ${b.objective}`);
}

test('a small DistFlow-like OPF (rotated cones, batteries) solves to the default tolerances', () => {
  const problem = generateDistFlowProblem({ buses: 8, periods: 3, seed: 4 });
  const sol = solveConic(problem);
  assert.equal(sol.status, 'solved');
  assert.ok(primalResidual(problem, sol.x, sol.s) < 1e-7);
  assert.ok(dualResidual(problem, sol.x, sol.y) < 1e-6 * Math.max(1, maxAbs(problem.q)));
});

test('re-solving after updateLinearCost matches a fresh solve (cold and warm)', () => {
  const bus = generateBusSubproblem(6, 2, 11);
  for (const warmStart of [false, true]) {
    const solver = createConicSolver(bus.problem, { warmStart });
    assert.equal(solver.solve().status, 'solved');
    for (let round = 1; round <= 3; round++) {
      const q = admmLinearCost(bus.problem.q, bus.copyColumns, bus.rho, 11, round);
      solver.updateLinearCost(q);
      const again = solver.solve();
      const fresh = solveConic({ ...bus.problem, q });
      sameAnswer(again, fresh);
      assert.equal(again.timings.setupMs, 0, 'no setup on a re-solve');
    }
  }
});

test('updateRhs and updateQuadraticCostValues match fresh solves', () => {
  const { problem } = knownOptimumProblem(77);
  const solver = createConicSolver(problem);
  solver.solve();
  const b = problem.b.map((v) => v * 1.01);
  solver.updateRhs(b);
  sameAnswer(solver.solve(), solveConic({ ...problem, b }));
  const values = problem.P.nzval.map((v) => v * 2);
  solver.updateQuadraticCostValues(values);
  sameAnswer(solver.solve(), solveConic({ ...problem, b, P: { ...problem.P, nzval: values } }));
});

test('a fresh instance that loads a saved warm start re-solves bit for bit like the saving one', () => {
  const bus = generateBusSubproblem(6, 2, 12);
  const first = createConicSolver(bus.problem, { warmStart: true });
  assert.equal(first.solve().status, 'solved');
  const state = new Float64Array(first.warmStartSize!);
  first.saveWarmStart!(state);
  const second = createConicSolver(bus.problem, { warmStart: true });
  second.loadWarmStart!(state);
  const q = admmLinearCost(bus.problem.q, bus.copyColumns, bus.rho, 12, 1);
  for (const solver of [first, second]) solver.updateLinearCost(q);
  const a = first.solve();
  const b = second.solve();
  assert.equal(b.iterations, a.iterations);
  assert.deepEqual(b.x, a.x);
  assert.deepEqual(b.y, a.y);
  // the state of an instance that never solved has no warm start: loading it makes the next solve a cold one
  const never = createConicSolver(bus.problem, { warmStart: true });
  never.saveWarmStart!(state);
  second.loadWarmStart!(state);
  never.updateLinearCost(q);
  assert.deepEqual(second.solve().x, never.solve().x);
});
