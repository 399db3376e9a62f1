import { BaseError, ContractFunctionRevertedError } from 'viem';
import { waitForReceipt } from '../../chain/actions/waitForReceipt.js';
import type { Abi, Account, Chain, Client, ContractFunctionArgs, ContractFunctionName, Hash, TransactionReceipt, Transport } from 'viem';
import { simulateContract, writeContract } from 'viem/actions';
import { GridError } from '../../core/errors.js';

/** A viem client with a chain and a signing account: what every billing write action takes. */
export type BillingClient = Client<Transport, Chain, Account>;

/** A Billing or GridToken call that reverted, named by its custom error (docs/billing.md §Errors). */
export class BillingRevertError extends GridError {
  override name = 'BillingRevertError';
  /** The Solidity custom error, e.g. `BillingReplayedReading`. */
  readonly errorName: string;
  readonly errorArgs: readonly unknown[];
  constructor(functionName: string, errorName: string, errorArgs: readonly unknown[], cause: unknown) {
    super(`${functionName} reverted with ${errorName}(${errorArgs.map(String).join(', ')})`, {
      field: functionName,
      fix: [fixFor(errorName)],
      cause,
    });
    this.errorName = errorName;
    this.errorArgs = errorArgs;
  }
}

/**
 * Simulate, send and wait for one contract write; a revert becomes a BillingRevertError naming
 * the custom error, so callers and tests match on `errorName`.
 */
export async function sendBillingTransaction<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, 'nonpayable' | 'payable'>,
>(
  client: BillingClient,
  request: {
    address: `0x${string}`;
    abi: abi;
    functionName: functionName;
    args: ContractFunctionArgs<abi, 'nonpayable' | 'payable', functionName>;
  },
): Promise<TransactionReceipt> {
  let hash: Hash;
  try {
    // The simulation decodes custom errors; the write reuses its prepared request.
    const { request: prepared } = await simulateContract(client, { ...request, account: client.account } as never);
    hash = await writeContract(client, prepared as never);
  } catch (error) {
    throw asBillingRevert(request.functionName, error);
  }
  const receipt = await waitForReceipt(client, hash);
  if (receipt.status !== 'success') {
    throw new BillingRevertError(request.functionName, 'UnknownRevert', [hash], undefined);
  }
  return receipt;
}

function asBillingRevert(functionName: string, error: unknown): unknown {
  if (!(error instanceof BaseError)) return error;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError) || !reverted.data) return error;
  return new BillingRevertError(functionName, reverted.data.errorName, reverted.data.args ?? [], error);
}

function fixFor(errorName: string): string {
  switch (errorName) {
    case 'BillingNotOperator': return 'send operator calls from the account that deployed Billing';
    case 'BillingUnknownMeter': return 'register the meter key with registerMeter (or use the bus\'s current key)';
    case 'BillingMeterAlreadyRegistered': return 'revoke the key first, or give each bus its own key';
    case 'BillingMeterNotForBus': return 'submit the reading and slice of the bus this meter is registered for';
    case 'BillingParticipantMismatch': return 'register the meter for the participant named in the schedule';
    case 'BillingBadSignature': return 'send the 65-byte signature from signMeterReading unchanged';
    case 'BillingWrongSigner': return 'sign with the registered meter key and do not alter the signed values';
    case 'BillingReplayedReading': return 'sign a new reading with a nonce above the meter\'s last one';
    case 'BillingScheduleNotFinal': return 'wait for ADMM convergence, then bindDay(day, coordinator)';
    case 'BillingDayAlreadyBound': return 'each day is bound once; use a new day number';
    case 'BillingAlreadySettled': return 'this bus-day is already settled; read its bill with readBills';
    case 'BillingBadProof': return 'use the slice and proof from the day\'s final schedule tree';
    case 'BillingWrongPeriodCount': return 'give one value per period for the deployed period count';
    case 'BillingValueOutOfRange': return 'check the meter scaling (p.u.h x 1e9) against maxAbsEnergy';
    case 'BillingInsufficientBalance': return 'deposit more funds (depositFunds) or withdraw less';
    case 'BillingZeroAmount': return 'give an amount above zero';
    case 'BillingZeroAddress': return 'give a non-zero address';
    case 'BillingInvalidConfig': return 'periods > 0, 0 < periodHoursNano <= 24e9, maxAbsEnergy and penalty within int64';
    default: return 'see docs/billing.md §Errors';
  }
}
