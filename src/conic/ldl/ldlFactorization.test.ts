import assert from 'node:assert/strict';
import { test } from 'node:test';
import { denseToCsc } from '../testing/conicTestKit.js';
import { LdlFactorization } from './ldlFactorization.js';

const noRegularization = { enabled: false, eps: 0, delta: 0 };

function solveWith(dense: number[][], signs: number[], rhs: number[], reg = noRegularization): { x: Float64Array; ldl: LdlFactorization } {
  const upper = denseToCsc(dense, dense.length, true);
  const ldl = new LdlFactorization(upper);
  assert.equal(ldl.factor(upper.nzval, Int8Array.from(signs), reg), true);
  const x = Float64Array.from(rhs);
  ldl.solveInPlace(x);
  return { x, ldl };
}

function multiply(dense: number[][], x: ArrayLike<number>): number[] {
  return dense.map((row) => row.reduce((sum, a, j) => sum + a * x[j]!, 0));
}

test('LDL of the identity is the identity', () => {
  const I = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const { x, ldl } = solveWith(I, [1, 1, 1], [3, -2, 5]);
  assert.deepEqual(Array.from(x), [3, -2, 5]);
  assert.equal(ldl.factorNonzeros, 0);
  assert.equal(ldl.positivePivots, 3);
});

test('LDL solves a 2x2 quasidefinite system', () => {
  const K = [[2, 1], [1, -3]];
  const { x, ldl } = solveWith(K, [1, -1], [1, 2]);
  const back = multiply(K, x);
  assert.ok(Math.abs(back[0]! - 1) < 1e-14 && Math.abs(back[1]! - 2) < 1e-14);
  assert.equal(ldl.positivePivots, 1);
});

test('LDL matches a dense solve on a random sparse quasidefinite matrix', () => {
  let seed = 7;
  const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const n = 12;
  const m = 9;
  const size = n + m;
  const K = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let i = 0; i < n; i++) K[i]![i] = 1 + rand();
  for (let i = n; i < size; i++) K[i]![i] = -(0.5 + rand());
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (rand() < 0.3) {
        const v = rand() - 0.5;
        K[n + i]![j] = v;
        K[j]![n + i] = v;
      }
    }
  }
  const rhs = Array.from({ length: size }, () => rand() - 0.5);
  const { x } = solveWith(K, [...new Array<number>(n).fill(1), ...new Array<number>(m).fill(-1)], rhs);
  const back = multiply(K, x);
  for (let i = 0; i < size; i++) assert.ok(Math.abs(back[i]! - rhs[i]!) < 1e-12, `row ${i}`);
});

test('dynamic regularization replaces the zero pivot of a singular matrix by the signed delta', () => {
  // second column duplicates the first: the second pivot is exactly 0
  const S = [[1, 1, 0], [1, 1, 0], [0, 0, 2]];
  const upper = denseToCsc(S, 3, true);
  const ldl = new LdlFactorization(upper);
  assert.equal(ldl.factor(upper.nzval, Int8Array.of(1, 1, 1), noRegularization), false);
  assert.equal(ldl.factor(upper.nzval, Int8Array.of(1, 1, 1), { enabled: true, eps: 1e-13, delta: 1e-7 }), true);
  assert.equal(ldl.regularizedPivots, 1);
  assert.equal(ldl.D[1], 1e-7);
  const x = Float64Array.of(1, 1, 4);
  ldl.solveInPlace(x);
  assert.ok(x.every(Number.isFinite));
  assert.ok(Math.abs(x[2]! - 2) < 1e-12);
});

test('LDL rejects entries below the diagonal', () => {
  assert.throws(() => new LdlFactorization(denseToCsc([[1, 0], [1, 1]], 2)), /below the diagonal/);
});

// an overflowed column used to be hidden by regularizing its -Inf pivot, leaving Inf in L and
// NaN in every solve (stress degenerate-lp seed 277 at iteration 7); now the factor reports failure
test('a column that overflows fails the factorization instead of being regularized', () => {
  const K = [[1e-300, 1e300], [1e300, 1]];
  const upper = denseToCsc(K, 2, true);
  const ldl = new LdlFactorization(upper);
  assert.equal(ldl.factor(upper.nzval, Int8Array.from([1, 1]), { enabled: true, eps: 1e-13, delta: 2e-7 }), false);
});
