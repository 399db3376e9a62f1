import { billingAbi } from '../../chain/artifacts/Billing.js';
import type { BillingClient } from './billingTransaction.js';
import { sendBillingTransaction } from './billingTransaction.js';

export interface RegisterMeterParameters {
  billing: `0x${string}`;
  /** The meter's signing key address. */
  meter: `0x${string}`;
  bus: number;
  /** Who pays and is paid for this bus. */
  participant: `0x${string}`;
}

/** Operator: make `meter` the one key of `bus` (revoking the bus's previous key). */
export async function registerMeter(client: BillingClient, { billing, meter, bus, participant }: RegisterMeterParameters): Promise<void> {
  await sendBillingTransaction(client, { address: billing, abi: billingAbi, functionName: 'registerMeter', args: [meter, bus, participant] });
}

/** Operator: revoke `meter`; its readings are refused from now on. */
export async function revokeMeter(client: BillingClient, { billing, meter }: { billing: `0x${string}`; meter: `0x${string}` }): Promise<void> {
  await sendBillingTransaction(client, { address: billing, abi: billingAbi, functionName: 'revokeMeter', args: [meter] });
}
