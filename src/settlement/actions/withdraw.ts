import { billingAbi } from '../../chain/artifacts/Billing.js';
import type { BillingClient } from './billingTransaction.js';
import { sendBillingTransaction } from './billingTransaction.js';

/** Pull `amount` token base units of the sender's billing balance back to the sender. */
export async function withdraw(client: BillingClient, { billing, amount }: { billing: `0x${string}`; amount: bigint }): Promise<void> {
  await sendBillingTransaction(client, { address: billing, abi: billingAbi, functionName: 'withdraw', args: [amount] });
}

/** Operator: pay `amount` of a positive surplus to `to`. */
export async function withdrawSurplus(
  client: BillingClient,
  { billing, to, amount }: { billing: `0x${string}`; to: `0x${string}`; amount: bigint },
): Promise<void> {
  await sendBillingTransaction(client, { address: billing, abi: billingAbi, functionName: 'withdrawSurplus', args: [to, amount] });
}
