/**
 * Worker-thread host of several bus agents (the default `run` mode): each agent keeps its own
 * key and devices; they share this thread's chain feed (iterationFeed.ts: one subscription and
 * one calldata read per iteration instead of one per agent). Signed vectors and final slices go
 * to the batch poster as thread messages when the poster runs in the parent (`vector`, `final`;
 * no HTTP round trip and JSON per vector), otherwise to its HTTP inbox. Then `done` with every
 * agent's result, or `error`.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { Address } from 'viem';
import type { ConicSolverFactory } from '../model/problems/busSubproblemSolver.js';
import type { Scenario } from '../scenario/types.js';
import { createChainClients } from '../chain/clients.js';
import { runBusAgent, type BusAgentResult, type BusAgentSettings } from './busAgent.js';
import { accountOfKey, type AgentKey } from './agentKeys.js';
import { IterationFeed } from './iterationFeed.js';
import { tracePhase } from './phaseTrace.js';
import { httpOutbox, type SignedFinal, type SignedVector, type VectorOutbox } from './vectorInbox.js';

export interface AgentWorkerData {
  /** Hand vectors to the parent thread as messages instead of posting them to `inboxUrl`. */
  parentInbox: boolean;
  solverModule: string;
  maxIterations: number;
  /** The feed's stall limit (iterationFeed.ts; default 10 min). */
  stallTimeoutMs?: number;
  agents: Array<{ bus: number; key: AgentKey; scenario: Scenario; settings: BusAgentSettings }>;
}

/** The parent's go: where the chain, the coordinator and the poster's inbox are. */
export interface AgentWorkerStart {
  type: 'start';
  rpcUrl: string;
  chainId: number;
  coordinator: Address;
  inboxUrl: string;
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
  // Ask for the go first: the parent may send it while this thread still loads and derives keys.
  const go = new Promise<AgentWorkerStart>((resolve) => {
    const onMessage = (m: AgentWorkerStart) => { if (m.type === 'start') { parentPort!.off('message', onMessage); resolve(m); } };
    parentPort!.on('message', onMessage);
  });
  tracePhase(`t${threadId}/worker`, -1, 'start', 0);
  const { createConicSolver } = (await import(data.solverModule)) as { createConicSolver: ConicSolverFactory };
  // Key derivation (a few ms per agent) before the chain is ready: accountOfKey caches the accounts.
  const mark = performance.now();
  for (const a of data.agents) accountOfKey(a.key);
  tracePhase(`t${threadId}/worker`, -1, 'keys', mark);
  const endpoints = await go;
  const feed = new IterationFeed(createChainClients(endpoints.rpcUrl, endpoints.chainId), endpoints.coordinator, {
    prefetchPending: true, ...(data.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: data.stallTimeoutMs }),
  });
  const outbox = data.parentInbox ? parentOutbox() : httpOutbox(endpoints.inboxUrl);
  try {
    const results = await Promise.all(data.agents.map((a) => runBusAgent({
      bus: a.bus, key: a.key, rpcUrl: endpoints.rpcUrl, coordinator: endpoints.coordinator, scenario: a.scenario, settings: a.settings,
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
