/**
 * Worker-thread host of several bus agents (the default `run` mode): each agent keeps its own
 * key and devices; they share this thread's chain feed (iterationFeed.ts: one subscription and
 * one calldata read per iteration instead of one per agent). Signed vectors and final slices go
 * to the batch poster as thread messages when the poster runs in the parent (`vector`, `final`;
 * no HTTP round trip and JSON per vector), otherwise to its HTTP inbox. Then `done` with every
 * agent's result, or `error`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Address } from 'viem';
import type { ConicSolverFactory } from '../model/problems/busSubproblemSolver.js';
import type { Scenario } from '../scenario/types.js';
import { createChainClients } from '../chain/clients.js';
import { runBusAgent, type BusAgentResult, type BusAgentSettings } from './busAgent.js';
import type { AgentKey } from './agentKeys.js';
import { IterationFeed } from './iterationFeed.js';
import { httpOutbox, type SignedFinal, type SignedVector, type VectorOutbox } from './vectorInbox.js';

export interface AgentWorkerData {
  rpcUrl: string;
  chainId: number;
  coordinator: Address;
  inboxUrl: string;
  /** Hand vectors to the parent thread as messages instead of posting them to `inboxUrl`. */
  parentInbox: boolean;
  solverModule: string;
  maxIterations: number;
  agents: Array<{ bus: number; key: AgentKey; scenario: Scenario; settings: BusAgentSettings }>;
}

export type AgentWorkerMessage =
  | { type: 'vector'; vector: SignedVector }
  | { type: 'final'; final: SignedFinal }
  | { type: 'done'; results: BusAgentResult[] }
  | { type: 'error'; message: string; stack?: string };

/** An outbox that hands what agents signed to the parent thread (structured clone keeps bigints). */
function parentOutbox(): VectorOutbox {
  const post = (m: AgentWorkerMessage) => { parentPort!.postMessage(m); return Promise.resolve(); };
  return { sendVector: (vector) => post({ type: 'vector', vector }), sendFinal: (final) => post({ type: 'final', final }) };
}

async function main(data: AgentWorkerData): Promise<void> {
  const { createConicSolver } = (await import(data.solverModule)) as { createConicSolver: ConicSolverFactory };
  const feed = new IterationFeed(createChainClients(data.rpcUrl, data.chainId), data.coordinator);
  const outbox = data.parentInbox ? parentOutbox() : httpOutbox(data.inboxUrl);
  try {
    const results = await Promise.all(data.agents.map((a) => runBusAgent({
      bus: a.bus, key: a.key, rpcUrl: data.rpcUrl, coordinator: data.coordinator, scenario: a.scenario, settings: a.settings,
      outbox, createSolver: createConicSolver, feed, maxIterations: data.maxIterations,
    })));
    parentPort!.postMessage({ type: 'done', results } satisfies AgentWorkerMessage);
  } finally {
    await feed.close();
  }
}

main(workerData as AgentWorkerData).catch((err: unknown) => {
  parentPort!.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err), ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) } satisfies AgentWorkerMessage);
});
