import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEther } from 'viem';
import { startAnvil } from './startAnvil.js';
import { agentAccount, createChainClients } from '../clients.js';
import { waitForReceipt } from '../actions/waitForReceipt.js';

test('startAnvil serves JSON-RPC on a free loopback port, funds the mnemonic accounts and stops', async () => {
  const node = await startAnvil({ accounts: 4 });
  try {
    assert.match(node.rpcUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const { publicClient, walletFor } = createChainClients(node.rpcUrl);
    assert.equal(await publicClient.getChainId(), 31337);
    const from = agentAccount(1);
    assert.ok((await publicClient.getBalance({ address: from.address })) > parseEther('1000'));
    const hash = await walletFor(from).sendTransaction({ to: agentAccount(2).address, value: 1n });
    const receipt = await waitForReceipt(publicClient, hash);
    assert.equal(receipt.status, 'success');
    // EIP-7825: a transaction asking for more than 2^24 gas is refused by the node.
    await assert.rejects(walletFor(from).sendTransaction({ to: agentAccount(2).address, value: 1n, gas: 16_777_217n }));
  } finally {
    await node.stop();
  }
  await assert.rejects(fetch(node.rpcUrl, { method: 'POST', body: '{}' }));
});
