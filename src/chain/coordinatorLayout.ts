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
 * Upper bound on the gas of one chunk transaction: a fixed part plus a cost per bus (signature,
 * digest, slice hash) and per local value of the chunk. The least-squares fit to chunks whose
 * calldata bytes are all nonzero (the costliest values; `npm run bench -- --only gas-model`:
 * 105,058 + 10,652·buses + 690.4·values) lifted by 3 % and rounded up, so that every measured
 * chunk (10 shapes, 10–200 buses, 1–24 periods, both kinds of values) lies below it; SCE-56 × 24
 * measures 5.52 M against 6.45 M (docs/chain-design.md §Chunking).
 */
export function estimateChunkGas(layout: CouplingLayout, periodsInChunk: number): number {
  const localValuesPerPeriod = layout.totalCopies / layout.periods;
  return 110_000 + 11_000 * layout.busCount + 720 * localValuesPerPeriod * periodsInChunk;
}

/** The largest chunk (in periods) whose gas bound stays within `budget` (default 12 M, under the 16.8 M cap). */
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
