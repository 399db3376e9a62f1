import { deployContract } from 'viem/actions';
import { waitForReceipt } from '../../chain/actions/waitForReceipt.js';
import { InternalError } from '../../core/errors.js';
import { gridTokenAbi, gridTokenBytecode } from '../../chain/artifacts/GridToken.js';
import type { BillingClient } from './billingTransaction.js';
import { sendBillingTransaction } from './billingTransaction.js';

export interface DeployGridTokenParameters {
  name?: string;
  symbol?: string;
  /** Base units (1e18 per currency unit) minted to each address right after deployment. */
  mint?: ReadonlyArray<{ to: `0x${string}`; amount: bigint }>;
}

/** Deploy the 18-decimal GridToken (tests and local runs); the sender is its minter. */
export async function deployGridToken(client: BillingClient, params: DeployGridTokenParameters = {}): Promise<`0x${string}`> {
  const hash = await deployContract(client, {
    abi: gridTokenAbi,
    bytecode: gridTokenBytecode,
    args: [params.name ?? 'Grid Credit', params.symbol ?? 'GRID'],
  });
  const receipt = await waitForReceipt(client, hash);
  if (!receipt.contractAddress || receipt.status !== 'success') throw new InternalError(`GridToken deployment failed (${hash})`);
  for (const { to, amount } of params.mint ?? []) {
    await sendBillingTransaction(client, { address: receipt.contractAddress, abi: gridTokenAbi, functionName: 'mint', args: [to, amount] });
  }
  return receipt.contractAddress;
}
