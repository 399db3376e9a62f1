/**
 * Every coordinator step as it happened on chain: per iteration the submitted local vectors, z^k
 * and xi^k (decoded from the submitIteration calldata), z^{k+1} (from ChunkStepped), residuals and
 * rho (from IterationCompleted), gas and transaction hashes. Enough to re-derive each step with
 * fixedPointCoordinatorStep and compare state hashes (docs/chain-design.md §TypeScript actions).
 */
import { decodeFunctionData, hexToBytes, type Address, type Chain, type Client, type Hex, type Transport } from 'viem';
import { getBlockNumber, getContractEvents, getTransaction, getTransactionReceipt, readContract } from 'viem/actions';
import { contractEventsInWindows } from './contractEventsInWindows.js';
import { GridError } from '../../core/errors.js';
import { admmCoordinatorAbi } from '../artifacts/AdmmCoordinator.js';
import { unpackInt64 } from '../fixedPoint.js';
import { chunkRanges, placeChunkDuals, placeChunkLocalVectors, placeChunkZ } from '../fixedPointCoordinator.js';
import { readCoordinatorConfig, type CoordinatorConfig } from './readCoordinatorConfig.js';

export interface ChunkSubmission {
  chunk: number;
  transactionHash: Hex;
  blockNumber: bigint;
  gasUsed: bigint;
  /** Who posted the batch (any participant may relay). */
  sender: Address;
  /** The 65-byte signatures as posted (v = 0: the bus proved its vector by its own transaction). */
  signatures: Hex;
  /** The chunk's state hash after the step (ChunkStepped). */
  chunkHash: Hex;
}

export interface IterationRecord {
  iteration: bigint;
  /** True once every chunk is in and IterationCompleted was emitted. */
  complete: boolean;
  /** rho^k the step used. */
  rho: bigint;
  /** Every bus's local vector (copyMap order); periods of chunks not yet submitted are 0n. */
  localVectors: bigint[][];
  /** z^k and xi^k as submitted (xi: one dual per local value, the last copy's restored). */
  zPrev: bigint[];
  xiPrev: bigint[];
  /** z^{k+1} as emitted (periods of chunks not yet submitted are 0n). */
  zNext: bigint[];
  /** From IterationCompleted (undefined while the iteration is incomplete). */
  primalResidualSq?: bigint;
  dualResidualSq?: bigint;
  converged?: boolean;
  nextRho?: bigint;
  gasUsed: bigint;
  transactions: ChunkSubmission[];
}

export interface IterationHistory {
  config: CoordinatorConfig;
  iterations: IterationRecord[];
}

/** All iterations from `fromBlock` (default: the deployment block), oldest first. */
export async function readIterationHistory(client: Client<Transport, Chain>, address: Address, fromBlock?: bigint): Promise<IterationHistory> {
  const config = await readCoordinatorConfig(client, address, fromBlock ?? 0n);
  const toBlock = await getBlockNumber(client, { cacheTime: 0 });
  const [iterations, status] = await Promise.all([
    readIterations(client, config, { fromBlock: fromBlock ?? config.deployBlock, toBlock }),
    readContract(client, { address, abi: admmCoordinatorAbi, functionName: 'status', blockNumber: toBlock }),
  ]);
  // An incomplete iteration is the current one: it steps with the current rho.
  for (const record of iterations) if (!record.complete) record.rho = status[1];
  return { config, iterations };
}

/**
 * The iteration records of `config`'s coordinator, optionally only iteration `iteration`, from
 * events up to `toBlock` (default latest). Shared with readCoordinatorState.
 */
