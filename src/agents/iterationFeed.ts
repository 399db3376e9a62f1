/**
 * How agents learn that the coordinator (S1) moved to iteration k and what they need to answer it
 * (docs/run.md §What an agent reads): pushed by the node, not polled. The feed subscribes to S1's
 * ChunkStepped and IterationCompleted logs over the node's WebSocket endpoint (eth_subscribe;
 * Anvil serves it on its HTTP port); when iteration k − 1 completes it fetches that iteration's
 * submitIteration calldata (one eth_getTransaction), decodes it once and hands the inputs of k to
 * every waiting agent. A status poll stays as a safety net (every 250 ms with the subscription,
 * every 10 ms without one, e.g. a node without WebSocket), and iterations the subscription did
 * not see whole (the feed started mid-iteration, a dropped message) are read with eth_getLogs.
 * Everything comes from the chain: agents on one worker thread share one feed only to save
 * duplicate reads, and an agent alone (its own process) runs the same feed for itself. A wait
 * that sees no sign of life from the coordinator for the stall limit fails (docs/run.md §Stalls),
 * and so does every wait still pending when the feed is closed.
 */
import { decodeEventLog, encodeEventTopics, webSocket, type Address, type Hex, type Log } from 'viem';
import { getTransaction } from 'viem/actions';
import { GridError } from '../core/errors.js';
import type { ChainClients } from '../chain/clients.js';
import { admmCoordinatorAbi } from '../chain/artifacts/AdmmCoordinator.js';
import { chunkRanges } from '../chain/fixedPointCoordinator.js';
import { readCoordinatorConfig, type CoordinatorConfig } from '../chain/actions/readCoordinatorConfig.js';
import { readCoordinatorStatus } from '../chain/actions/readCoordinatorState.js';
import { decodeStepInputs, readStepInputs, transactionInputs, type StepInputs, type SteppedChunk } from './readStepInputs.js';
import { tracePhase } from './phaseTrace.js';
import { threadId } from 'node:worker_threads';

/** What an agent needs to know about the coordinator's current iteration. */
export interface FeedStatus {
  /** k: the contract accepts vectors for k. */
  iteration: bigint;
  /** rho^k. */
  rho: bigint;
  converged: boolean;
}

export interface IterationFeedOptions {
  /** Subscribe over WebSocket (default: the RPC URL with ws:// for http://); null = poll only. */
  webSocketUrl?: string | null;
  /** Poll interval without a subscription (default 10 ms: automine answers within a few ms). */
  pollMs?: number;
  /** Poll interval beside a working subscription (default 250 ms). */
  safetyPollMs?: number;
  /**
   * Also subscribe to pending transactions and keep the coordinator's calldata as the node
   * announces them (before their block), so it is at hand when their logs arrive (default false:
   * every pending transaction, ~130 kB per iteration on SCE-56, would reach every agent process).
   */
  prefetchPending?: boolean;
  /**
   * A wait fails once this long passes with no new iteration and no transaction or log of the
   * coordinator (its poster is gone, or a bus never answers): default 10 min (docs/run.md §Stalls).
   */
  stallTimeoutMs?: number;
}

/** How long an agent waits through a quiet chain by default (`--stall-timeout`), seconds. */
export const defaultStallTimeoutSeconds = 600;

export interface WaitOptions {
  signal?: AbortSignal;
  /** Who waits, for the stall error (e.g. "bus 3"). */
  who?: string;
}

interface Waiter {
  atLeast: bigint;
  who: string;
  /** performance.now() when the wait began. */
  since: number;
  resolve: (s: FeedStatus) => void;
  reject: (e: unknown) => void;
}

const [chunkSteppedTopic] = encodeEventTopics({ abi: admmCoordinatorAbi, eventName: 'ChunkStepped' });
const [iterationCompletedTopic] = encodeEventTopics({ abi: admmCoordinatorAbi, eventName: 'IterationCompleted' });

