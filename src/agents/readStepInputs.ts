/**
 * A lean read of one completed iteration k for agents, who need it every iteration: per chunk
 * the submitIteration calldata (x^k, z^k, compressed xi^k) and the ChunkStepped event (z^{k+1}),
 * and rho^{k+1} from IterationCompleted. Same content as src/chain/actions/readIterationHistory.ts
 * `readIterations`, but the calldata is decoded with Node's native hex decoder and the int64
 * words read straight from the ABI layout: viem's generic decoding of ~130 kB of calldata per
 * iteration (SCE-56) cost seconds of CPU per iteration on a loaded machine (docs/run.md
 * §Measured). No receipts. The values go into BigInt64Arrays, written as 32-bit halves: no bigint
 * per value (≈ 24,000 per iteration on SCE-56, kept alive across an iteration, made every scavenge
 * of the agent threads dearer). The result is what every agent of a thread shares; each then
 * turns only its own slice into bigints (busStateStep.ts).
 */
import type { Address, Chain, Client, Hex, Transport } from 'viem';
import { getContractEvents, getTransaction } from 'viem/actions';
import { GridError } from '../core/errors.js';
import { admmCoordinatorAbi } from '../chain/artifacts/AdmmCoordinator.js';
import { chunkRanges, entryCopies } from '../chain/fixedPointCoordinator.js';
import type { CoordinatorConfig } from '../chain/actions/readCoordinatorConfig.js';
import type { StepInputsFlat } from './busStateStep.js';

/** Iteration k's inputs and outputs as the agents use them. */
export interface StepInputs extends StepInputsFlat {
  /** k. */
  iteration: bigint;
  x: BigInt64Array;
  zPrev: BigInt64Array;
  /** Every copy but each entry's last as the calldata carries them; the last copies are 0 (busPreviousDuals). */
  xiPrev: BigInt64Array;
  /** z^{k+1} as the contract emitted it (ChunkStepped), global order. */
  zNext: BigInt64Array;
  /** rho^{k+1} (IterationCompleted.nextRho): the rho of the next solve. */
  nextRho: bigint;
  /** The iteration converged (no further solve). */
  converged: boolean;
}

/** One chunk of iteration k as found on chain: its ChunkStepped event and its transaction's input. */
export interface SteppedChunk {
  chunk: number;
  zNext: Hex;
  input: Hex;
}

/**
 * Inputs of iteration `iteration` (must be complete), with the block of its IterationCompleted,
 * or null when its events are not all visible yet (a node may answer eth_getLogs for the newest
 * block a moment after its state; the caller retries). `fromBlock`: where to start looking
 * (default the deployment block; any block at or before iteration − 1's completion is safe).
 */
export async function readStepInputs(
  client: Client<Transport, Chain>, config: CoordinatorConfig, iteration: bigint, fromBlock = config.deployBlock,
): Promise<(StepInputs & { completedBlock: bigint }) | null> {
  const { address, layout } = config;
  const range = { fromBlock, toBlock: 'latest' as const };
  const [stepped, completed] = await Promise.all([
    getContractEvents(client, { address, abi: admmCoordinatorAbi, eventName: 'ChunkStepped', args: { iteration }, ...range, strict: true }),
    getContractEvents(client, { address, abi: admmCoordinatorAbi, eventName: 'IterationCompleted', args: { iteration }, ...range, strict: true }),
  ]);
  const done = completed[0];
  const ranges = chunkRanges(layout.periods, config.periodsPerChunk);
  const chunks = new Set(stepped.map((log) => log.args.chunk));
  if (!done || chunks.size !== ranges.length || stepped.length !== ranges.length) return null;
  const inputs = await transactionInputs(client, stepped.map((log) => log.transactionHash));
  const decoded = decodeStepInputs(config, iteration, stepped.map((log, i) => ({ chunk: log.args.chunk, zNext: log.args.zNext, input: inputs[i]! })), {
    rho: done.args.rho, nextRho: done.args.nextRho, converged: done.args.converged,
  });
  return { ...decoded, completedBlock: done.blockNumber };
}

/** The input of each transaction (one request per distinct hash), in the order given. */
export async function transactionInputs(client: Client<Transport, Chain>, hashes: readonly Hex[]): Promise<Hex[]> {
  const distinct = [...new Set(hashes)];
  const inputs = await Promise.all(distinct.map((hash) => getTransaction(client, { hash }).then((tx) => tx.input)));
  const byHash = new Map(distinct.map((h, i) => [h, inputs[i]!]));
  return hashes.map((h) => byHash.get(h)!);
}

