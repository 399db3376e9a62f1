/**
 * What the contract needs from the coupling layout: the parent array (the contract derives the
 * copies from it) and the period chunking that keeps each transaction under the EIP-7825 cap.
 */
import { GridError } from '../core/errors.js';
import type { CouplingLayout } from '../model/coupling/couplingLayout.js';

/** Per-transaction gas cap of EIP-7825 (Osaka). */
export const txGasCap = 16_777_216n;

/** parent[k] for k > 0 (parent[0] = 0), read back from the layout's parent-voltage copies. */
export function parentsOfLayout(layout: CouplingLayout): number[] {
  if (layout.convention !== 'receivingEnd') {
    throw new GridError('the on-chain coordinator implements the receiving-end layout only', {
      field: 'layout.convention', fix: ["build the layout with convention 'receivingEnd'"],
    });
  }
  const parents = [0];
  for (let b = 1; b < layout.busCount; b++) parents.push(layout.entries[layout.busCopyEntries[b]![3]!]!.bus);
  return parents;
}

/**
 * Gas model of one chunk transaction, fitted to measurements on SCE-56 (docs/chain-design.md):
 * a fixed part plus a cost per bus (signature) and per local value of the chunk.
 */
export function estimateChunkGas(layout: CouplingLayout, periodsInChunk: number): number {
  const localValuesPerPeriod = layout.totalCopies / layout.periods;
  return 150_000 + 6_000 * layout.busCount + 800 * localValuesPerPeriod * periodsInChunk;
}

/** The largest chunk (in periods) whose estimated gas stays within `budget` (default 12 M). */
export function choosePeriodsPerChunk(layout: CouplingLayout, budget = 12_000_000): number {
  let best = 0;
  for (let p = 1; p <= layout.periods; p++) if (estimateChunkGas(layout, p) <= budget) best = p;
  if (best === 0) {
    throw new GridError(`one period of this feeder (${layout.busCount} buses) does not fit one transaction`, {
      field: 'layout', fix: ['split the feeder or raise the gas budget'],
    });
  }
  // Even chunks: the same number of transactions, but no small trailing one.
  const chunks = Math.ceil(layout.periods / best);
  return Math.ceil(layout.periods / chunks);
}
