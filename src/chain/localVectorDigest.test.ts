import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesToHex, hashTypedData, recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { coordinatorDomainName, localVectorDigest } from './localVectorDigest.js';
import { localVectorTypes, signLocalCopy } from './actions/signLocalCopy.js';
import { agentAccount } from './clients.js';
import { GridError } from '../core/errors.js';

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => bytesToHex(b));

test('localVectorDigest is the EIP-712 digest viem\'s generic encoder computes', () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 2 ** 40 }), hex(20), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), hex(32),
    (chainId, coordinator, iteration, bus, chunk, valuesHash) => {
      const expected = hashTypedData({
        domain: { name: coordinatorDomainName, version: '1', chainId, verifyingContract: coordinator as Address },
        types: localVectorTypes, primaryType: 'LocalVector', message: { iteration, bus, chunk, valuesHash: valuesHash as Hex },
      });
      assert.equal(bytesToHex(localVectorDigest({ chainId, coordinator: coordinator as Address, iteration, bus, chunk, valuesHash: valuesHash as Hex })), expected);
    },
  ), { numRuns: 200 });
});

test('signLocalCopy signs the typed data: the signer recovers from the EIP-712 message', async () => {
  const account = agentAccount(5);
  const coordinator = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
  const signed = await signLocalCopy({ account, chainId: 31337, coordinator, iteration: 7n, bus: 3, chunk: 1, values: [0n, -1n, 123_456_789n, -(2n ** 63n)] });
  const signer = await recoverTypedDataAddress({
    domain: { name: coordinatorDomainName, version: '1', chainId: 31337, verifyingContract: coordinator },
    types: localVectorTypes, primaryType: 'LocalVector', message: { iteration: 7n, bus: 3, chunk: 1, valuesHash: signed.valuesHash }, signature: signed.signature,
  });
  assert.equal(signer, account.address);
});

test('localVectorDigest rejects fields outside their Solidity types', () => {
  const base = { chainId: 1, coordinator: '0x5FbDB2315678afecb367f032d93F642f64180aa3' as Address, iteration: 0n, bus: 0, chunk: 0, valuesHash: `0x${'11'.repeat(32)}` as Hex };
  assert.throws(() => localVectorDigest({ ...base, iteration: 1n << 64n }), GridError);
  assert.throws(() => localVectorDigest({ ...base, bus: 65_536 }), GridError);
  assert.throws(() => localVectorDigest({ ...base, chunk: -1 }), GridError);
  assert.throws(() => localVectorDigest({ ...base, valuesHash: '0x1234' }), GridError);
});
