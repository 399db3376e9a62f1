import { concat, encodeAbiParameters, hexToBigInt, keccak256 } from 'viem';
import type { Hex } from 'viem';
import { GridError } from '../../core/errors.js';
import type { ScheduleSlice } from '../types.js';

/** A final schedule's Merkle tree: the root S1 commits and each bus's proof for Billing. */
export interface ScheduleTree {
  root: Hex;
  leaves: Hex[];
  /** The proof of the leaf at `index` (= bus index in S1's bus order). */
  proof(index: number): Hex[];
}

/**
 * The leaf of one slice, as AdmmCoordinator.finalizeSchedule and Billing.scheduleLeaf hash it:
 * keccak256(bytes.concat(keccak256(abi.encode(uint16 bus, address participant, int64[] netInjection, int64[] dlmp)))).
 */
export function scheduleLeaf(slice: ScheduleSlice): Hex {
  return keccak256(keccak256(encodeAbiParameters(
    [{ type: 'uint16' }, { type: 'address' }, { type: 'int64[]' }, { type: 'int64[]' }],
    [slice.bus, slice.participant, [...slice.netInjection], [...slice.dlmp]],
  )));
}

/**
 * The tree over `slices` in order, built like AdmmCoordinator.finalizeSchedule: pairs hashed
 * commutatively (sorted), an odd last node promoted unchanged, so OpenZeppelin's
 * MerkleProof.verify accepts every proof.
 */
export function buildScheduleTree(slices: readonly ScheduleSlice[]): ScheduleTree {
  if (slices.length === 0) throw new GridError('a schedule tree needs at least one slice', { field: 'slices', fix: ['give one slice per bus'] });
  const leaves = slices.map(scheduleLeaf);
  const levels: Hex[][] = [leaves];
  for (let level = leaves; level.length > 1; ) {
    const next: Hex[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashPair(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    levels.push(next);
    level = next;
  }
  return {
    root: levels[levels.length - 1]![0]!,
    leaves,
    proof(index) {
      if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
        throw new GridError(`no leaf ${index} in a tree of ${leaves.length}`, { field: 'index', fix: [`use 0 .. ${leaves.length - 1}`] });
      }
      const proof: Hex[] = [];
      for (const level of levels.slice(0, -1)) {
        const sibling = index ^ 1;
        if (sibling < level.length) proof.push(level[sibling]!);
        index >>= 1;
      }
      return proof;
    },
  };
}

function hashPair(a: Hex, b: Hex): Hex {
  return hexToBigInt(a) < hexToBigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}
