import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { solveConic } from './index.js';
import { coneViolation, dotOf, dualResidual, maxAbs, objectiveOf, primalResidual } from './testing/conicTestKit.js';
import { dualInfeasibleProblem, knownOptimumProblem, primalInfeasibleProblem } from './testing/generatedProblems.js';
import { cscMulAdd, cscTransposeMulAdd, symmetricUpperMulAdd } from './sparse/cscMatVec.js';

const runs = { numRuns: 30, seed: 20261124 };

test('generated problems with known optima: KKT conditions and objective', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const { problem, objective } = knownOptimumProblem(seed);
      const sol = solveConic(problem);
      assert.equal(sol.status, 'solved', `seed ${seed}`);
      const Ax = new Float64Array(problem.b.length);
      cscMulAdd(problem.A, sol.x, Ax, 1, 0);
      const primalScale = Math.max(1, maxAbs(problem.b), maxAbs(Ax), maxAbs(sol.s));
      const Px = new Float64Array(problem.q.length);
      symmetricUpperMulAdd(problem.P, sol.x, Px, 1, 0);
      const Aty = new Float64Array(problem.q.length);
      cscTransposeMulAdd(problem.A, sol.y, Aty, 1, 0);
      const dualScale = Math.max(1, maxAbs(problem.q), maxAbs(Px), maxAbs(Aty));
      assert.ok(primalResidual(problem, sol.x, sol.s) <= 1e-6 * primalScale, `primal residual, seed ${seed}`);
      assert.ok(dualResidual(problem, sol.x, sol.y) <= 1e-6 * dualScale, `dual residual, seed ${seed}`);
      assert.ok(coneViolation(problem.cones, sol.s) <= 1e-8 * primalScale, `s in K, seed ${seed}`);
      assert.ok(coneViolation(problem.cones, sol.y, true) <= 1e-8 * dualScale, `y in K*, seed ${seed}`);
      const size = Math.max(1, Math.abs(objective), Math.abs(dotOf(problem.q, sol.x)), Math.abs(dotOf(sol.x, Px)));
      assert.ok(Math.abs(dotOf(sol.s, sol.y)) <= 1e-6 * size, `complementarity, seed ${seed}`);
      assert.ok(Math.abs(objectiveOf(problem, sol.x) - objective) <= 1e-6 * size, `objective ${sol.objective} vs ${objective}, seed ${seed}`);
    }),
    runs,
  );
});

test('primal infeasible problems return a Farkas certificate: A\'y = 0, b\'y < 0, y in K*', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const problem = primalInfeasibleProblem(seed);
      const sol = solveConic(problem);
      assert.equal(sol.status, 'primalInfeasible', `seed ${seed}`);
      const Aty = new Float64Array(problem.q.length);
      cscTransposeMulAdd(problem.A, sol.y, Aty, 1, 0);
      const by = dotOf(problem.b, sol.y);
      assert.ok(Math.abs(by + 1) < 1e-9, 'certificate normalized to b\'y = -1');
      assert.ok(maxAbs(Aty) <= 1e-6 * Math.max(1, maxAbs(sol.y)), `A'y ~ 0, seed ${seed}`);
      assert.ok(coneViolation(problem.cones, sol.y, true) <= 1e-9 * Math.max(1, maxAbs(sol.y)), `y in K*, seed ${seed}`);
      assert.ok(sol.x.every(Number.isNaN) && Number.isNaN(sol.objective));
    }),
    runs,
  );
});

test('unbounded problems return a direction: Px = 0, Ax + s = 0, s in K, q\'x < 0', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const problem = dualInfeasibleProblem(seed);
      const sol = solveConic(problem);
      assert.equal(sol.status, 'dualInfeasible', `seed ${seed}`);
      const scale = Math.max(1, maxAbs(sol.x));
      const Px = new Float64Array(problem.q.length);
      symmetricUpperMulAdd(problem.P, sol.x, Px, 1, 0);
      const Axs = Float64Array.from(sol.s);
      cscMulAdd(problem.A, sol.x, Axs, 1, 1);
      assert.ok(Math.abs(dotOf(problem.q, sol.x) + 1) < 1e-9, 'direction normalized to q\'x = -1');
      assert.ok(maxAbs(Px) <= 1e-6 * scale, `Px ~ 0, seed ${seed}`);
      assert.ok(maxAbs(Axs) <= 1e-6 * scale, `Ax + s ~ 0, seed ${seed}`);
      assert.ok(coneViolation(problem.cones, sol.s) <= 1e-9 * scale, `s in K, seed ${seed}`);
      assert.ok(sol.y.every(Number.isNaN));
    }),
    runs,
  );
});
