/**
 * eth_getLogs over a long block range in windows: one ChunkStepped event carries a whole z
 * (~64 KB of hex on SCE-56 × 24), so a 400-iteration day in one call exceeds viem's 10 MB
 * response limit (seen verifying a converged SCE-56 run).
 */
import type { Chain, Client, Transport } from 'viem';
import { getBlockNumber } from 'viem/actions';

/** Blocks per eth_getLogs call: 64 automined iterations stay near 4 MB of logs. */
export const logWindowBlocks = 64n;

export async function contractEventsInWindows<T>(
  client: Client<Transport, Chain>,
  range: { fromBlock: bigint; toBlock: bigint | 'latest' },
  fetchWindow: (fromBlock: bigint, toBlock: bigint) => Promise<T[]>,
): Promise<T[]> {
  const last = range.toBlock === 'latest' ? await getBlockNumber(client, { cacheTime: 0 }) : range.toBlock;
  const windows: Array<[bigint, bigint]> = [];
  for (let from = range.fromBlock; from <= last; from += logWindowBlocks) {
    const to = from + logWindowBlocks - 1n;
    windows.push([from, to < last ? to : last]);
  }
  const parts = await Promise.all(windows.map(([from, to]) => fetchWindow(from, to)));
  return parts.flat();
}