/** Builds iteration k's inputs from every chunk's event and calldata and the IterationCompleted values. */
export function decodeStepInputs(
  config: Pick<CoordinatorConfig, 'address' | 'layout' | 'periodsPerChunk'>, iteration: bigint, chunks: readonly SteppedChunk[], completed: { rho: bigint; nextRho: bigint; converged: boolean },
): StepInputs {
  const { address, layout } = config;
  const T = layout.periods;
  const entryCount = layout.entries.length;
  const { copyStart, localIndexOfCopy } = entryCopies(layout);
  const ranges = chunkRanges(T, config.periodsPerChunk);
  const out = {
    iteration, rho: completed.rho, nextRho: completed.nextRho, converged: completed.converged,
    x: new BigInt64Array(layout.totalCopies), zPrev: new BigInt64Array(layout.globalSize),
    xiPrev: new BigInt64Array(layout.totalCopies), zNext: new BigInt64Array(layout.globalSize),
  } satisfies StepInputs;
  // Written as 32-bit halves: no bigint per value (≈ 24,000 per iteration on SCE-56 were the thread's garbage).
  const x = wordsOf(out.x);
  const zPrev = wordsOf(out.zPrev);
  const xiPrev = wordsOf(out.xiPrev);
  const zNext = wordsOf(out.zNext);
  for (const { chunk, zNext: zNextHex, input } of chunks) {
    const [t0, t1] = ranges[chunk]!;
    const data = Buffer.from(input.slice(10), 'hex');
    const [xSpan, zSpan, dualSpan] = submitIterationSpans(data, address);
    // x: bus, copy, then the chunk's periods (src/chain/actions/submitIteration.ts iterationPayload).
    const xCount = (layout.totalCopies / T) * (t1 - t0);
    if (xSpan.count !== xCount) throw malformed(address, `x has ${xSpan.count} values, expected ${xCount}`);
    let i = 0;
    for (let b = 0; b < layout.busCount; b++) {
      const offset = layout.localOffset[b]!;
      const copies = layout.busCopyEntries[b]!.length;
      for (let j = 0; j < copies; j++) for (let t = t0; t < t1; t++) putZigzag(x, offset + j * T + t, data, xSpan.at + 8 * i++);
    }
    // zPrev: entry, then period (fixedPointCoordinator.ts chunkZ).
    const zCount = entryCount * (t1 - t0);
    if (zSpan.count !== zCount) throw malformed(address, `zPrev has ${zSpan.count} values, expected ${zCount}`);
    i = 0;
    for (let e = 0; e < entryCount; e++) for (let t = t0; t < t1; t++) putZigzag(zPrev, e * T + t, data, zSpan.at + 8 * i++);
    // dualsPrev: entry, period, every copy but the last (fixedPointCoordinator.ts chunkDuals).
    const dualCount = (layout.totalCopies / T - entryCount) * (t1 - t0);
    if (dualSpan.count !== dualCount) throw malformed(address, `dualsPrev has ${dualSpan.count} values, expected ${dualCount}`);
    i = 0;
    for (let e = 0; e < entryCount; e++) {
      for (let t = t0; t < t1; t++) for (let c = copyStart[e]!; c < copyStart[e + 1]! - 1; c++) putZigzag(xiPrev, localIndexOfCopy[c]! + t, data, dualSpan.at + 8 * i++);
    }
    const zNextData = Buffer.from(zNextHex.slice(2), 'hex');
    if (zNextData.length !== 8 * zCount) throw malformed(address, `zNext has ${zNextData.length} bytes, expected ${8 * zCount}`);
    i = 0;
    for (let e = 0; e < entryCount; e++) for (let t = t0; t < t1; t++) putZigzag(zNext, e * T + t, zNextData, 8 * i++);
  }
  return out;
}

function malformed(coordinator: Address, what: string): GridError {
  return new GridError(`a submitIteration call to ${coordinator} has malformed calldata (${what})`, {
    field: 'transactions', fix: ['post iterations straight from an account with the standard ABI encoding'],
  });
}

/** Which 32-bit half of a 64-bit element comes first in memory (typed arrays use the platform's byte order). */
const lowHalf = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

const wordsOf = (values: BigInt64Array) => new Int32Array(values.buffer, values.byteOffset, 2 * values.length);

/**
 * values[index] = the zig-zag int64 at data[at..at+8] (big-endian), computed on 32-bit halves:
 * (u >>> 1) XOR −(u AND 1) (docs/chain-design.md §Calldata), exact for every int64.
 */
function putZigzag(words: Int32Array, index: number, data: Buffer, at: number): void {
  const high = ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
  const low = ((data[at + 4]! << 24) | (data[at + 5]! << 16) | (data[at + 6]! << 8) | data[at + 7]!) >>> 0;
  const sign = -(low & 1);
  words[2 * index + lowHalf] = ((low >>> 1) | (high << 31)) ^ sign;
  words[2 * index + 1 - lowHalf] = (high >>> 1) ^ sign;
}

/**
 * Where x, zPrev and dualsPrev of a direct submitIteration(uint64, uint16, bytes, bytes, bytes,
 * bytes) call lie in `data` (the calldata after the 4-byte selector): words 2–4 are the offsets of
 * the bytes arguments; each starts with its length, then zig-zag int64 values, 8 bytes each
 * (docs/chain-design.md §Calldata).
 */
function submitIterationSpans(data: Buffer, coordinator: Address): Array<{ at: number; count: number }> {
  const bad = (what: string) => malformed(coordinator, what);
  const word = (at: number) => {
    if (at + 32 > data.length) throw bad(`word at ${at}`);
    if (data.readUInt32BE(at) !== 0 || data.readUInt32BE(at + 4) !== 0 || data.readUInt32BE(at + 8) !== 0 || data.readUInt32BE(at + 12) !== 0
      || data.readUInt32BE(at + 16) !== 0 || data.readUInt32BE(at + 20) !== 0) throw bad(`word at ${at} is too large`);
    return data.readUInt32BE(at + 24) * 2 ** 32 + data.readUInt32BE(at + 28);
  };
  return [2, 3, 4].map((k) => {
    const start = word(32 * k);
    const length = word(start);
    if (length % 8 !== 0 || start + 32 + length > data.length) throw bad(`argument ${k}`);
    return { at: start + 32, count: length / 8 };
  });
}
