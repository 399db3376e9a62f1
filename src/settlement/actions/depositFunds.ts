import { billingAbi } from '../../chain/artifacts/Billing.js';
import { gridTokenAbi } from '../../chain/artifacts/GridToken.js';
import type { BillingClient } from './billingTransaction.js';
import { sendBillingTransaction } from './billingTransaction.js';

export interface DepositFundsParameters {
  billing: `0x${string}`;
  /** The settlement token (ERC-20; any token with `approve` works, GridToken's ABI is used). */
  token: `0x${string}`;
  /** Token base units (1e18 per currency unit). */
  amount: bigint;
}

/** Approve Billing for `amount` and move it into the sender's billing balance. */
export async function depositFunds(client: BillingClient, { billing, token, amount }: DepositFundsParameters): Promise<void> {
  await sendBillingTransaction(client, { address: token, abi: gridTokenAbi, functionName: 'approve', args: [billing, amount] });
  await sendBillingTransaction(client, { address: billing, abi: billingAbi, functionName: 'deposit', args: [amount] });
}
