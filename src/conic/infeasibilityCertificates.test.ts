import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectOntoCones } from './cones/projection.js';
import { solveConic } from './index.js';
import { checkDualCertificate, checkPrimalCertificate } from './testing/kktCheck.js';
import { bothInfeasibleProblem, dualInfeasibleStressProblem, primalInfeasibleStressProblem } from './testing/stressProblems.js';

test('projection onto K: orthant, zero rows and second-order blocks as in closed form', () => {
  const v = Float64Array.of(3, -2, 5, -1, 0.5, 4, 1, 1, -3, 3, 4);
  projectOntoCones([{ type: 'zero', dim: 1 }, { type: 'nonnegative', dim: 2 }, { type: 'secondOrder', dim: 2 }, { type: 'secondOrder', dim: 3 }, { type: 'secondOrder', dim: 3 }], v);
  // (-1, 0.5): |w| 0.5 < 1 = -t, so 0; (4, 1, 1): inside; (-3, 3, 4): |w| 5, half (t + |w|) = 1 -> (1, 0.6, 0.8)
  const expected = [0, 0, 5, 0, 0, 4, 1, 1, 1, 0.6, 0.8];
  expected.forEach((e, i) => assert.ok(Math.abs(v[i]! - e) < 1e-15, `entry ${i}: ${v[i]} vs ${e}`));
});

// these seeds ended insufficientProgress before the unbounded-direction test took s as the
// projection of -Ax onto K: ||Ax + s|| stalled at 1e-8 relative while tau fell (docs/solver.md §Stress harness)
test('unbounded problems whose direction the plain test missed return a valid certificate', () => {
  for (const seed of [1, 9, 11, 23]) {
    const { problem } = dualInfeasibleStressProblem(seed);
    const sol = solveConic(problem);
    assert.equal(sol.status, 'dualInfeasible', `seed ${seed}`);
    assert.deepEqual(checkDualCertificate(problem, sol.x, sol.s), [], `seed ${seed}`);
  }
});

// seed 42 (26 variables, 16 rows, P of low rank) has directions with P d = 0 and A d = 0: the run
// stalled as x grew along them; the null-space search after a stall finds one (docs/solver.md §Stress harness)
test('a stalled run on a problem with free directions in the null space of P and A returns one of them', () => {
  const { problem } = dualInfeasibleStressProblem(42);
  const sol = solveConic(problem);
  assert.equal(sol.status, 'dualInfeasible');
  assert.deepEqual(checkDualCertificate(problem, sol.x, sol.s), []);
});

test('larger infeasible families (equality rows, cones up to dimension 120, both infeasible) return valid certificates', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const primal = primalInfeasibleStressProblem(seed).problem;
    const p = solveConic(primal);
    assert.equal(p.status, 'primalInfeasible', `primal seed ${seed}`);
    assert.deepEqual(checkPrimalCertificate(primal, p.y), [], `primal seed ${seed}`);
    const both = bothInfeasibleProblem(seed).problem;
    const b = solveConic(both);
    assert.ok(b.status === 'primalInfeasible' || b.status === 'dualInfeasible', `both seed ${seed}: ${b.status}`);
    const failures = b.status === 'primalInfeasible' ? checkPrimalCertificate(both, b.y) : checkDualCertificate(both, b.x, b.s);
    assert.deepEqual(failures, [], `both seed ${seed}`);
  }
});
