/**
 * Worker-thread host of several bus agents (the default `run` mode): each agent keeps its own
 * key and devices; they share this thread's chain reads. Messages: `solved` per answered
 * iteration, then `done` with every agent's result, or `error`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Address } from 'viem';
import type { ConicSolverFactory } from '../model/problems/busSubproblemSolver.js';
import type { Scenario } from '../scenario/types.js';
import { createChainClients } from '../chain/clients.js';
import { CoordinatorStateReader, runBusAgent, type BusAgentResult, type BusAgentSettings } from './busAgent.js';
import type { AgentKey } from './agentKeys.js';
import { httpOutbox } from './vectorInbox.js';

export interface AgentWorkerData {
  rpcUrl: string;
  chainId: number;
  coordinator: Address;
  inboxUrl: string;
  solverModule: string;
  maxIterations: number;
  agents: Array<{ bus: number; key: AgentKey; scenario: Scenario; settings: BusAgentSettings }>;
}

export type AgentWorkerMessage =
  | { type: 'done'; results: BusAgentResult[] }
  | { type: 'error'; message: string; stack?: string };

async function main(data: AgentWorkerData): Promise<void> {
  const { createConicSolver } = (await import(data.solverModule)) as { createConicSolver: ConicSolverFactory };
  const reader = new CoordinatorStateReader(createChainClients(data.rpcUrl, data.chainId), data.coordinator);
  const outbox = httpOutbox(data.inboxUrl);
  const results = await Promise.all(data.agents.map((a) => runBusAgent({
    bus: a.bus, key: a.key, rpcUrl: data.rpcUrl, coordinator: data.coordinator, scenario: a.scenario, settings: a.settings,
    outbox, createSolver: createConicSolver, stateReader: reader, maxIterations: data.maxIterations,
  })));
  parentPort!.postMessage({ type: 'done', results } satisfies AgentWorkerMessage);
}

main(workerData as AgentWorkerData).catch((err: unknown) => {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err), ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) } satisfies AgentWorkerMessage);
});
