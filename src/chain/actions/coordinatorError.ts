/**
 * Turns a reverted AdmmCoordinator call into a GridError that names the custom error, its
 * arguments and the fix.
 */
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex } from 'viem';
import { GridError } from '../../core/errors.js';
import { admmCoordinatorAbi } from '../artifacts/AdmmCoordinator.js';

const fixes: Record<string, string> = {
  AdmmCoordinatorNotOperator: 'send this transaction from the deployer (operator) account',
  AdmmCoordinatorInvalidConfig: 'check bus count, periods, periodsPerChunk (at most 64 chunks), rho0 > 0, 0 < alpha < 2, tau, mu >= 1 and eps >= 0',
  AdmmCoordinatorInvalidParent: 'order buses from the substation: parent[0] = root, parent[k] < k',
  AdmmCoordinatorAlreadyRegistered: 'buses are registered once; deploy a new coordinator for a new day',
  AdmmCoordinatorNotRegistered: 'call registerBuses before the first iteration',
  AdmmCoordinatorWrongBusCount: 'give exactly one entry per bus, in bus order',
  AdmmCoordinatorUnknownBus: 'send commitLocalVector from a registered bus account',
  AdmmCoordinatorWrongIteration: 'read the current iteration with readCoordinatorState and sign vectors for it',
  AdmmCoordinatorBadChunk: 'use a chunk index below chunkCount',
  AdmmCoordinatorDuplicateChunk: 'each chunk is submitted once per iteration; wait for the next iteration',
  AdmmCoordinatorWrongVectorLength: 'send every bus\'s full local vector for the chunk (copies x periods, copyMap order)',
  AdmmCoordinatorWrongStateLength: 'send z and the compressed duals of the chunk from readCoordinatorState unchanged',
  AdmmCoordinatorMissingVector: 'include a 65-byte signature for every bus, or let the bus commit its vector first (commitLocalVector)',
  AdmmCoordinatorBadSignature: 'send the signature from signLocalCopy unchanged',
  AdmmCoordinatorWrongSigner: 'each bus signs with its registered key; do not alter the signed values',
  AdmmCoordinatorValueOutOfRange: 'values must stay within int64 at scale 1e9; check units and rho',
  AdmmCoordinatorStateMismatch: 'resubmit z and duals exactly as the last iteration left them (readCoordinatorState)',
  AdmmCoordinatorAlreadyConverged: 'the run has converged: finalize the schedule',
  AdmmCoordinatorNotConverged: 'keep iterating until the coordinator reports convergence',
  AdmmCoordinatorAlreadyFinal: 'the schedule root is already committed',
  AdmmCoordinatorWrongParticipant: 'give each slice with its bus index and registered account, in bus order',
  AdmmCoordinatorWrongPeriodCount: 'give one net injection and one DLMP per period',
};

function render(name: string, args: readonly unknown[] | undefined, cause: unknown): GridError {
  const shown = (args ?? []).map((a) => (typeof a === 'bigint' ? a.toString() : String(a))).join(', ');
  return new GridError(`AdmmCoordinator reverted with ${name}(${shown})`, {
    field: name,
    fix: [fixes[name] ?? 'see contracts/README.md §Errors'],
    cause,
  });
}

/** The GridError for a viem error (or raw revert data) from an AdmmCoordinator call. */
export function coordinatorError(err: unknown): GridError {
  if (err instanceof GridError) return err;
  if (typeof err === 'string' && err.startsWith('0x')) {
    const decoded = decodeErrorResult({ abi: admmCoordinatorAbi, data: err as Hex });
    return render(decoded.errorName, decoded.args as readonly unknown[], undefined);
  }
  if (err instanceof BaseError) {
    const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError && reverted.data) {
      return render(reverted.data.errorName, reverted.data.args as readonly unknown[], undefined);
    }
    const withData = err.walk((e) => typeof (e as { data?: unknown }).data === 'string') as { data?: string } | null;
    if (withData?.data && withData.data.length >= 10) {
      try { return coordinatorError(withData.data); } catch { /* fall through */ }
    }
    return new GridError(`AdmmCoordinator call failed: ${err.shortMessage}`, {
      field: 'chain', details: [err.details.slice(0, 300)], fix: ['check that the node is running, the contract address is right and the transaction fits the gas cap'], exitCode: 69,
    });
  }
  return new GridError(`AdmmCoordinator call failed: ${String(err)}`, { field: 'chain', cause: err, exitCode: 69 });
}
