import { deployContract } from 'viem/actions';
import { waitForReceipt } from '../../chain/actions/waitForReceipt.js';
import { InternalError } from '../../core/errors.js';
import type { BillingRule } from '../types.js';
import { billingAbi, billingBytecode } from '../../chain/artifacts/Billing.js';
import type { BillingClient } from './billingTransaction.js';

export interface DeployBillingParameters {
  /** The ERC-20 settlement token (18 decimals, docs/billing.md §Units and money). */
  token: `0x${string}`;
  rule: BillingRule;
}

/** Deploy Billing.sol; the sending account becomes its operator. Returns the contract address. */
export async function deployBilling(client: BillingClient, { token, rule }: DeployBillingParameters): Promise<`0x${string}`> {
  const hash = await deployContract(client, {
    abi: billingAbi,
    bytecode: billingBytecode,
    args: [token, BigInt(rule.periods), rule.periodHoursNano, rule.penaltyRateNano, rule.maxAbsEnergy],
  });
  const receipt = await waitForReceipt(client, hash);
  if (!receipt.contractAddress || receipt.status !== 'success') throw new InternalError(`Billing deployment failed (${hash})`);
  return receipt.contractAddress;
}
