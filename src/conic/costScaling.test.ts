import assert from 'node:assert/strict';
import { test } from 'node:test';
import { solveConic } from './index.js';
import { knownOptimumProblem } from './testing/generatedProblems.js';
import type { ConicProblem } from './types.js';

/** The problem with its cost (P and q) multiplied by `factor`: same minimizer, optimum times factor. */
function withCostTimes(problem: ConicProblem, factor: number): ConicProblem {
  return { ...problem, q: problem.q.map((v) => v * factor), P: { ...problem.P, nzval: problem.P.nzval.map((v) => v * factor) } };
}

// the cost scaling of the equilibration (equilibrate.ts) brings the cost size into [1, 100]:
// tiny and huge costs must reach the same minimizer
for (const factor of [1e-6, 1e6]) {
  test(`generated problems with their cost times ${factor} reach the scaled optimum`, () => {
    for (let seed = 1; seed <= 12; seed++) {
      const { problem, objective } = knownOptimumProblem(seed);
      const sol = solveConic(withCostTimes(problem, factor));
      assert.equal(sol.status, 'solved', `seed ${seed}`);
      const expected = factor * objective;
      assert.ok(Math.abs(sol.objective - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `seed ${seed}: ${sol.objective} vs ${expected}`);
    }
  });
}
