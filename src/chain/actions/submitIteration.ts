/**
 * Posts one chunk of one iteration: every bus's local values (signed), the chunk's z^k and
 * compressed duals xi^k; the contract checks them against its state hash and steps.
 */
import { concat, toHex, type Address, type HDAccount, type Hex, type TransactionReceipt } from 'viem';
import { GridError } from '../../core/errors.js';
import type { CouplingLayout } from '../../model/coupling/couplingLayout.js';
import type { ChainClients } from '../clients.js';
import { txGasCap } from '../coordinatorLayout.js';
import { packInt64 } from '../fixedPoint.js';
import { chunkDuals, chunkLocalVector, chunkRanges, chunkZ, type FixedPointState } from '../fixedPointCoordinator.js';
import { sendCoordinatorTransaction } from './sendCoordinatorTransaction.js';

/** 65 zero bytes: "this bus proves its vector by its own transaction". */
export const ownTransactionSignature: Hex = `0x${'00'.repeat(65)}`;

export interface SubmitIterationOptions {
  clients: ChainClients;
  account: HDAccount;
  address: Address;
  layout: CouplingLayout;
  periodsPerChunk: number;
  chunk: number;
  iteration: bigint;
  /** Every bus's full local vector (copyMap order). */
  localVectors: readonly (readonly bigint[])[];
  /** The state the contract holds (z^k, xi^k). */
  state: FixedPointState;
  /** Per bus: its signature over the chunk, or null when it proves the vector itself. */
  signatures: readonly (Hex | null)[];
  /** Gas limit (default: the EIP-7825 cap, which skips estimation). */
  gas?: bigint;
}

/** The calldata arguments of submitIteration for one chunk. */
export function iterationPayload(o: Pick<SubmitIterationOptions, 'layout' | 'periodsPerChunk' | 'chunk' | 'localVectors' | 'state' | 'signatures'>): { x: Hex; zPrev: Hex; dualsPrev: Hex; signatures: Hex } {
  const range = chunkRanges(o.layout.periods, o.periodsPerChunk)[o.chunk];
  if (!range) throw new GridError(`chunk ${o.chunk} does not exist`, { field: 'chunk', fix: [`use 0 .. ${Math.ceil(o.layout.periods / o.periodsPerChunk) - 1}`] });
  if (o.signatures.length !== o.layout.busCount) {
    throw new GridError(`expected ${o.layout.busCount} signatures, got ${o.signatures.length}`, { field: 'signatures', fix: ['give one signature (or null) per bus'] });
  }
  const x: bigint[] = [];
  for (let b = 0; b < o.layout.busCount; b++) x.push(...chunkLocalVector(o.layout, b, o.localVectors[b]!, range));
  return {
    x: toHex(packInt64(x, 'x')),
    zPrev: toHex(packInt64(chunkZ(o.layout, o.state.z, range), 'z')),
    dualsPrev: toHex(packInt64(chunkDuals(o.layout, o.state.xi, range), 'xi')),
    signatures: concat(o.signatures.map((s) => s ?? ownTransactionSignature)),
  };
}

export function submitIteration(o: SubmitIterationOptions): Promise<TransactionReceipt> {
  const p = iterationPayload(o);
  return sendCoordinatorTransaction({
    clients: o.clients, account: o.account, address: o.address, functionName: 'submitIteration',
    args: [o.iteration, o.chunk, p.x, p.zPrev, p.dualsPrev, p.signatures], gas: o.gas ?? txGasCap,
  });
}
