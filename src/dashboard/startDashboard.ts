/**
 * The live dashboard (docs/dashboard.md): a node:http server on 127.0.0.1 that serves one page
 * and a Server-Sent Events stream. A watcher polls the node for new blocks and reads the
 * coordinator's (and Billing's) events: iterations, residuals, rho, gas per iteration, which
 * buses' vectors are in, and at the end the DLMPs and the bills.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicClient, http, type Address, type Chain, type PublicClient, type Transport } from 'viem';
import { GridError } from '../core/errors.js';
import { admmCoordinatorAbi } from '../chain/artifacts/AdmmCoordinator.js';
import { billingAbi } from '../chain/artifacts/Billing.js';
import { fromFixed } from '../chain/fixedPoint.js';
import { renderDashboardPage } from './dashboardPage.js';
import { emptyDashboardState, renderDashboardPanels, type DashboardState } from './dashboardState.js';

export interface DashboardOptions {
  rpcUrl: string;
  coordinator: Address;
  /** Billing (S2) whose bills for this coordinator's day to show (default: the first contract that binds a day to it). */
  billing?: Address;
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
  /** How often to poll the node for new blocks, ms (default 250). */
  pollMs?: number;
  /** Names of the buses (the case's ids), index = bus. */
  busNames?: readonly string[];
  /** First block to read events from (default 0). */
  fromBlock?: bigint;
}

export interface Dashboard {
  url: string;
  /** The state as last read from chain (for tests and the CLI). */
  state(): DashboardState;
  /** The run pipeline's own progress (its inbox), shown next to what the chain says. */
  publishProgress(p: { iteration?: number; agentsReported?: number }): void;
  /** Resolves after the next poll has been applied (tests). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

type Client = PublicClient<Transport, Chain>;
const tokenUnit = 1e18;

/** Starts the server and the watcher; the page is at `url` until `close()`. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const client = createPublicClient({ transport: http(options.rpcUrl, { retryCount: 0, timeout: 10_000 }) }) as unknown as Client;
  const state = emptyDashboardState(options.coordinator, options.billing ?? null);
  if (options.busNames) state.busNames = [...options.busNames];
  const streams = new Set<ServerResponse>();
  let panelsJson = JSON.stringify(renderDashboardPanels(state));

  const broadcast = () => {
    panelsJson = JSON.stringify(renderDashboardPanels(state));
    for (const res of streams) res.write(`event: panels\ndata: ${panelsJson}\n\n`);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(`retry: 1000\nevent: panels\ndata: ${panelsJson}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (path === '/state.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(state));
      return;
    }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderDashboardPage({ coordinator: options.coordinator, billing: options.billing ?? null, rpcUrl: options.rpcUrl, panels: renderDashboardPanels(state) }));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new GridError(`cannot serve the dashboard on 127.0.0.1:${options.port ?? 0}`, {
      field: '--port', fix: ['choose a free port, or 0 for any'], cause: err,
    })));
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const watcher = new ChainWatcher(client, options, state);
  let closed = false;
  let waiting: Array<() => void> = [];
  const loop = async () => {
    while (!closed) {
      try {
        if (await watcher.poll()) broadcast();
        if (state.error) { state.error = null; broadcast(); }
      } catch (err) {
        const message = `cannot read the chain: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
        if (state.error !== message) { state.error = message; broadcast(); }
      }
      const done = waiting;
      waiting = [];
      for (const w of done) w();
      if (closed) break;
      await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
    }
  };
  const running = loop();

  return {
    url,
    state: () => state,
    publishProgress(p) {
      if (p.agentsReported !== undefined) state.reportedByPipeline = p.agentsReported;
      broadcast();
    },
    refresh: () => new Promise<void>((resolve) => { waiting.push(resolve); }),
    async close() {
      closed = true;
      for (const res of streams) res.end();
      streams.clear();
      await running;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/** Reads new blocks' events into the state; returns true when something changed. */
class ChainWatcher {
  private nextBlock: bigint;
  private readonly gasOfIteration = new Map<number, number>();
  private days: number[] = [];
  private billing: Address | null;

  constructor(private readonly client: Client, private readonly o: DashboardOptions, private readonly state: DashboardState) {
    this.nextBlock = o.fromBlock ?? 0n;
    this.billing = o.billing ?? null;
  }

