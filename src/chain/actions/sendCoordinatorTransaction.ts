/**
 * Sends one AdmmCoordinator transaction signed locally (sendSignedTransaction: one request on
 * Anvil), and on a revert replays the call at the block before to name the custom error.
 */
import { bytesToHex, encodeFunctionData, hexToBytes, type ContractFunctionName, type ContractFunctionArgs, type Address, type TransactionReceipt } from 'viem';
import { admmCoordinatorAbi } from '../artifacts/AdmmCoordinator.js';
import type { ChainClients } from '../clients.js';
import { coordinatorError } from './coordinatorError.js';
import { sendSignedTransaction, type DigestSigningAccount } from './sendSignedTransaction.js';

type Fn = ContractFunctionName<typeof admmCoordinatorAbi, 'nonpayable'>;

export interface CoordinatorTransaction<F extends Fn> {
  clients: ChainClients;
  account: DigestSigningAccount;
  address: Address;
  functionName: F;
  args: ContractFunctionArgs<typeof admmCoordinatorAbi, 'nonpayable', F>;
  /** Gas limit; omitted = estimate (which also decodes reverts before sending). */
  gas?: bigint;
}

export interface CoordinatorCalldata {
  clients: ChainClients;
  account: DigestSigningAccount;
  address: Address;
  /** The ABI-encoded call (selector and arguments), e.g. submitIterationCalldata. */
  data: Uint8Array;
  gas?: bigint;
}

export function sendCoordinatorTransaction<F extends Fn>(tx: CoordinatorTransaction<F>): Promise<TransactionReceipt> {
  const data = encodeFunctionData({ abi: admmCoordinatorAbi, functionName: tx.functionName, args: tx.args } as never);
  return sendCoordinatorCalldata({ clients: tx.clients, account: tx.account, address: tx.address, data: hexToBytes(data), ...(tx.gas === undefined ? {} : { gas: tx.gas }) });
}

/** Same as sendCoordinatorTransaction for calldata encoded by the caller. */
export async function sendCoordinatorCalldata(tx: CoordinatorCalldata): Promise<TransactionReceipt> {
  const { clients, account, address, data } = tx;
  let gas = tx.gas;
  if (gas === undefined) {
    try {
      gas = await clients.publicClient.estimateGas({ account, to: address, data: bytesToHex(data) });
    } catch (err) {
      await replayForError(tx, undefined, err);
    }
  }
  let receipt: TransactionReceipt;
  try {
    receipt = await sendSignedTransaction({ client: clients.publicClient, account, to: address, data, gas: gas! });
  } catch (err) {
    throw coordinatorError(err);
  }
  if (receipt.status !== 'success') await replayForError(tx, receipt.blockNumber - 1n, undefined);
  return receipt;
}

async function replayForError(tx: CoordinatorCalldata, blockNumber: bigint | undefined, first: unknown): Promise<never> {
  const data = bytesToHex(tx.data);
  try {
    await tx.clients.publicClient.call({ account: tx.account, to: tx.address, data, ...(blockNumber === undefined ? {} : { blockNumber }) });
  } catch (err) {
    throw coordinatorError(err);
  }
  throw coordinatorError(first ?? new Error(`transaction ${data.slice(0, 10)} reverted without a reason (out of gas?)`));
}
