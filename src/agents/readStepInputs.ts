/**
 * A lean read of one completed iteration for agents, who need it every iteration: the
 * submitIteration calldata of each chunk (x, z^k, compressed xi^k) and rho^k. Same result as
 * src/chain/actions/readIterationHistory.ts `readIterations`, but the calldata is decoded with
 * Node's native hex decoder and the int64 words read straight from the ABI layout: viem's
 * generic decoding of ~130 kB of calldata per iteration (SCE-56) cost seconds of CPU per
 * iteration on a loaded machine (docs/run.md §Measured). No receipts; the caller checks the
 * state it computes from these inputs against the chunk hashes the contract emitted.
 */
import type { Address, Chain, Client, Hex, Transport } from 'viem';
import { getContractEvents, getTransaction } from 'viem/actions';
import { GridError } from '../core/errors.js';
import { admmCoordinatorAbi } from '../chain/artifacts/AdmmCoordinator.js';
import { zigzagDecode } from '../chain/fixedPoint.js';
import { chunkRanges, placeChunkDuals, placeChunkLocalVectors, placeChunkZ } from '../chain/fixedPointCoordinator.js';
import type { CoordinatorConfig } from '../chain/actions/readCoordinatorConfig.js';

export interface StepInputs {
  iteration: bigint;
  /** rho^k the step used. */
  rho: bigint;
  localVectors: bigint[][];
  zPrev: bigint[];
  xiPrev: bigint[];
  /** Per chunk, the state hash after the step (ChunkStepped): the hash of z^{k+1}, xi^{k+1}. */
  chunkHashes: Hex[];
}

/**
 * Inputs of iteration `iteration` (must be complete), or null when its events are not all
 * visible yet (a node may answer eth_getLogs for the newest block a moment after its state;
 * the caller retries).
 */
export async function readStepInputs(client: Client<Transport, Chain>, config: CoordinatorConfig, iteration: bigint): Promise<StepInputs | null> {
  const { address, layout } = config;
  const range = { fromBlock: config.deployBlock, toBlock: 'latest' as const };
  const [stepped, completed] = await Promise.all([
    getContractEvents(client, { address, abi: admmCoordinatorAbi, eventName: 'ChunkStepped', args: { iteration }, ...range, strict: true }),
    getContractEvents(client, { address, abi: admmCoordinatorAbi, eventName: 'IterationCompleted', args: { iteration }, ...range, strict: true }),
  ]);
  const done = completed[0];
  const ranges = chunkRanges(layout.periods, config.periodsPerChunk);
  const chunks = new Set(stepped.map((log) => log.args.chunk));
  if (!done || chunks.size !== ranges.length || stepped.length !== ranges.length) return null;
  const out: StepInputs = {
    iteration, rho: done.args.rho, localVectors: layout.copyMap.map((m) => new Array<bigint>(m.length).fill(0n)),
    zPrev: new Array<bigint>(layout.globalSize).fill(0n), xiPrev: new Array<bigint>(layout.totalCopies).fill(0n),
    chunkHashes: ranges.map(() => '0x' as Hex),
  };
  const inputs = await Promise.all(stepped.map((log) => getTransaction(client, { hash: log.transactionHash }).then((tx) => ({ chunk: log.args.chunk, input: tx.input, hash: log.args.chunkHash }))));
  for (const { chunk, input, hash } of inputs) {
    const r = ranges[chunk]!;
    const [x, zPrev, dualsPrev] = submitIterationPayloads(input, address);
    placeChunkLocalVectors(layout, out.localVectors, r, x);
    placeChunkZ(layout, out.zPrev, r, zPrev);
    placeChunkDuals(layout, out.xiPrev, r, dualsPrev);
    out.chunkHashes[chunk] = hash;
  }
  return out;
}

/**
 * x, zPrev and dualsPrev of a direct submitIteration(uint64, uint16, bytes, bytes, bytes, bytes)
 * call: after the 4-byte selector, words 2–4 are the offsets of the bytes arguments; each starts
 * with its length, then zig-zag int64 values, 8 bytes each (docs/chain-design.md §Calldata).
 */
export function submitIterationPayloads(input: Hex, coordinator: Address): [bigint[], bigint[], bigint[]] {
  const data = Buffer.from(input.slice(10), 'hex');
  const bad = (what: string) => new GridError(`a submitIteration call to ${coordinator} has malformed calldata (${what})`, {
    field: 'transactions', fix: ['post iterations straight from an account with the standard ABI encoding'],
  });
  const word = (at: number) => {
    if (at + 32 > data.length) throw bad(`word at ${at}`);
    return Number(data.readBigUInt64BE(at + 24));
  };
  return [2, 3, 4].map((k) => {
    const start = word(32 * k);
    const length = word(start);
    if (length % 8 !== 0 || start + 32 + length > data.length) throw bad(`argument ${k}`);
    const values = new Array<bigint>(length / 8);
    for (let i = 0; i < values.length; i++) values[i] = zigzagDecode(data.readBigUInt64BE(start + 32 + 8 * i));
    return values;
  }) as [bigint[], bigint[], bigint[]];
}
