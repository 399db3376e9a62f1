import assert from 'node:assert/strict';
import { test } from 'node:test';
import { solveConic } from './index.js';
import { checkOptimal } from './testing/kktCheck.js';
import { largeConeLeastSquaresProblem, manySmallConesProblem, rotatedZeroSideProblem } from './testing/stressProblems.js';

// These ended almostSolved while cones below dimension 64 were dense blocks (their W'W loses its
// small eigenvalue near the boundary) and expanded cones took ds from the complementarity row
// (docs/solver.md §Stress harness); each is checked against its known optimum and the KKT conditions.
test('many small second-order and rotated cones with the optimum on their boundaries: known optimum, KKT', () => {
  for (const seed of [5, 14, 42]) {
    const { problem, objective } = manySmallConesProblem(seed);
    const sol = solveConic(problem);
    assert.equal(sol.status, 'solved', `seed ${seed}`);
    assert.deepEqual(checkOptimal(problem, sol, objective).failures, [], `seed ${seed}`);
  }
});

test('rotated cones with u = 0 or v = 0 at the optimum: known optimum, KKT', () => {
  for (const seed of [22, 80]) {
    const { problem, objective } = rotatedZeroSideProblem(seed);
    const sol = solveConic(problem);
    assert.equal(sol.status, 'solved', `seed ${seed}`);
    assert.deepEqual(checkOptimal(problem, sol, objective).failures, [], `seed ${seed}`);
  }
});

test('least-squares cones of 600-900 rows, above the dense fallback (about 580 rows): KKT conditions', () => {
  // such runs ended almostSolved, with no dense fallback left to try
  for (const seed of [1, 2]) {
    const { problem } = largeConeLeastSquaresProblem(seed, 600, 900);
    assert.ok(problem.cones[0]!.dim >= 600);
    const sol = solveConic(problem);
    assert.equal(sol.status, 'solved', `seed ${seed}`);
    assert.deepEqual(checkOptimal(problem, sol, undefined).failures, [], `seed ${seed}`);
  }
});
