import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SOC_EXPANSION_MIN_DIM } from './cones/secondOrderCones.js';
import { cscFromTriplets, solveConic } from './index.js';
import { dualResidual, primalResidual } from './testing/conicTestKit.js';
import { randomFromSeed } from './testing/generatedProblems.js';
import type { ConicProblem } from './types.js';

/** s'y, and the smallest t - ||w|| of s and of y on the single cone block. */
function complementarity(s: Float64Array, y: Float64Array): { sy: number; sMargin: number; yMargin: number } {
  let sy = 0;
  let sTail = 0;
  let yTail = 0;
  for (let i = 0; i < s.length; i++) {
    sy += s[i]! * y[i]!;
    if (i > 0) {
      sTail += s[i]! * s[i]!;
      yTail += y[i]! * y[i]!;
    }
  }
  return { sy, sMargin: s[0]! - Math.sqrt(sTail), yMargin: y[0]! - Math.sqrt(yTail) };
}

test('a second-order cone of dimension 2,000 (sparse expansion) projects onto the cone as in closed form', () => {
  const d = 2000;
  assert.ok(d >= SOC_EXPANSION_MIN_DIM);
  const rand = randomFromSeed(7);
  const p = Float64Array.from({ length: d }, () => 2 * rand() - 1);
  let tail = 0;
  for (let i = 1; i < d; i++) tail += p[i]! * p[i]!;
  const tailNorm = Math.sqrt(tail);
  p[0] = 0.3 * tailNorm;
  const index = Array.from({ length: d }, (_, i) => i);
  // min 1/2 ||x - p||^2  s.t.  -x + s = 0, s in SOC
  const problem: ConicProblem = {
    P: cscFromTriplets(d, d, index, index, index.map(() => 1)),
    q: Float64Array.from(p, (v) => -v),
    A: cscFromTriplets(d, d, index, index, index.map(() => -1)),
    b: new Float64Array(d),
    cones: [{ type: 'secondOrder', dim: d }],
  };
  const solution = solveConic(problem);
  assert.equal(solution.status, 'solved');
  // projection of (t, w) with |t| < ||w||: ((t + ||w||)/2) (1, w/||w||)
  const a = (p[0]! + tailNorm) / 2;
  for (let i = 0; i < d; i++) {
    const expected = i === 0 ? a : (a * p[i]!) / tailNorm;
    assert.ok(Math.abs(solution.x[i]! - expected) <= 1e-6, `x[${i}] = ${solution.x[i]}, expected ${expected}`);
  }
  assert.ok(primalResidual(problem, solution.x, solution.s) <= 1e-6);
  assert.ok(dualResidual(problem, solution.x, solution.y) <= 1e-6);
  const c = complementarity(solution.s, solution.y);
  assert.ok(Math.abs(c.sy) <= 1e-6, `s'y = ${c.sy}`);
  assert.ok(c.sMargin >= -1e-9 && c.yMargin >= -1e-9);
});

test('least squares as an SOCP with a 121-row cone (sparse expansion) matches the normal equations', () => {
  const rows = 120;
  const cols = 12;
  const rand = randomFromSeed(11);
  const B = Array.from({ length: rows }, () => Array.from({ length: cols }, () => 2 * rand() - 1));
  const c = Array.from({ length: rows }, () => 2 * rand() - 1);
  // variables (x, t): min t  s.t.  (t, Bx - c) in SOC, written as -(t, Bx) + s = (0, -c)
  const ti: number[] = [];
  const tj: number[] = [];
  const tv: number[] = [];
  ti.push(0);
  tj.push(cols);
  tv.push(-1);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      ti.push(i + 1);
      tj.push(j);
      tv.push(-B[i]![j]!);
    }
  }
  const q = new Float64Array(cols + 1);
  q[cols] = 1;
  const problem: ConicProblem = {
    P: cscFromTriplets(cols + 1, cols + 1, [], [], []),
    q,
    A: cscFromTriplets(rows + 1, cols + 1, ti, tj, tv),
    b: Float64Array.from([0, ...c.map((v) => -v)]),
    cones: [{ type: 'secondOrder', dim: rows + 1 }],
  };
  assert.ok(rows + 1 >= SOC_EXPANSION_MIN_DIM);
  const solution = solveConic(problem);
  assert.equal(solution.status, 'solved');
  // normal equations B'B x = B'c by Gaussian elimination (B'B is positive definite here)
  const M = Array.from({ length: cols }, (_, i) => Array.from({ length: cols + 1 }, (_, j) => {
    let sum = 0;
    for (let k = 0; k < rows; k++) sum += B[k]![i]! * (j < cols ? B[k]![j]! : c[k]!);
    return sum;
  }));
  for (let k = 0; k < cols; k++) {
    for (let i = k + 1; i < cols; i++) {
      const f = M[i]![k]! / M[k]![k]!;
      for (let j = k; j <= cols; j++) M[i]![j]! -= f * M[k]![j]!;
    }
  }
  const x = new Array<number>(cols).fill(0);
  for (let i = cols - 1; i >= 0; i--) {
    let sum = M[i]![cols]!;
    for (let j = i + 1; j < cols; j++) sum -= M[i]![j]! * x[j]!;
    x[i] = sum / M[i]![i]!;
  }
  let residual = 0;
  for (let k = 0; k < rows; k++) {
    let r = -c[k]!;
    for (let j = 0; j < cols; j++) r += B[k]![j]! * x[j]!;
    residual += r * r;
  }
  const optimum = Math.sqrt(residual);
  assert.ok(Math.abs(solution.objective - optimum) <= 1e-7 * Math.max(1, optimum), `objective ${solution.objective}, least squares ${optimum}`);
  assert.ok(primalResidual(problem, solution.x, solution.s) <= 1e-7);
  assert.ok(dualResidual(problem, solution.x, solution.y) <= 1e-7);
  const comp = complementarity(solution.s, solution.y);
  assert.ok(Math.abs(comp.sy) <= 1e-6 && comp.sMargin >= -1e-9 && comp.yMargin >= -1e-9);
});
