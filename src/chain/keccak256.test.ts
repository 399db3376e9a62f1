import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesToHex, keccak256 } from 'viem';
import { keccak256Bytes } from './keccak256.js';

test('keccak256Bytes equals viem\'s keccak256 for every length 0–700 (rate boundaries 136, 272, …) and random inputs', () => {
  for (let n = 0; n <= 700; n++) {
    const data = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff);
    assert.equal(bytesToHex(keccak256Bytes(data)), keccak256(data), `length ${n}`);
  }
  fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat({ max: 7 }), (bytes, shift) => {
    const padded = new Uint8Array(bytes.length + shift);
    padded.set(bytes, shift);
    const unaligned = padded.subarray(shift); // a view at an odd offset reads the same bytes
    assert.equal(bytesToHex(keccak256Bytes(unaligned)), keccak256(bytes));
  }), { numRuns: 200 });
  assert.equal(bytesToHex(keccak256Bytes(new Uint8Array(0))), '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
});
