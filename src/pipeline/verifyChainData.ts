/**
 * The verifier's view of S1 (AdmmCoordinator): everything it published, read from events and
 * from the calldata of the transactions that emitted them (the chain actions'
 * readIterationHistory), plus the contract's present status, state hash and schedule root.
 * Nothing here comes from the party that ran the day.
 */
import type { Address, Chain, Hex, PublicClient, Transport } from 'viem';
import { GridError } from '../core/errors.js';
import { admmCoordinatorAbi } from '../chain/artifacts/AdmmCoordinator.js';
import type { CoordinatorConfig } from '../chain/actions/readCoordinatorConfig.js';
import { readCoordinatorConfig } from '../chain/actions/readCoordinatorConfig.js';
import { readIterations, type IterationRecord } from '../chain/actions/readIterationHistory.js';

export type VerifyClient = PublicClient<Transport, Chain>;

export interface CoordinatorHistory {
  coordinator: Address;
  chainId: number;
  config: CoordinatorConfig;
  /** Oldest first; the last one may be incomplete. */
  iterations: IterationRecord[];
  /** (bus, iteration, chunk, valuesHash) commitments made with commitLocalVector. */
  commitments: Array<{ bus: number; iteration: bigint; chunk: number; valuesHash: Hex }>;
  /** What the contract reports now. */
  status: { iteration: bigint; rho: bigint; converged: boolean; finalized: boolean; chunksDone: bigint };
  stateHash: Hex;
  scheduleRoot: Hex;
  /** The ScheduleFinalized event's (root, stateHash), when finalized. */
  finalized: { root: Hex; stateHash: Hex } | null;
  /** The block every read was made at. */
  blockNumber: bigint;
  /** The transaction that created the contract (its CoordinatorDeployed event's), when it is a plain creation. */
  creationInput: Hex | null;
}

/** Reads the whole published history of one coordinator. */
export async function readCoordinatorHistory(client: VerifyClient, coordinator: Address, fromBlock = 0n): Promise<CoordinatorHistory> {
  const code = await client.getCode({ address: coordinator });
  if (!code || code === '0x') {
    throw new GridError(`there is no contract at ${coordinator}`, { field: 'coordinator', fix: ['check the address and the --rpc-url'] });
  }
  // Everything is read at one block, so a run still in progress gives a consistent snapshot.
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  const config = await readCoordinatorConfig(client, coordinator, fromBlock);
  const iterations = await readIterations(client, config, { fromBlock: config.deployBlock, toBlock: blockNumber });
  if (config.accounts.length === 0) {
    throw new GridError(`the coordinator at ${coordinator} has no registered buses`, { field: 'coordinator', fix: ['verify a coordinator after its day has run'] });
  }
  const [committed, finalizedEvents, status, stateHash, scheduleRoot, chainId] = await Promise.all([
    client.getContractEvents({ address: coordinator, abi: admmCoordinatorAbi, eventName: 'LocalVectorCommitted', fromBlock: config.deployBlock, toBlock: blockNumber, strict: true }),
    client.getContractEvents({ address: coordinator, abi: admmCoordinatorAbi, eventName: 'ScheduleFinalized', fromBlock: config.deployBlock, toBlock: blockNumber, strict: true }),
    client.readContract({ address: coordinator, abi: admmCoordinatorAbi, functionName: 'status', blockNumber }),
    client.readContract({ address: coordinator, abi: admmCoordinatorAbi, functionName: 'stateHash', blockNumber }),
    client.readContract({ address: coordinator, abi: admmCoordinatorAbi, functionName: 'scheduleRoot', blockNumber }),
    client.getChainId(),
  ]);
  const fin = finalizedEvents[0]?.args;
  const [deployed] = await client.getContractEvents({ address: coordinator, abi: admmCoordinatorAbi, eventName: 'CoordinatorDeployed', fromBlock: config.deployBlock, toBlock: config.deployBlock, strict: true });
  const creation = deployed ? await client.getTransaction({ hash: deployed.transactionHash }) : null;
  return {
    coordinator,
    blockNumber,
    chainId,
    config,
    iterations,
    commitments: committed.map((e) => ({ bus: Number(e.args.bus), iteration: e.args.iteration, chunk: e.args.chunk, valuesHash: e.args.valuesHash })),
    status: { iteration: status[0], rho: status[1], converged: status[2], finalized: status[3], chunksDone: status[4] },
    stateHash,
    scheduleRoot,
    finalized: fin ? { root: fin.root, stateHash: fin.stateHash } : null,
    creationInput: creation && creation.to === null ? creation.input : null,
  };
}
