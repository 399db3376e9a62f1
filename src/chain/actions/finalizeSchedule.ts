/**
 * After convergence: every bus signs its final slice (FinalSlice typed data) and anyone posts
 * them; the contract commits the Merkle root Billing proves slices against.
 */
import { concat, type Address, type HDAccount, type Hex, type TransactionReceipt } from 'viem';
import { GridError } from '../../core/errors.js';
import type { ChainClients } from '../clients.js';
import { sendCoordinatorTransaction } from './sendCoordinatorTransaction.js';
import { coordinatorDomainName } from './signLocalCopy.js';
import { ownTransactionSignature } from './submitIteration.js';

/** One bus's final schedule slice, fixed point at scale 1e9 (the leaf of the schedule root). */
export interface FinalSlice {
  bus: number;
  participant: Address;
  /** Net injection per period, p.u. x 1e9. */
  netInjection: readonly bigint[];
  /** DLMP per period, currency per p.u.h x 1e9. */
  dlmp: readonly bigint[];
}

export const finalSliceTypes = {
  FinalSlice: [
    { name: 'bus', type: 'uint16' },
    { name: 'netInjection', type: 'int64[]' },
    { name: 'dlmp', type: 'int64[]' },
  ],
} as const;

/** The bus's EIP-712 signature over its slice. */
export function signFinalSlice(o: { account: HDAccount; chainId: number; coordinator: Address; slice: FinalSlice }): Promise<Hex> {
  return o.account.signTypedData({
    domain: { name: coordinatorDomainName, version: '1', chainId: o.chainId, verifyingContract: o.coordinator },
    types: finalSliceTypes,
    primaryType: 'FinalSlice',
    message: { bus: o.slice.bus, netInjection: [...o.slice.netInjection], dlmp: [...o.slice.dlmp] },
  });
}

/**
 * Posts every bus's slice (bus order) with its signature (null = the sending account is that
 * bus). Reverts (as GridError) unless the run has converged and is not finalized yet.
 */
export function finalizeSchedule(o: {
  clients: ChainClients; account: HDAccount; address: Address; slices: readonly FinalSlice[]; signatures: readonly (Hex | null)[];
}): Promise<TransactionReceipt> {
  if (o.signatures.length !== o.slices.length) {
    throw new GridError(`expected ${o.slices.length} signatures, got ${o.signatures.length}`, { field: 'signatures', fix: ['give one signature (or null) per slice'] });
  }
  return sendCoordinatorTransaction({
    clients: o.clients, account: o.account, address: o.address, functionName: 'finalizeSchedule',
    args: [
      o.slices.map((s) => ({ bus: s.bus, participant: s.participant, netInjection: [...s.netInjection], dlmp: [...s.dlmp] })),
      concat(o.signatures.map((s) => s ?? ownTransactionSignature)),
    ],
  });
}
