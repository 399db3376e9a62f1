/**
 * The coordinator's state at the start of its current iteration k: status, z^k and the duals
 * xi^k. The contract stores only hashes (docs/chain-design.md §State), so z^k comes from the
 * events of iteration k − 1 (or the registration), xi^k is recomputed with the bigint mirror from
 * that iteration's calldata, and both are checked against the contract's hashes before returning.
 */
import type { Address, Chain, Client, Hex, Transport } from 'viem';
import { getBlockNumber, readContract } from 'viem/actions';
import { GridError } from '../../core/errors.js';
import { admmCoordinatorAbi } from '../artifacts/AdmmCoordinator.js';
import {
  chunkRanges, chunkStateHash, fixedPointCoordinatorStep, initialFixedPointState, type FixedPointState,
} from '../fixedPointCoordinator.js';
import { readCoordinatorConfig, type CoordinatorConfig } from './readCoordinatorConfig.js';
import { readIterations } from './readIterationHistory.js';

export interface CoordinatorStatus {
  /** Current iteration k: the contract accepts vectors signed for k. */
  iteration: bigint;
  /** rho^k, scale 1e9. */
  rho: bigint;
  converged: boolean;
  finalized: boolean;
  /** Chunks of iteration k already stepped (ascending). */
  chunksDone: number[];
}

/** A FixedPointState (z^k, xi^k, rho^k, k) plus what the contract reports. */
export interface CoordinatorState extends FixedPointState, CoordinatorStatus {
  /** The contract's stateHash() (equals the mirror's stateHash when no chunk of k is done yet). */
  stateHash: Hex;
  /** The contract's stored hash per chunk. */
  chunkHashes: Hex[];
  config: CoordinatorConfig;
  /** The block this state was read at. */
  blockNumber: bigint;
}

/** One call: iteration, rho, flags and the chunks done (no vectors). */
export async function readCoordinatorStatus(client: Client<Transport, Chain>, address: Address, blockNumber?: bigint): Promise<CoordinatorStatus> {
  const [iteration, rho, converged, finalized, chunksDone] = await readContract(client, {
    address, abi: admmCoordinatorAbi, functionName: 'status', blockNumber,
  });
  const done: number[] = [];
  for (let c = 0; c < 64; c++) if ((chunksDone >> BigInt(c)) & 1n) done.push(c);
  return { iteration, rho, converged, finalized, chunksDone: done };
}

/**
 * Everything a bus agent needs to compute its next subproblem after a crash (its slice:
 * busStateSlice(state.config.layout, state, bus)). Pass `config` to skip re-reading it.
 * @throws GridError when the events do not reproduce the contract's hashes.
 */
export async function readCoordinatorState(
  client: Client<Transport, Chain>, address: Address, o: { config?: CoordinatorConfig; fromBlock?: bigint } = {},
): Promise<CoordinatorState> {
  const config = o.config ?? await readCoordinatorConfig(client, address, o.fromBlock ?? 0n);
  const { layout, periodsPerChunk } = config;
  const blockNumber = await getBlockNumber(client, { cacheTime: 0 });
  const ranges = chunkRanges(layout.periods, periodsPerChunk);
  const [status, stateHash, ...chunkHashes] = await Promise.all([
    readCoordinatorStatus(client, address, blockNumber),
    readContract(client, { address, abi: admmCoordinatorAbi, functionName: 'stateHash', blockNumber }),
    ...ranges.map((_, c) => readContract(client, { address, abi: admmCoordinatorAbi, functionName: 'chunkStateHash', args: [BigInt(c)], blockNumber })),
  ]);
  if (config.accounts.length === 0) {
    throw new GridError(`the coordinator at ${address} has no registered buses yet`, { field: 'coordinator', fix: ['call registerBuses first'] });
  }
  let state: FixedPointState = initialFixedPointState(layout, config.params.rho0, config.initialZ);
  let expected: readonly Hex[] = [];
  if (status.iteration > 0n) {
    const [previous] = await readIterations(client, config, { fromBlock: config.deployBlock, toBlock: blockNumber, iteration: status.iteration - 1n });
    if (!previous || !previous.complete) {
      throw new GridError(`the events of iteration ${status.iteration - 1n} are missing`, { field: 'fromBlock', fix: ['use a node that keeps the coordinator\'s logs since its deployment'] });
    }
    const prior: FixedPointState = { z: previous.zPrev, xi: previous.xiPrev, rho: previous.rho, iteration: previous.iteration, converged: false };
    state = fixedPointCoordinatorStep(layout, prior, previous.localVectors, config.params).state;
    expected = ranges.map((_, c) => previous.transactions.find((t) => t.chunk === c)?.chunkHash ?? '0x');
  }
  state = { ...state, rho: status.rho, iteration: status.iteration, converged: status.converged };
  for (let c = 0; c < ranges.length; c++) {
    // After iteration 0 the events of k − 1 carry every chunk's hash of state k; at k = 0 a chunk
    // already stepped holds the hash of state 1, so only the others can be compared.
    const theirs = status.iteration > 0n ? expected[c] : status.chunksDone.includes(c) ? undefined : chunkHashes[c];
    const mine = chunkStateHash(layout, state, ranges[c]!);
    if (theirs !== undefined && mine !== theirs) {
      throw new GridError(`chunk ${c}: the state rebuilt from events hashes to ${mine}, the contract has ${theirs}`, {
        field: `chunkStateHash[${c}]`, fix: ['the bigint mirror and the contract disagree: report this with the coordinator address'],
      });
    }
  }
  return { ...state, ...status, stateHash, chunkHashes: chunkHashes as Hex[], config, blockNumber };
}