export class IterationFeed {
  private configPromise: Promise<CoordinatorConfig> | null = null;
  private known: FeedStatus | null = null;
  private waiters: Waiter[] = [];
  private polling = false;
  private closed = false;
  /** Inputs of iteration k − 1, by k (the state an agent solves at k is one step from them). */
  private readonly inputsByNext = new Map<bigint, Promise<StepInputs>>();
  /** ChunkStepped seen per iteration, by chunk (the subscription's partial iterations). */
  private readonly pushedChunks = new Map<bigint, Map<number, { zNext: Hex; transactionHash: Hex }>>();
  private subscription: Promise<{ unsubscribe(): Promise<unknown>; close(): void } | null> | null = null;
  /** The subscription is up (the poll is only a safety net). */
  private live = false;
  /** Ends the poll loop's current sleep (close). */
  private endSleep: (() => void) | null = null;
  private readonly pollMs: number;
  private readonly safetyPollMs: number;
  private readonly stallTimeoutMs: number;
  /** performance.now() of the coordinator's latest sign of life: a new iteration, one of its logs or pending transactions. */
  private lastActivity = 0;
  /** Iterations whose inputs came from the subscription (the rest were read with eth_getLogs). */
  pushedIterations = 0;
  /** Pushed iterations whose calldata was fetched while pending (prefetchPending). */
  prefetchedIterations = 0;
  /** Block of each recent IterationCompleted seen, by iteration: where a log read of a later iteration starts. */
  private readonly completedBlocks = new Map<bigint, bigint>();
  /** Input of pending transactions to the coordinator by hash (null: another contract's). */
  private readonly pending = new Map<Hex, Promise<Hex | null>>();

  constructor(readonly clients: ChainClients, readonly coordinator: Address, private readonly o: IterationFeedOptions = {}) {
    this.pollMs = o.pollMs ?? 10;
    this.safetyPollMs = o.safetyPollMs ?? 250;
    this.stallTimeoutMs = o.stallTimeoutMs ?? defaultStallTimeoutSeconds * 1000;
    if (!(this.stallTimeoutMs > 0)) throw new GridError(`must be > 0 ms, got ${this.stallTimeoutMs}`, { field: 'stallTimeoutMs', fix: ['pass e.g. 600000 (10 min)'] });
  }

  config(): Promise<CoordinatorConfig> {
    this.configPromise ??= readCoordinatorConfig(this.clients.publicClient, this.coordinator);
    return this.configPromise;
  }

  /**
   * Resolves once the coordinator is at iteration `atLeast` or later, or has converged; rejects
   * with a GridError when the chain stays quiet for the stall limit (stallTimeoutMs) meanwhile.
   */
  waitForIteration(atLeast: bigint, o: WaitOptions = {}): Promise<FeedStatus> {
    const { signal } = o;
    if (this.known && (this.known.iteration >= atLeast || this.known.converged)) return Promise.resolve(this.known);
    if (this.closed) return Promise.reject(this.closedError(atLeast));
    this.subscription ??= this.subscribe();
    return new Promise<FeedStatus>((resolve, reject) => {
      const stopped = () => new GridError(`stopped waiting for iteration ${atLeast}`, { field: 'signal', cause: signal?.reason });
      if (signal?.aborted) { reject(stopped()); return; }
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(stopped());
      };
      const waiter: Waiter = {
        atLeast,
        who: o.who ?? 'an agent',
        since: performance.now(),
        resolve: (s) => { signal?.removeEventListener('abort', onAbort); resolve(s); },
        reject: (e) => { signal?.removeEventListener('abort', onAbort); reject(e); },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.startPolling();
    });
  }

  /**
   * Iteration k − 1's inputs and outputs, from which an agent steps its slice to z^k, xi^k
   * (k ≥ 1): pushed ones when the subscription saw the iteration, otherwise read with eth_getLogs
   * (retried while the node's logs lag its state).
   */
  inputsFor(k: bigint): Promise<StepInputs> {
    let pending = this.inputsByNext.get(k);
    if (!pending) {
      pending = this.readInputs(k - 1n);
      this.remember(k, pending);
    }
    return pending;
  }

  /** Whether the log subscription is up (starts it; false: the feed polls). */
  async subscribed(): Promise<boolean> {
    this.subscription ??= this.subscribe();
    return (await this.subscription) !== null;
  }