export async function readIterations(
  client: Client<Transport, Chain>,
  config: CoordinatorConfig,
  o: { fromBlock: bigint; toBlock?: bigint; iteration?: bigint },
): Promise<IterationRecord[]> {
  const { address, layout } = config;
  const filter = o.iteration === undefined ? undefined : { iteration: o.iteration };
  const range = { fromBlock: o.fromBlock, toBlock: o.toBlock ?? ('latest' as const) };
  const [stepped, completed] = await Promise.all([
    contractEventsInWindows(client, range, (fromBlock, toBlock) =>
      getContractEvents(client, { address, abi: admmCoordinatorAbi, eventName: 'ChunkStepped', args: filter, fromBlock, toBlock, strict: true })),
    contractEventsInWindows(client, range, (fromBlock, toBlock) =>
      getContractEvents(client, { address, abi: admmCoordinatorAbi, eventName: 'IterationCompleted', args: filter, fromBlock, toBlock, strict: true })),
  ]);
  const ranges = chunkRanges(layout.periods, config.periodsPerChunk);
  const perValueBuses = () => layout.copyMap.map((m) => new Array<bigint>(m.length).fill(0n));
  const byIteration = new Map<bigint, IterationRecord>();
  const submissions = await Promise.all(stepped.map(async (log) => {
    const [tx, receipt] = await Promise.all([
      getTransaction(client, { hash: log.transactionHash }),
      getTransactionReceipt(client, { hash: log.transactionHash }),
    ]);
    let decoded;
    try {
      decoded = decodeFunctionData({ abi: admmCoordinatorAbi, data: tx.input });
    } catch (cause) {
      throw new GridError(`transaction ${log.transactionHash} stepped the coordinator but its calldata is not a direct submitIteration call`, {
        field: 'transactions', fix: ['post iterations straight from an account (not through another contract) so the calldata can be replayed'], cause,
      });
    }
    if (decoded.functionName !== 'submitIteration') {
      throw new GridError(`transaction ${log.transactionHash} emitted ChunkStepped from ${decoded.functionName}`, { field: 'transactions', fix: ['report this: only submitIteration steps the coordinator'] });
    }
    return { log, tx, receipt, args: decoded.args };
  }));
  for (const { log, tx, receipt, args } of submissions) {
    const [iteration, chunk, x, zPrev, dualsPrev, signatures] = args;
    const k = log.args.iteration;
    let record = byIteration.get(k);
    if (!record) {
      record = {
        iteration: k, complete: false, rho: 0n, localVectors: perValueBuses(),
        zPrev: new Array<bigint>(layout.globalSize).fill(0n), xiPrev: new Array<bigint>(layout.totalCopies).fill(0n),
        zNext: new Array<bigint>(layout.globalSize).fill(0n), gasUsed: 0n, transactions: [],
      };
      byIteration.set(k, record);
    }
    const r = ranges[chunk]!;
    placeChunkLocalVectors(layout, record.localVectors, r, unpackInt64(hexToBytes(x), 'x'));
    placeChunkZ(layout, record.zPrev, r, unpackInt64(hexToBytes(zPrev), 'zPrev'));
    placeChunkDuals(layout, record.xiPrev, r, unpackInt64(hexToBytes(dualsPrev), 'dualsPrev'));
    placeChunkZ(layout, record.zNext, r, unpackInt64(hexToBytes(log.args.zNext), 'zNext'));
    record.gasUsed += receipt.gasUsed;
    record.transactions.push({
      chunk, transactionHash: log.transactionHash, blockNumber: log.blockNumber, gasUsed: receipt.gasUsed, sender: tx.from,
      signatures, chunkHash: log.args.chunkHash,
    });
  }
  for (const log of completed) {
    const record = byIteration.get(log.args.iteration);
    if (!record) continue; // its chunks lie before fromBlock
    record.complete = true;
    record.rho = log.args.rho;
    record.nextRho = log.args.nextRho;
    record.primalResidualSq = log.args.primalResidualSq;
    record.dualResidualSq = log.args.dualResidualSq;
    record.converged = log.args.converged;
  }
  for (const record of byIteration.values()) record.transactions.sort((a, b) => a.chunk - b.chunk);
  return [...byIteration.values()].sort((a, b) => (a.iteration < b.iteration ? -1 : 1));
}
