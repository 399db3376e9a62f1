/**
 * A lean read of one completed iteration k for agents, who need it every iteration: per chunk
 * the submitIteration calldata (x^k, z^k, compressed xi^k) and the ChunkStepped event (z^{k+1}),
 * and rho^{k+1} from IterationCompleted. Same content as src/chain/actions/readIterationHistory.ts
 * `readIterations`, but the calldata is decoded with Node's native hex decoder and the int64
 * words read straight from the ABI layout: viem's generic decoding of ~130 kB of calldata per
 * iteration (SCE-56) cost seconds of CPU per iteration on a loaded machine (docs/run.md
 * §Measured). No receipts. The result is what every agent of a thread shares; each then steps
 * only its own slice (busStateStep.ts).
 */
import type { Address, Chain, Client, Hex, Transport } from 'viem';
import { getContractEvents, getTransaction } from 'viem/actions';
import { GridError } from '../core/errors.js';
import { admmCoordinatorAbi } from '../chain/artifacts/AdmmCoordinator.js';
import { zigzagDecode } from '../chain/fixedPoint.js';
import { chunkRanges, placeChunkDuals, placeChunkZ } from '../chain/fixedPointCoordinator.js';
import type { CoordinatorConfig } from '../chain/actions/readCoordinatorConfig.js';
import type { StepInputsFlat } from './busStateStep.js';

/** Iteration k's inputs and outputs as the agents use them. */
export interface StepInputs extends StepInputsFlat {
  /** k. */
  iteration: bigint;
  /** z^{k+1} as the contract emitted it (ChunkStepped), global order. */
  zNext: bigint[];
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
 * Inputs of iteration `iteration` (must be complete), or null when its events are not all
 * visible yet (a node may answer eth_getLogs for the newest block a moment after its state;
 * the caller retries). `fromBlock`: where to start looking (default the deployment block).
 */
export async function readStepInputs(client: Client<Transport, Chain>, config: CoordinatorConfig, iteration: bigint, fromBlock = config.deployBlock): Promise<StepInputs | null> {
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
  return decodeStepInputs(config, iteration, stepped.map((log, i) => ({ chunk: log.args.chunk, zNext: log.args.zNext, input: inputs[i]! })), {
    rho: done.args.rho, nextRho: done.args.nextRho, converged: done.args.converged,
  });
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
  config: CoordinatorConfig, iteration: bigint, chunks: readonly SteppedChunk[], completed: { rho: bigint; nextRho: bigint; converged: boolean },
): StepInputs {
  const { address, layout } = config;
  const T = layout.periods;
  const ranges = chunkRanges(T, config.periodsPerChunk);
  const out: StepInputs = {
    iteration, rho: completed.rho, nextRho: completed.nextRho, converged: completed.converged,
    x: new Array<bigint>(layout.totalCopies).fill(0n),
    zPrev: new Array<bigint>(layout.globalSize).fill(0n), xiPrev: new Array<bigint>(layout.totalCopies).fill(0n),
    zNext: new Array<bigint>(layout.globalSize).fill(0n),
  };
  for (const { chunk, zNext, input } of chunks) {
    const r = ranges[chunk]!;
    const [x, zPrev, dualsPrev] = submitIterationPayloads(input, address);
    // x: bus, copy, then the chunk's periods (src/chain/actions/submitIteration.ts iterationPayload).
    const [t0, t1] = r;
    const x0 = out.x as bigint[];
    let i = 0;
    for (let b = 0; b < layout.busCount; b++) {
      const offset = layout.localOffset[b]!;
      for (let j = 0; j < layout.busCopyEntries[b]!.length; j++) for (let t = t0; t < t1; t++) x0[offset + j * T + t] = x[i++]!;
    }
    if (i !== x.length) throw malformed(address, `x has ${x.length} values, expected ${i}`);
    placeChunkZ(layout, out.zPrev as bigint[], r, zPrev);
    placeChunkDuals(layout, out.xiPrev as bigint[], r, dualsPrev);
    placeChunkZ(layout, out.zNext, r, unpackZigzag(zNext, address));
  }
  return out;
}

function malformed(coordinator: Address, what: string): GridError {
  return new GridError(`a submitIteration call to ${coordinator} has malformed calldata (${what})`, {
    field: 'transactions', fix: ['post iterations straight from an account with the standard ABI encoding'],
  });
}

/** Zig-zag int64 values packed 8 bytes each (an event's bytes field). */
function unpackZigzag(hex: Hex, coordinator: Address): bigint[] {
  const data = Buffer.from(hex.slice(2), 'hex');
  if (data.length % 8 !== 0) throw malformed(coordinator, `zNext has ${data.length} bytes`);
  const values = new Array<bigint>(data.length / 8);
  for (let i = 0; i < values.length; i++) values[i] = zigzagDecode(data.readBigUInt64BE(8 * i));
  return values;
}

/**
 * x, zPrev and dualsPrev of a direct submitIteration(uint64, uint16, bytes, bytes, bytes, bytes)
 * call: after the 4-byte selector, words 2–4 are the offsets of the bytes arguments; each starts
 * with its length, then zig-zag int64 values, 8 bytes each (docs/chain-design.md §Calldata).
 */
export function submitIterationPayloads(input: Hex, coordinator: Address): [bigint[], bigint[], bigint[]] {
  const data = Buffer.from(input.slice(10), 'hex');
  const bad = (what: string) => malformed(coordinator, what);
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
