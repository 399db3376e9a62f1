import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, custom, http, type EIP1193RequestFn } from 'viem';
import { agentAccount, createChainClients, localChain } from '../../src/chain/clients.js';
import { startAnvil } from '../../src/chain/node/startAnvil.js';
import { sendSignedTransaction } from '../../src/chain/actions/sendSignedTransaction.js';

test('sendSignedTransaction: one request per send, nonce resynced after another wallet used the account, concurrent sends, nodes without the sync method', async () => {
  const node = await startAnvil({ accounts: 4 });
  try {
    const clients = createChainClients(node.rpcUrl);
    const client = clients.publicClient;
    const from = agentAccount(1);
    const to = agentAccount(2).address;
    const send = (data: Uint8Array = new Uint8Array(0)) => sendSignedTransaction({ client, account: from, to, data, gas: 30_000n });

    const first = await send(Uint8Array.of(1, 2, 3));
    assert.equal(first.status, 'success');
    assert.equal((await client.getTransaction({ hash: first.transactionHash })).nonce, 0);

    // viem's wallet takes nonce 1 behind the sender's back: the next send is refused, resynced and retried
    const viemHash = await clients.walletFor(from).sendTransaction({ to, value: 1n });
    await client.waitForTransactionReceipt({ hash: viemHash, pollingInterval: 5 });
    const afterWallet = await send();
    assert.equal(afterWallet.status, 'success');
    assert.equal((await client.getTransaction({ hash: afterWallet.transactionHash })).nonce, 2);

    const both = await Promise.all([send(), send(Uint8Array.of(0xff))]);
    assert.deepEqual(both.map((r) => r.status), ['success', 'success']);
    const nonces = await Promise.all(both.map(async (r) => (await client.getTransaction({ hash: r.transactionHash })).nonce));
    assert.deepEqual(nonces, [3, 4]);

    // a node without eth_sendRawTransactionSync: send, then poll the receipt (and stop asking)
    const base = http(node.rpcUrl)({ chain: clients.chain, retryCount: 0 });
    const asked: string[] = [];
    const request: EIP1193RequestFn = async (args) => {
      asked.push(args.method);
      if (args.method === 'eth_sendRawTransactionSync') throw Object.assign(new Error('Method not found'), { code: -32601 });
      return base.request(args as never);
    };
    const oldNode = createPublicClient({ chain: localChain(node.rpcUrl), transport: custom({ request }, { retryCount: 0 }) });
    const other = agentAccount(3);
    for (let k = 0; k < 2; k++) {
      const receipt = await sendSignedTransaction({ client: oldNode, account: other, to, data: new Uint8Array(0), gas: 21_000n });
      assert.equal(receipt.status, 'success');
    }
    assert.equal(asked.filter((m) => m === 'eth_sendRawTransactionSync').length, 1);
    assert.equal(asked.filter((m) => m === 'eth_sendRawTransaction').length, 2);
  } finally {
    await node.stop();
  }
});
