import { billingAbi } from '../../chain/artifacts/Billing.js';
import type { BillingClient } from './billingTransaction.js';
import { sendBillingTransaction } from './billingTransaction.js';

export interface BindDayParameters {
  billing: `0x${string}`;
  day: number;
  /** The S1 coordinator whose final schedule root settles this day. */
  scheduleSource: `0x${string}`;
}

/** Operator: bind `day` to the final schedule root of `scheduleSource` (reverts if not final). */
export async function bindDay(client: BillingClient, { billing, day, scheduleSource }: BindDayParameters): Promise<void> {
  await sendBillingTransaction(client, { address: billing, abi: billingAbi, functionName: 'bindDay', args: [day, scheduleSource] });
}