  /** Stops polling, closes the subscription and rejects every pending wait (a closed feed sees no further iteration). */
  async close(): Promise<void> {
    this.closed = true;
    this.endSleep?.();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(this.closedError(w.atLeast));
    const sub = await this.subscription?.catch(() => null);
    sub?.close();
  }

  private closedError(atLeast: bigint): GridError {
    return new GridError(`the iteration feed of coordinator ${this.coordinator} was closed while a wait for iteration ${atLeast} was pending`, {
      field: 'feed', fix: ['close the feed only after every agent using it has stopped (abort their signal first)'],
    });
  }

  private remember(k: bigint, pending: Promise<StepInputs>): void {
    this.inputsByNext.set(k, pending);
    pending.catch(() => { if (this.inputsByNext.get(k) === pending) this.inputsByNext.delete(k); });
    // Agents answer the newest iteration only: older inputs are no longer needed.
    for (const key of this.inputsByNext.keys()) if (key < k - 1n) this.inputsByNext.delete(key);
  }

  /**
   * Notes that `iteration` completed in `block` (a replayed history, a pushed log, a read), so
   * the next log read starts there instead of at the deployment.
   */
  sawCompleted(iteration: bigint, block: bigint): void {
    this.completedBlocks.set(iteration, block);
    // A read looks back one iteration at most: a few recent blocks suffice.
    for (const key of this.completedBlocks.keys()) if (key < iteration - 8n) this.completedBlocks.delete(key);
  }

  /**
   * Where the logs of `iteration` can start: the block in which an earlier iteration (the latest
   * known) completed, since iteration k is posted only after k − 1 completed; else the deployment.
   */
  private fromBlockFor(iteration: bigint, deployBlock: bigint): bigint {
    let latest: bigint | null = null;
    let from = deployBlock;
    for (const [k, block] of this.completedBlocks) {
      if (k < iteration && (latest === null || k > latest)) { latest = k; from = block > deployBlock ? block : deployBlock; }
    }
    return from;
  }

