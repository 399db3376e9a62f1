/** A bus signs its local values of one chunk for one iteration (EIP-712 LocalVector). */
import { keccak256, type Address, type HDAccount, type Hex } from 'viem';
import { packInt64 } from '../fixedPoint.js';

export const coordinatorDomainName = 'gridconsensus AdmmCoordinator';

export const localVectorTypes = {
  LocalVector: [
    { name: 'iteration', type: 'uint64' },
    { name: 'bus', type: 'uint16' },
    { name: 'chunk', type: 'uint16' },
    { name: 'valuesHash', type: 'bytes32' },
  ],
} as const;

export interface SignedLocalCopy {
  valuesHash: Hex;
  signature: Hex;
}

/** `values`: the bus's chunk values (chunkLocalVector), packed and hashed as the contract does. */
export async function signLocalCopy(o: {
  account: HDAccount; chainId: number; coordinator: Address; iteration: bigint; bus: number; chunk: number; values: readonly bigint[];
}): Promise<SignedLocalCopy> {
  const valuesHash = keccak256(packInt64(o.values, `bus ${o.bus} values`));
  const signature = await o.account.signTypedData({
    domain: { name: coordinatorDomainName, version: '1', chainId: o.chainId, verifyingContract: o.coordinator },
    types: localVectorTypes,
    primaryType: 'LocalVector',
    message: { iteration: o.iteration, bus: o.bus, chunk: o.chunk, valuesHash },
  });
  return { valuesHash, signature };
}
