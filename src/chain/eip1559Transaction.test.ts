import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex, hexToBytes, keccak256, parseTransaction, recoverTransactionAddress, serializeTransaction, type Address } from 'viem';
import { serializeEip1559Transaction, splitSignature } from './eip1559Transaction.js';
import { agentAccount } from './clients.js';

const to: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

test('serializeEip1559Transaction writes the bytes viem serializes, unsigned and signed, across RLP length boundaries', async () => {
  const account = agentAccount(3);
  const dataLengths = [0, 1, 55, 56, 255, 256, 65_535, 65_536, 131_076];
  const nonces = [0, 1, 127, 128, 255, 256, 1_000_000];
  let i = 0;
  for (const length of dataLengths) {
    const data = Uint8Array.from({ length }, (_, k) => (k * 31 + length) & 0xff);
    if (length === 1) data[0] = 0x7f; // a single byte below 0x80 is its own RLP encoding
    const fields = {
      chainId: i % 2 === 0 ? 31337 : 1, nonce: nonces[i % nonces.length]!, maxPriorityFeePerGas: i === 0 ? 0n : 1_000_000_000n,
      maxFeePerGas: 2_875_000_000n + BigInt(i), gas: 16_777_216n, to, value: i === 1 ? 10n ** 18n : 0n, data,
    };
    i++;
    const viemFields = { type: 'eip1559' as const, chainId: fields.chainId, nonce: fields.nonce, maxPriorityFeePerGas: fields.maxPriorityFeePerGas, maxFeePerGas: fields.maxFeePerGas, gas: fields.gas, to, value: fields.value, data: bytesToHex(data) };
    const unsigned = serializeEip1559Transaction(fields);
    assert.equal(bytesToHex(unsigned), serializeTransaction(viemFields), `unsigned, ${length} data bytes`);
    const signature = splitSignature(hexToBytes(await account.sign({ hash: keccak256(unsigned) })));
    const raw = bytesToHex(serializeEip1559Transaction(fields, signature));
    assert.equal(raw, await account.signTransaction(viemFields), `signed, ${length} data bytes`);
    if (length <= 256) {
      assert.equal(await recoverTransactionAddress({ serializedTransaction: raw as never }), account.address);
      assert.equal(parseTransaction(raw).nonce, fields.nonce);
    }
  }
});
