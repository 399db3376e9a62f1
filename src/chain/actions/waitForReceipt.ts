/**
 * Polls eth_getTransactionReceipt until the transaction is mined. viem's
 * waitForTransactionReceipt looks again only when a new block arrives, so on an automining node
 * that is busy (the block of our own transaction lands after viem's first look, and no other
 * block follows) it waited for its 180 s timeout: seen under load on this machine.
 */
import { TransactionReceiptNotFoundError, type Chain, type Client, type Hash, type TransactionReceipt, type Transport } from 'viem';
import { getTransactionReceipt } from 'viem/actions';
import { GridError } from '../../core/errors.js';

export async function waitForReceipt(
  client: Client<Transport, Chain>, hash: Hash, o: { pollingIntervalMs?: number; timeoutMs?: number } = {},
): Promise<TransactionReceipt> {
  const deadline = Date.now() + (o.timeoutMs ?? 180_000);
  let wait = 2;
  for (;;) {
    try {
      return await getTransactionReceipt(client, { hash });
    } catch (err) {
      if (!(err instanceof TransactionReceiptNotFoundError)) throw err;
    }
    if (Date.now() > deadline) {
      throw new GridError(`transaction ${hash} was not mined in time`, {
        field: 'chain', fix: ['check that the node mines (automine or --block-time) and the gas price is accepted'], exitCode: 69,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(o.pollingIntervalMs ?? 50, wait * 2);
  }
}
