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