  /** Reads the blocks since the last poll; true when there were any. */
  async poll(): Promise<boolean> {
    const head = await this.client.getBlockNumber({ cacheTime: 0 });
    if (head < this.nextBlock) return false;
    const range = { fromBlock: this.nextBlock, toBlock: head };
    const address = this.o.coordinator;
    const s = this.state;
    const events = <E extends 'CoordinatorDeployed' | 'BusesRegistered' | 'LocalVectorCommitted' | 'ChunkStepped' | 'IterationCompleted' | 'FinalSliceRecorded' | 'ScheduleFinalized'>(eventName: E) =>
      this.client.getContractEvents({ address, abi: admmCoordinatorAbi, eventName, ...range, strict: true });
    const [deployed, registered, committed, stepped, completed, slices, finalized] = await Promise.all([
      events('CoordinatorDeployed'), events('BusesRegistered'), events('LocalVectorCommitted'), events('ChunkStepped'),
      events('IterationCompleted'), events('FinalSliceRecorded'), events('ScheduleFinalized'),
    ]);
    for (const e of deployed) {
      s.busCount = e.args.parents.length;
      s.periods = Number(e.args.periods);
      if (s.busNames.length !== s.busCount) s.busNames = Array.from({ length: s.busCount }, (_, b) => String(b));
    }
    if (registered.length > 0 && s.phase === 'waiting') s.phase = 'registered';
    for (const e of committed) {
      if (Number(e.args.iteration) === s.currentIteration && !s.reported.includes(Number(e.args.bus))) s.reported = [...s.reported, Number(e.args.bus)];
    }
    const receipts = await Promise.all(stepped.map((e) => this.client.getTransactionReceipt({ hash: e.transactionHash })));
    stepped.forEach((e, i) => {
      const k = Number(e.args.iteration);
      this.gasOfIteration.set(k, (this.gasOfIteration.get(k) ?? 0) + Number(receipts[i]!.gasUsed));
      // A posted chunk carries every bus's vector.
      if (k === s.currentIteration) s.reported = Array.from({ length: s.busCount }, (_, b) => b);
    });
    for (const e of completed) {
      const k = Number(e.args.iteration);
      s.iterations.push({
        iteration: k, rho: fromFixed(e.args.rho),
        primalResidual: Math.sqrt(Number(e.args.primalResidualSq)) / 1e9,
        dualResidual: Math.sqrt(Number(e.args.dualResidualSq)) / 1e9,
        converged: e.args.converged, gas: this.gasOfIteration.get(k) ?? 0,
      });
      s.currentIteration = k + 1;
      s.reported = [];
      s.reportedByPipeline = null;
      s.phase = e.args.converged ? 'converged' : 'iterating';
    }
    if (slices.length > 0) {
      const dlmp = s.dlmp ?? Array.from({ length: s.busCount }, () => new Array<number>(s.periods).fill(Number.NaN));
      for (const e of slices) dlmp[e.args.bus] = e.args.dlmp.map((v) => fromFixed(v));
      s.dlmp = dlmp;
    }
    if (finalized.length > 0) s.phase = 'finalized';
    await this.pollBilling(range);
    s.lastBlock = Number(head);
    this.nextBlock = head + 1n;
    // New blocks: at least the block number on the page changes.
    return true;
  }

  private async pollBilling(range: { fromBlock: bigint; toBlock: bigint }): Promise<void> {
    // Without --billing, any contract that binds a day to this coordinator is its Billing
    // (DayBound's source is indexed, so one log query over all addresses finds it).
    const bound = await this.client.getContractEvents({
      ...(this.billing ? { address: this.billing } : {}), abi: billingAbi, eventName: 'DayBound', args: { source: this.o.coordinator }, ...range, strict: true,
    });
    for (const e of bound) {
      if (!this.billing) { this.billing = e.address; this.state.billing = e.address; }
      if (e.address.toLowerCase() === this.billing.toLowerCase()) this.days.push(Number(e.args.day));
    }
    const billing = this.billing;
    if (!billing || this.days.length === 0) return;
    const settled = await this.client.getContractEvents({ address: billing, abi: billingAbi, eventName: 'ParticipantDaySettled', ...range, strict: true });
    const ours = settled.filter((e) => this.days.includes(Number(e.args.day)));
    for (const e of ours) {
      this.state.bills.push({
        bus: e.args.bus, participant: e.args.participant,
        scheduled: Number(e.args.scheduledValue) / tokenUnit, deviation: Number(e.args.deviationValue) / tokenUnit,
        penalty: Number(e.args.penalty) / tokenUnit, net: Number(e.args.net) / tokenUnit,
      });
    }
    this.state.bills.sort((a, b) => a.bus - b.bus);
  }
}
