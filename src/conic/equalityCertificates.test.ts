import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cscMulAdd, cscTransposeMulAdd, solveConic, symmetricUpperMulAdd } from './index.js';
import { dotOf, maxAbs, problemOf } from './testing/conicTestKit.js';
import { randomFromSeed } from './testing/generatedProblems.js';
import type { ConicProblem, ConicSolution } from './types.js';

function assertUnboundedDirection(problem: ConicProblem, sol: ConicSolution, label: string): void {
  assert.equal(sol.status, 'dualInfeasible', label);
  const scale = Math.max(1, maxAbs(sol.x));
  const Px = new Float64Array(problem.q.length);
  symmetricUpperMulAdd(problem.P, sol.x, Px, 1, 0);
  const Axs = Float64Array.from(sol.s);
  cscMulAdd(problem.A, sol.x, Axs, 1, 1);
  assert.ok(Math.abs(dotOf(problem.q, sol.x) + 1) < 1e-9, `${label}: q'x = -1`);
  assert.ok(maxAbs(Px) <= 1e-6 * scale, `${label}: Px ~ 0`);
  assert.ok(maxAbs(Axs) <= 1e-6 * scale, `${label}: Ax + s ~ 0`);
  assert.ok(maxAbs(sol.s) <= 1e-6 * scale, `${label}: s = 0 on equality rows`);
}

function assertFarkas(problem: ConicProblem, sol: ConicSolution, label: string): void {
  assert.equal(sol.status, 'primalInfeasible', label);
  const scale = Math.max(1, maxAbs(sol.y));
  const Aty = new Float64Array(problem.q.length);
  cscTransposeMulAdd(problem.A, sol.y, Aty, 1, 0);
  assert.ok(Math.abs(dotOf(problem.b, sol.y) + 1) < 1e-9, `${label}: b'y = -1`);
  assert.ok(maxAbs(Aty) <= 1e-6 * scale, `${label}: A'y ~ 0`);
}

test('equality-only unbounded LP and QP end dualInfeasible with a checked direction', () => {
  // min x1  s.t. x1 - x2 = 0: unbounded along (-1, -1)
  const lp = problemOf([], [1, 0], [[1, -1]], [0], [{ type: 'zero', dim: 1 }]);
  assertUnboundedDirection(lp, solveConic(lp), 'lp');
  // min 1/2 x1^2 + x2  s.t. x2 - x3 = 0: P is singular along the unbounded direction
  const qp = problemOf([[1, 0, 0], [0, 0, 0], [0, 0, 0]], [0, 1, 0], [[0, 1, -1]], [0], [{ type: 'zero', dim: 1 }]);
  assertUnboundedDirection(qp, solveConic(qp), 'qp');
  // no rows at all
  const free = problemOf([], [-1, 2], [], [], []);
  assertUnboundedDirection(free, solveConic(free), 'no rows');
});

test('random equality-only unbounded QPs end dualInfeasible (seeded)', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rand = randomFromSeed(seed);
    const n = 3 + Math.floor(rand() * 6);
    const rows = 1 + Math.floor(rand() * (n - 2));
    const d = Array.from({ length: n }, () => 2 * rand() - 1);
    const dd = d.reduce((a, v) => a + v * v, 0);
    // rows of A and of P's factor are made orthogonal to d, so d is a recession direction
    const orthogonal = (): number[] => {
      const row = Array.from({ length: n }, () => 2 * rand() - 1);
      const rd = row.reduce((a, v, j) => a + v * d[j]!, 0);
      return row.map((v, j) => v - (rd * d[j]!) / dd);
    };
    const A = Array.from({ length: rows }, orthogonal);
    const M = Array.from({ length: Math.floor(rand() * n) }, orthogonal);
    const P = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => M.reduce((a, r) => a + r[i]! * r[j]!, 0)));
    const x0 = Array.from({ length: n }, () => 2 * rand() - 1);
    const b = A.map((r) => r.reduce((a, v, j) => a + v * x0[j]!, 0));
    const q = Array.from({ length: n }, () => 2 * rand() - 1);
    const qd = q.reduce((a, v, j) => a + v * d[j]!, 0);
    for (let j = 0; j < n; j++) q[j]! -= ((qd + 1) * d[j]!) / dd;
    const problem = problemOf(P, q, A, b, [{ type: 'zero', dim: rows }]);
    assertUnboundedDirection(problem, solveConic(problem), `seed ${seed}`);
  }
});

test('conflicting equalities end primalInfeasible with a Farkas certificate; consistent duplicates solve', () => {
  const qp = problemOf([[1, 0], [0, 1]], [0, 0], [[1, 1], [1, 1]], [1, 2], [{ type: 'zero', dim: 2 }]);
  assertFarkas(qp, solveConic(qp), 'qp');
  const lp = problemOf([], [1, 1], [[1, 1], [2, 2], [-1, 0], [0, -1]], [1, 3, 0, 0], [{ type: 'zero', dim: 2 }, { type: 'nonnegative', dim: 2 }]);
  assertFarkas(lp, solveConic(lp), 'lp with bounds');
  // the same rows three times (rank one): min (x1-1)^2/2 + (x2-1)^2/2 ... with x1 + x2 = 1
  const duplicated = problemOf([[1, 0], [0, 1]], [-1, -1], [[1, 1], [1, 1], [2, 2]], [1, 1, 2], [{ type: 'zero', dim: 3 }]);
  const sol = solveConic(duplicated);
  assert.equal(sol.status, 'solved');
  assert.ok(Math.abs(sol.x[0]! - 0.5) < 1e-7 && Math.abs(sol.x[1]! - 0.5) < 1e-7);
});

test('time and iteration limits stop the run with their status and finite iterates', () => {
  const problem = problemOf([[2, 0], [0, 2]], [-2, -5], [[1, 2], [-1, 2], [-1, -2]], [6, 2, 2], [{ type: 'nonnegative', dim: 3 }]);
  const timed = solveConic(problem, { timeLimitSeconds: 1e-12 });
  assert.equal(timed.status, 'timeLimit');
  const capped = solveConic(problem, { maxIter: 1 });
  assert.equal(capped.status, 'maxIterations');
  assert.ok(capped.x.every(Number.isFinite));
  assert.throws(() => solveConic(problem, { timeLimitSeconds: -1 }), /settings.timeLimitSeconds/);
});