  private async readInputs(iteration: bigint): Promise<StepInputs> {
    const config = await this.config();
    for (let attempt = 0; attempt < 100; attempt++) {
      const started = performance.now();
      const inputs = await readStepInputs(this.clients.publicClient, config, iteration, this.fromBlockFor(iteration, config.deployBlock));
      tracePhase(`t${threadId}/reader`, iteration + 1n, inputs ? 'read' : 'readMissed', started);
      if (inputs) {
        this.sawCompleted(iteration, inputs.completedBlock);
        return inputs;
      }
      // The node answered the status before its logs showed the iteration: ask again shortly.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new GridError(`the events of iteration ${iteration} are not visible on ${this.clients.chain.rpcUrls.default.http[0]}`, {
      field: '--rpc-url', fix: ['use a node that keeps the coordinator\'s logs since its deployment'], exitCode: 69,
    });
  }

  private observe(status: FeedStatus): void {
    if (this.known && (status.iteration < this.known.iteration || (status.iteration === this.known.iteration && !status.converged))) return;
    if (!this.known || status.iteration > this.known.iteration || status.converged !== this.known.converged) this.touch();
    this.known = status;
    const ready = this.waiters.filter((w) => status.iteration >= w.atLeast || status.converged);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(status);
  }

  /** The coordinator showed a sign of life: every stall clock starts again. */
  private touch(): void {
    this.lastActivity = performance.now();
  }

  /** When the first waiting agent's stall limit runs out (performance.now() time). */
  private nextStallDeadline(): number {
    let deadline = Infinity;
    for (const w of this.waiters) deadline = Math.min(deadline, Math.max(w.since, this.lastActivity) + this.stallTimeoutMs);
    return deadline;
  }

  /** Rejects every wait that saw neither a new iteration nor any coordinator activity within the stall limit. */
  private rejectStalled(): void {
    const now = performance.now();
    const stalled = this.waiters.filter((w) => now >= Math.max(w.since, this.lastActivity) + this.stallTimeoutMs);
    if (stalled.length === 0) return;
    this.waiters = this.waiters.filter((w) => !stalled.includes(w));
    for (const w of stalled) w.reject(this.stalledError(w));
  }

  private stalledError(w: Waiter): GridError {
    const seconds = this.stallTimeoutMs / 1000;
    const at = this.known ? `stayed at iteration ${this.known.iteration}` : 'did not answer its status';
    return new GridError(
      `${w.who} waited ${seconds} s for iteration ${w.atLeast} of coordinator ${this.coordinator} on ${this.clients.chain.rpcUrls.default.http[0]}: `
      + `the coordinator ${at} and no transaction to it was seen in that time`, {
        field: '--stall-timeout',
        fix: [
          'check that the run\'s batch poster (gridconsensus run) and every other bus agent are still running',
          'then start this agent again with the same arguments: it resumes from chain state',
          `or allow a longer quiet spell with --stall-timeout SECONDS (now ${seconds})`,
        ],
        exitCode: 75,
      },
    );
  }

  private fail(err: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(err);
  }

  private startPolling(): void {
    if (this.polling || this.closed) return;
    this.polling = true;
    void (async () => {
      try {
        while (this.waiters.length > 0 && !this.closed) {
          const s = await this.readStatusWithRetries();
          this.observe({ iteration: s.iteration, rho: s.rho, converged: s.converged });
          this.rejectStalled();
          if (this.waiters.length === 0) break;
          // Wake up for the next poll, or when the first stall limit runs out, whichever comes first.
          const sleepMs = Math.max(1, Math.min(this.live ? this.safetyPollMs : this.pollMs, this.nextStallDeadline() - performance.now()));
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => { this.endSleep = null; resolve(); }, sleepMs);
            this.endSleep = () => { clearTimeout(timer); this.endSleep = null; resolve(); };
          });
        }
      } catch (err) {
        this.fail(err);
      } finally {
        this.polling = false;
      }
    })();
  }

  /** The coordinator's status; a dropped request is tried again (3 tries, 50 then 200 ms apart) before every waiting agent fails. */
  private async readStatusWithRetries(): Promise<Awaited<ReturnType<typeof readCoordinatorStatus>>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await readCoordinatorStatus(this.clients.publicClient, this.coordinator);
      } catch (err) {
        if (attempt >= 2 || this.closed) throw err;
        await new Promise((resolve) => setTimeout(resolve, attempt === 0 ? 50 : 200));
      }
    }
  }

  /** Subscribes to the coordinator's step logs; null (poll only) when the node offers no WebSocket. */
  private async subscribe(): Promise<{ unsubscribe(): Promise<unknown>; close(): void } | null> {
    const url = this.o.webSocketUrl === undefined ? webSocketUrlOf(this.clients.chain.rpcUrls.default.http[0]!) : this.o.webSocketUrl;
    if (!url || this.closed) return null;
    try {
      const transport = webSocket(url, { keepAlive: false, reconnect: false, retryCount: 0, timeout: 5_000 })({ chain: this.clients.chain });
      const { subscribe, getRpcClient } = transport.value as unknown as {
        subscribe(a: { params: unknown[]; onData: (data: { result: Log }) => void; onError?: (e: unknown) => void }): Promise<{ unsubscribe(): Promise<unknown> }>;
        getRpcClient(): Promise<{ close(): void }>;
      };
      const sub = await subscribe({
        params: ['logs', { address: this.coordinator, topics: [[chunkSteppedTopic, iterationCompletedTopic]] }],
        onData: (data) => this.onLog(data.result),
        onError: () => { this.live = false; },
      });
      if (this.o.prefetchPending) {
        // Full transactions where the node offers them (Anvil, geth): no request per transaction.
        const onPending = (data: { result: unknown }) => this.onPending(data.result);
        await subscribe({ params: ['newPendingTransactions', true], onData: onPending })
          .catch(() => subscribe({ params: ['newPendingTransactions'], onData: onPending }))
          .catch(() => null);
      }
      const rpc = await getRpcClient();
      this.live = true;
      if (this.closed) rpc.close();
      return { unsubscribe: () => sub.unsubscribe(), close: () => { this.live = false; rpc.close(); } };
    } catch {
      return null;
    }
  }

  /** A pending transaction (object, or its hash): its input is kept if it calls the coordinator. */
  private onPending(tx: unknown): void {
    if (typeof tx === 'string') { this.prefetch(tx as Hex); return; }
    const { hash, to, input } = (tx ?? {}) as { hash?: Hex; to?: string | null; input?: Hex };
    if (!hash || typeof input !== 'string' || to?.toLowerCase() !== this.coordinator.toLowerCase()) return;
    this.touch();
    this.keepPending(hash, Promise.resolve(input));
  }

  private keepPending(hash: Hex, input: Promise<Hex | null>): void {
    this.pending.set(hash, input);
    // Only the newest few matter (one per chunk of the iteration being mined).
    if (this.pending.size > 64) this.pending.delete(this.pending.keys().next().value!);
  }

  /** Fetches a pending transaction's input if it calls the coordinator (nodes that announce hashes only). */
  private prefetch(hash: Hex): void {
    if (this.pending.has(hash)) return;
    const coordinator = this.coordinator.toLowerCase();
    const input = getTransaction(this.clients.publicClient, { hash })
      .then((tx) => {
        if (tx.to?.toLowerCase() !== coordinator) return null;
        this.touch();
        return tx.input;
      })
      .catch(() => null);
    this.keepPending(hash, input);
  }

  private onLog(log: Log): void {
    if (log.removed) return;
    let event;
    try {
      event = decodeEventLog({ abi: admmCoordinatorAbi, data: log.data, topics: log.topics, strict: true });
    } catch {
      return;
    }
    this.touch();
    if (event.eventName === 'ChunkStepped') {
      const { iteration, chunk, zNext } = event.args;
      let chunks = this.pushedChunks.get(iteration);
      if (!chunks) this.pushedChunks.set(iteration, (chunks = new Map()));
      chunks.set(chunk, { zNext, transactionHash: log.transactionHash! });
      return;
    }
    if (event.eventName !== 'IterationCompleted') return;
    const { iteration, rho, converged, nextRho } = event.args;
    if (log.blockNumber !== null) this.sawCompleted(iteration, log.blockNumber);
    const chunks = this.pushedChunks.get(iteration);
    this.pushedChunks.delete(iteration);
    for (const key of this.pushedChunks.keys()) if (key < iteration) this.pushedChunks.delete(key);
    const next = iteration + 1n;
    if (chunks && !this.inputsByNext.has(next)) {
      const started = performance.now();
      const pending = this.config().then(async (config) => {
        if (chunks.size !== chunkRanges(config.layout.periods, config.periodsPerChunk).length) return this.readInputs(iteration);
        const list = [...chunks.entries()];
        const hashes = list.map(([, c]) => c.transactionHash);
        const early = await Promise.all(hashes.map((h) => this.pending.get(h) ?? null));
        for (const h of hashes) this.pending.delete(h);
        const prefetched = early.every((input) => input !== null);
        const inputs = prefetched ? early as Hex[] : await transactionInputs(this.clients.publicClient, hashes);
        if (prefetched) this.prefetchedIterations++;
        const stepped: SteppedChunk[] = list.map(([chunk, c], i) => ({ chunk, zNext: c.zNext, input: inputs[i]! }));
        const decoded = decodeStepInputs(config, iteration, stepped, { rho, nextRho, converged });
        this.pushedIterations++;
        tracePhase(`t${threadId}/reader`, next, 'read', started);
        return decoded;
      // A failed read of the pushed chunks (e.g. a dropped connection) falls back to the logs.
      }).catch(() => this.readInputs(iteration));
      this.remember(next, pending);
    }
    this.observe({ iteration: next, rho: nextRho, converged });
  }
}

/** ws://host:port for http://host:port (Anvil and most local nodes serve both on one port). */
export function webSocketUrlOf(rpcUrl: string): string | null {
  if (rpcUrl.startsWith('http://')) return `ws://${rpcUrl.slice('http://'.length)}`;
  if (rpcUrl.startsWith('https://')) return `wss://${rpcUrl.slice('https://'.length)}`;
  if (rpcUrl.startsWith('ws://') || rpcUrl.startsWith('wss://')) return rpcUrl;
  return null;
}
