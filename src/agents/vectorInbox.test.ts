import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GridError } from '../core/errors.js';
import { VectorInbox, type SignedVector } from './vectorInbox.js';

const vector = (bus: number): SignedVector => ({ bus, iteration: 0n, chunk: 0, values: [1n, -2n], signature: '0x00' });

test('the poster\'s wait fails after the stall limit with nothing received, naming what is missing from which buses; complete, it resolves', async () => {
  const inbox = new VectorInbox(3);
  inbox.putVector(vector(0));
  await assert.rejects(inbox.waitForVectors(0n, 0, { stallTimeoutMs: 100 }), (err: unknown) => {
    assert.ok(err instanceof GridError, String(err));
    assert.equal(err.field, '--stall-timeout');
    assert.equal(err.exitCode, 75);
    assert.equal(err.shortMessage, 'the batch poster waited 0.1 s for the vectors of iteration 0 and nothing arrived in that time; still missing: buses 1, 2');
    assert.ok(err.fix.some((f) => f.includes('run --resume --rpc-url URL --coordinator ADDRESS')), err.fix.join(' | '));
    return true;
  });
  // The same wait ends as soon as every bus has sent (a long limit leaves no timer behind).
  const all = inbox.waitForVectors(0n, 0, { stallTimeoutMs: 600_000 });
  inbox.putVector(vector(2));
  inbox.putVector(vector(1));
  assert.deepEqual((await all).map((v) => v.bus), [0, 1, 2]);
  await assert.rejects(inbox.waitForFinals({ stallTimeoutMs: 50 }), /waited 0\.05 s for the final slices and nothing arrived in that time; still missing: buses 0, 1, 2/);
});

test('a stall limit beyond setTimeout\'s 24.8 days does not fail the wait at once', async () => {
  // setTimeout turns a delay over 2^31 − 1 ms into 1 ms: the poster failed at once with --stall-timeout 3000000.
  const inbox = new VectorInbox(1);
  const finals = inbox.waitForFinals({ stallTimeoutMs: 3e9 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  inbox.putFinal({ bus: 0, netInjection: [0n], dlmp: [0n], signature: '0x00' });
  assert.deepEqual((await finals).map((f) => f.bus), [0]);
});
