import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fixedPointScale, fromFixed, int64Max, int64Min, isqrt, packInt64, toFixed, unpackInt64 } from './fixedPoint.js';
import { GridError } from '../core/errors.js';

test('toFixed/fromFixed round trip within half a unit', () => {
  fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
    const back = fromFixed(toFixed(x));
    assert.ok(Math.abs(back - x) <= 0.5 / 1e9 + 4 * Number.EPSILON * Math.abs(x), `${x} -> ${back}`);
  }));
});

test('toFixed rounds exactly and rejects values outside int64 or not finite', () => {
  assert.equal(toFixed(1.4e-9), 1n);
  assert.equal(toFixed(1.6e-9), 2n);
  assert.equal(toFixed(-1.6e-9), -2n);
  assert.equal(toFixed(0.1), 100_000_000n);
  assert.equal(toFixed(-3.14159), -3_141_590_000n);
  for (const bad of [Number.NaN, Infinity, -Infinity, 9.3e9, -9.3e9]) assert.throws(() => toFixed(bad, 'x'), GridError);
});

test('packInt64 round trips every int64 and rejects out-of-range values', () => {
  fc.assert(fc.property(fc.array(fc.bigInt({ min: int64Min, max: int64Max })), (values) => {
    const bytes = packInt64(values);
    assert.equal(bytes.length, values.length * 8);
    assert.deepEqual(unpackInt64(bytes), values);
  }));
  assert.throws(() => packInt64([int64Max + 1n]), GridError);
  assert.throws(() => unpackInt64(new Uint8Array(7)), GridError);
  // small negatives keep their high bytes zero (cheap calldata)
  assert.deepEqual([...packInt64([-1n])], [0, 0, 0, 0, 0, 0, 0, 1]);
});

test('isqrt is the floor square root', () => {
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: 1n << 200n }), (a) => {
    const r = isqrt(a);
    assert.ok(r * r <= a && (r + 1n) * (r + 1n) > a);
  }));
  assert.equal(fixedPointScale, 1_000_000_000n);
});
