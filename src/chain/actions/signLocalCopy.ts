/** A bus signs its local values of one chunk for one iteration (EIP-712 LocalVector). */
import { bytesToHex, type Address, type Hex } from 'viem';
import { packInt64 } from '../fixedPoint.js';
import { keccak256Bytes } from '../keccak256.js';
import { coordinatorDomainName, localVectorDigest } from '../localVectorDigest.js';
import type { DigestSigningAccount } from './sendSignedTransaction.js';

export { coordinatorDomainName };

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

/**
 * `values`: the bus's chunk values (chunkLocalVector), packed and hashed as the contract does.
 * The digest is built directly (localVectorDigest, same bytes as signTypedData) and signed.
 */
export async function signLocalCopy(o: {
  account: DigestSigningAccount; chainId: number; coordinator: Address; iteration: bigint; bus: number; chunk: number; values: readonly bigint[];
}): Promise<SignedLocalCopy> {
  const valuesHash = keccak256Bytes(packInt64(o.values, `bus ${o.bus} values`));
  const digest = localVectorDigest({ chainId: o.chainId, coordinator: o.coordinator, iteration: o.iteration, bus: o.bus, chunk: o.chunk, valuesHash });
  const signature = await o.account.sign({ hash: bytesToHex(digest) });
  return { valuesHash: bytesToHex(valuesHash), signature };
}
