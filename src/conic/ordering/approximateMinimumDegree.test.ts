import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LdlFactorization } from '../ldl/ldlFactorization.js';
import { cscFromTriplets } from '../sparse/cscFromTriplets.js';
import type { CscMatrix } from '../types.js';
import { approximateMinimumDegree } from './approximateMinimumDegree.js';

/** Upper triangle of P K P' for the ordering perm (perm[k] = old index). */
function permutedUpper(K: CscMatrix, inversePerm: Int32Array): CscMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let j = 0; j < K.ncols; j++) {
    for (let p = K.colptr[j]!; p < K.colptr[j + 1]!; p++) {
      const a = inversePerm[K.rowval[p]!]!;
      const b = inversePerm[j]!;
      rows.push(Math.min(a, b));
      cols.push(Math.max(a, b));
      vals.push(K.nzval[p]!);
    }
  }
  return cscFromTriplets(K.nrows, K.ncols, rows, cols, vals);
}

/** Arrow matrix: node 0 is joined to every other node; the diagonal is full. */
function arrow(n: number): CscMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  for (let j = 0; j < n; j++) {
    rows.push(j);
    cols.push(j);
    if (j > 0) {
      rows.push(0);
      cols.push(j);
    }
  }
  return cscFromTriplets(n, n, rows, cols, rows.map(() => 1));
}

test('AMD returns a permutation and its inverse', () => {
  const { perm, inversePerm } = approximateMinimumDegree(arrow(30));
  assert.deepEqual([...perm].sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i));
  for (let k = 0; k < 30; k++) assert.equal(inversePerm[perm[k]!], k);
});

test('AMD orders an arrow matrix hub last, so L has no fill', () => {
  const n = 40;
  const K = arrow(n);
  const natural = new LdlFactorization(permutedUpper(K, Int32Array.from({ length: n }, (_, i) => i)));
  const { inversePerm } = approximateMinimumDegree(K);
  const ordered = new LdlFactorization(permutedUpper(K, inversePerm));
  assert.equal(natural.factorNonzeros, (n * (n - 1)) / 2);
  assert.equal(ordered.factorNonzeros, n - 1);
});

test('AMD handles a matrix with no off-diagonal entries and an empty one', () => {
  const diagonal = cscFromTriplets(5, 5, [0, 1, 2, 3, 4], [0, 1, 2, 3, 4], [1, 1, 1, 1, 1]);
  assert.equal(approximateMinimumDegree(diagonal).perm.length, 5);
  assert.equal(approximateMinimumDegree(cscFromTriplets(0, 0, [], [], [])).perm.length, 0);
});

/** k×k five-point grid (the classic fill-heavy pattern); the diagonal is full. */
function grid(k: number): CscMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const node = a * k + b;
      rows.push(node);
      cols.push(node);
      if (a + 1 < k) {
        rows.push(node);
        cols.push(node + k);
      }
      if (b + 1 < k) {
        rows.push(node);
        cols.push(node + 1);
      }
    }
  }
  return cscFromTriplets(k * k, k * k, rows, cols, rows.map(() => 1));
}

test('AMD on a 30×30 grid keeps well under the banded natural order fill (element lists outgrow their first buffer)', () => {
  const k = 30;
  const K = grid(k);
  const natural = new LdlFactorization(permutedUpper(K, Int32Array.from({ length: k * k }, (_, i) => i)));
  const { perm, inversePerm } = approximateMinimumDegree(K);
  assert.deepEqual([...perm].sort((a, b) => a - b), Array.from({ length: k * k }, (_, i) => i));
  const ordered = new LdlFactorization(permutedUpper(K, inversePerm));
  // natural order: about k fill entries per column; minimum degree needs O(n log n)
  assert.ok(ordered.factorNonzeros < natural.factorNonzeros / 2, `${ordered.factorNonzeros} vs ${natural.factorNonzeros}`);
});
