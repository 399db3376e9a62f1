/**
 * The EIP-712 messages a bus signs for AdmmCoordinator (contracts/src/AdmmCoordinator.sol):
 * LocalVector (its values for one chunk of one iteration) and FinalSlice (its final schedule
 * slice). Signed with any local account (mnemonic-derived or a private key).
 */
import type { Address, Hex, LocalAccount } from 'viem';
import { GridError } from '../core/errors.js';
import { coordinatorDomainName, signLocalCopy } from '../chain/actions/signLocalCopy.js';
import { finalSliceTypes } from '../chain/actions/finalizeSchedule.js';

function domain(chainId: number, coordinator: Address) {
  return { name: coordinatorDomainName, version: '1', chainId, verifyingContract: coordinator } as const;
}

/**
 * Signs one chunk of the bus's local vector (values copy-major then period, as the contract packs
 * them): the EIP-712 digest built directly (src/chain/localVectorDigest.ts, the same bytes as
 * signTypedData; viem's generic typed-data hashing was a fifth of an agent thread's time).
 */
export async function signLocalVector(o: {
  account: LocalAccount; chainId: number; coordinator: Address; iteration: bigint; bus: number; chunk: number; values: readonly bigint[];
}): Promise<Hex> {
  const { account } = o;
  if (!account.sign) throw new GridError('the agent\'s account cannot sign a digest', { field: 'key', fix: ['use a local private-key or mnemonic account'] });
  return (await signLocalCopy({ ...o, account: { ...account, sign: account.sign } })).signature;
}

/** Signs the bus's final slice (net injection p.u.·1e9 and DLMP currency per p.u.·h·1e9 per period). */
export function signFinalSlice(o: {
  account: LocalAccount; chainId: number; coordinator: Address; bus: number; netInjection: readonly bigint[]; dlmp: readonly bigint[];
}): Promise<Hex> {
  return o.account.signTypedData({
    domain: domain(o.chainId, o.coordinator), types: finalSliceTypes, primaryType: 'FinalSlice',
    message: { bus: o.bus, netInjection: [...o.netInjection], dlmp: [...o.dlmp] },
  });
}
