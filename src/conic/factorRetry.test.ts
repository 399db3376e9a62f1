import assert from 'node:assert/strict';
import { test } from 'node:test';
import { solveConic } from './index.js';
import { checkOptimal } from './testing/kktCheck.js';
import { degenerateLpProblem } from './testing/stressProblems.js';

// repeated equality rows leave pivots made of the static regularization alone; at iteration 7
// one column overflowed and the run ended almostSolved. A failed factorization is now tried
// again with a proximal shift of 1e-7 on both blocks (docs/solver.md §Algorithm)
test('a degenerate LP with repeated equality rows whose factor overflows: known optimum, KKT', () => {
  const { problem, objective } = degenerateLpProblem(277);
  const sol = solveConic(problem);
  assert.equal(sol.status, 'solved');
  assert.deepEqual(checkOptimal(problem, sol, objective).failures, []);
});
