import type { Chain, Client, Transport } from 'viem';
import { getContractEvents, readContract } from 'viem/actions';
import { admmCoordinatorAbi } from '../../chain/artifacts/AdmmCoordinator.js';
import { GridError } from '../../core/errors.js';
import type { ScheduleSlice } from '../types.js';
import { buildScheduleTree } from './scheduleTree.js';
import type { ScheduleTree } from './scheduleTree.js';

export interface FinalSchedule extends ScheduleTree {
  /** Every bus's final slice, index = bus. */
  slices: ScheduleSlice[];
}

/**
 * The final schedule S1 committed: its FinalSliceRecorded events, rebuilt into the Merkle tree
 * and checked against the coordinator's `scheduleRoot()`, so every proof verifies on Billing.
 */
export async function readFinalSchedule(
  client: Client<Transport, Chain>,
  { coordinator, fromBlock = 0n }: { coordinator: `0x${string}`; fromBlock?: bigint },
): Promise<FinalSchedule> {
  const isFinal = await readContract(client, { address: coordinator, abi: admmCoordinatorAbi, functionName: 'isFinal' });
  if (!isFinal) {
    throw new GridError(`the coordinator at ${coordinator} has no final schedule yet`, {
      field: 'coordinator',
      fix: ['run ADMM to convergence and call finalizeSchedule first'],
    });
  }
  const events = await getContractEvents(client, {
    address: coordinator, abi: admmCoordinatorAbi, eventName: 'FinalSliceRecorded', fromBlock, strict: true,
  });
  const slices: ScheduleSlice[] = events.map((e) => ({
    bus: e.args.bus,
    participant: e.args.participant,
    netInjection: [...e.args.netInjection],
    dlmp: [...e.args.dlmp],
  }));
  const tree = buildScheduleTree(slices);
  const root = await readContract(client, { address: coordinator, abi: admmCoordinatorAbi, functionName: 'scheduleRoot' });
  if (tree.root !== root) {
    throw new GridError(`the recorded slices hash to ${tree.root}, but the coordinator committed ${root}`, {
      field: 'fromBlock',
      fix: ['read the events from the coordinator\'s deployment block or earlier'],
    });
  }
  return { ...tree, slices };
}
