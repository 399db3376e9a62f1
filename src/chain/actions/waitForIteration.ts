/** Waits until the coordinator is at iteration `atLeast` or later, or has converged. */
import type { Address, Chain, Client, Transport } from 'viem';
import { GridError } from '../../core/errors.js';
import { readCoordinatorStatus, type CoordinatorStatus } from './readCoordinatorState.js';

export interface WaitForIterationOptions {
  /** Poll interval in milliseconds (default 25: automine answers within a few ms). */
  pollingIntervalMs?: number;
  /** Give up after this many milliseconds (default 10 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Resolves with the status as soon as `status.iteration >= atLeast` (the contract accepts
 * vectors for that iteration) or the run has converged (check `status.converged`).
 * @throws GridError on timeout or abort.
 */
export async function waitForIteration(
  client: Client<Transport, Chain>, address: Address, atLeast: bigint, o: WaitForIterationOptions = {},
): Promise<CoordinatorStatus> {
  const interval = o.pollingIntervalMs ?? 25;
  const deadline = Date.now() + (o.timeoutMs ?? 600_000);
  for (;;) {
    const status = await readCoordinatorStatus(client, address);
    if (status.iteration >= atLeast || status.converged) return status;
    if (o.signal?.aborted) throw new GridError(`stopped waiting for iteration ${atLeast}`, { field: 'signal', cause: o.signal.reason });
    if (Date.now() > deadline) {
      throw new GridError(`the coordinator is still at iteration ${status.iteration}, waited for ${atLeast}`, {
        field: 'timeoutMs', fix: ['check that every bus submits (a missing vector stalls the iteration) or raise timeoutMs'], exitCode: 69,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
