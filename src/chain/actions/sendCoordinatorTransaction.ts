/**
 * Sends one AdmmCoordinator transaction signed locally, waits for its receipt (automine), and on
 * a revert replays the call to name the custom error.
 */
import { encodeFunctionData, type ContractFunctionName, type ContractFunctionArgs, type Address, type HDAccount, type TransactionReceipt } from 'viem';
import { admmCoordinatorAbi } from '../artifacts/AdmmCoordinator.js';
import type { ChainClients } from '../clients.js';
import { coordinatorError } from './coordinatorError.js';
import { waitForReceipt } from './waitForReceipt.js';

type Fn = ContractFunctionName<typeof admmCoordinatorAbi, 'nonpayable'>;

export interface CoordinatorTransaction<F extends Fn> {
  clients: ChainClients;
  account: HDAccount;
  address: Address;
  functionName: F;
  args: ContractFunctionArgs<typeof admmCoordinatorAbi, 'nonpayable', F>;
  /** Gas limit; omitted = estimate (which also decodes reverts before sending). */
  gas?: bigint;
}

export async function sendCoordinatorTransaction<F extends Fn>(tx: CoordinatorTransaction<F>): Promise<TransactionReceipt> {
  const { clients, account, address } = tx;
  const data = encodeFunctionData({ abi: admmCoordinatorAbi, functionName: tx.functionName, args: tx.args } as never);
  let gas = tx.gas;
  if (gas === undefined) {
    try {
      gas = await clients.publicClient.estimateGas({ account, to: address, data });
    } catch (err) {
      await replayForError(tx, data, undefined, err);
    }
  }
  let hash;
  try {
    hash = await clients.walletFor(account).sendTransaction({ to: address, data, gas });
  } catch (err) {
    throw coordinatorError(err);
  }
  const receipt = await waitForReceipt(clients.publicClient, hash);
  if (receipt.status !== 'success') await replayForError(tx, data, receipt.blockNumber - 1n, undefined);
  return receipt;
}

async function replayForError<F extends Fn>(tx: CoordinatorTransaction<F>, data: `0x${string}`, blockNumber: bigint | undefined, first: unknown): Promise<never> {
  try {
    await tx.clients.publicClient.simulateContract({
      account: tx.account, address: tx.address, abi: admmCoordinatorAbi, functionName: tx.functionName, args: tx.args, blockNumber,
    } as never);
  } catch (err) {
    throw coordinatorError(err);
  }
  throw coordinatorError(first ?? new Error(`transaction ${data.slice(0, 10)} reverted without a reason (out of gas?)`));
}
