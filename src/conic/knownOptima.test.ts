import assert from 'node:assert/strict';
import { test } from 'node:test';
import { solveConic } from './index.js';
import { dualResidual, primalResidual, problemOf } from './testing/conicTestKit.js';
import type { ConicProblem, ConicSolution } from './types.js';

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

function solvedWithCheckedResiduals(problem: ConicProblem): ConicSolution {
  const sol = solveConic(problem);
  assert.equal(sol.status, 'solved');
  assert.ok(primalResidual(problem, sol.x, sol.s) < 1e-7, 'primal residual');
  assert.ok(dualResidual(problem, sol.x, sol.y) < 1e-7, 'dual residual');
  return sol;
}

test('LP: max x1 + x2 on a polygon', () => {
  // x1 + 2 x2 <= 4, 3 x1 + x2 <= 6, x >= 0: optimum (1.6, 1.2)
  const problem = problemOf([], [-1, -1], [[1, 2], [3, 1], [-1, 0], [0, -1]], [4, 6, 0, 0], [{ type: 'nonnegative', dim: 4 }]);
  const sol = solvedWithCheckedResiduals(problem);
  close(sol.objective, -2.8, 1e-8, 'objective');
  close(sol.x[0]!, 1.6, 1e-7, 'x1');
  close(sol.y[0]!, 0.4, 1e-7, 'dual of row 1');
  close(sol.y[1]!, 0.2, 1e-7, 'dual of row 2');
});

test('HS21 (Maros-Meszaros): optimum -99.96', () => {
  // min 0.01 x1^2 + x2^2 - 100, 10 x1 - x2 >= 10, 2 <= x1 <= 50, -50 <= x2 <= 50
  const problem = problemOf(
    [[0.02, 0], [0, 2]], [0, 0],
    [[-10, 1], [-1, 0], [1, 0], [0, -1], [0, 1]], [-10, -2, 50, 50, 50],
    [{ type: 'nonnegative', dim: 5 }],
  );
  const sol = solvedWithCheckedResiduals(problem);
  close(sol.objective - 100, -99.96, 1e-9, 'objective');
});

test('HS35 (Maros-Meszaros): optimum 1/9', () => {
  const problem = problemOf(
    [[4, 2, 2], [2, 4, 0], [2, 0, 2]], [-8, -6, -4],
    [[1, 1, 2], [-1, 0, 0], [0, -1, 0], [0, 0, -1]], [3, 0, 0, 0],
    [{ type: 'nonnegative', dim: 4 }],
  );
  const sol = solvedWithCheckedResiduals(problem);
  close(sol.objective + 9, 0.1111111111, 1e-7, 'objective');
  close(sol.x[0]!, 4 / 3, 1e-7, 'x1');
});

test('SOCP: min t with ||(3, 4)|| <= t', () => {
  const problem = problemOf(
    [], [1, 0, 0],
    [[0, 1, 0], [0, 0, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1]], [3, 4, 0, 0, 0],
    [{ type: 'zero', dim: 2 }, { type: 'secondOrder', dim: 3 }],
  );
  const sol = solvedWithCheckedResiduals(problem);
  close(sol.objective, 5, 1e-8, 'objective');
  // dual of the cone is (1, -3/5, -4/5)
  close(sol.y[2]!, 1, 1e-7, 'cone dual');
  close(sol.y[3]!, -0.6, 1e-7, 'cone dual');
});

test('rotated cone: min u + v with 2 u v >= w^2, w = 2 gives 2 sqrt 2', () => {
  const problem = problemOf(
    [], [1, 1, 0],
    [[0, 0, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1]], [2, 0, 0, 0],
    [{ type: 'zero', dim: 1 }, { type: 'rotatedSecondOrder', dim: 3 }],
  );
  const sol = solvedWithCheckedResiduals(problem);
  close(sol.objective, 2 * Math.SQRT2, 1e-8, 'objective');
  close(sol.s[1]!, Math.SQRT2, 1e-6, 's is reported in the rotated form (u)');
  close(sol.s[2]!, Math.SQRT2, 1e-6, 's is reported in the rotated form (v)');
  close(2 * sol.y[1]! * sol.y[2]! - sol.y[3]! ** 2, 0, 1e-6, 'rotated dual on the boundary');
});

test('unconstrained QP: x = -P^-1 q', () => {
  const problem = problemOf([[2, 1], [1, 2]], [1, 1], [], [], []);
  const sol = solvedWithCheckedResiduals(problem);
  close(sol.x[0]!, -1 / 3, 1e-8, 'x1');
  close(sol.objective, -1 / 3, 1e-8, 'objective');
});

test('equality-only QP: min 1/2 ||x||^2 with x1 + x2 + x3 = 3', () => {
  const problem = problemOf([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], [[1, 1, 1]], [3], [{ type: 'zero', dim: 1 }]);
  const sol = solvedWithCheckedResiduals(problem);
  close(sol.objective, 1.5, 1e-8, 'objective');
  // Px + q + A'y = 0 gives y = -1 (d objective / d b = -y = 1)
  close(sol.y[0]!, -1, 1e-7, 'multiplier');
});
