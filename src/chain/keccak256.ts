/**
 * Keccak-256 of raw bytes to raw bytes: viem's (noble-hashes) implementation, called without the
 * hex round trip. A hand-unrolled Keccak was ~4× faster on 131 kB (2 vs 8.5 ms) but a hash is
 * what a well-kept library should own (docs/chain-design.md §Time per iteration).
 */
import { keccak256 } from 'viem';

export function keccak256Bytes(data: Uint8Array): Uint8Array {
  return keccak256(data, 'bytes');
}
