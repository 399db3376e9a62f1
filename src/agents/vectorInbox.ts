/**
 * The batch poster's intake (docs/run.md §Roles): bus agents hand their EIP-712-signed local
 * vectors and, after convergence, their signed final slices to whoever posts the batch, over
 * plain HTTP on loopback (or any reachable address). The poster trusts nothing it receives: the
 * contract checks every signature against the bus's registered key.
 *
 * Bigints travel as decimal strings.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hex } from 'viem';
import { GridError } from '../core/errors.js';
import type { BusFinal } from '../solve/admm/busGroup.js';

/** One bus's signed values of one chunk of one iteration. */
export interface SignedVector {
  bus: number;
  iteration: bigint;
  chunk: number;
  /** The chunk's values, copy-major then period (what the bus signed). */
  values: bigint[];
  signature: Hex;
  /** The bus's own cost at this solution (currency), disclosed for the trace; optional. */
  cost?: number;
}

/** One bus's signed final slice, and what it chooses to disclose for the report. */
export interface SignedFinal {
  bus: number;
  netInjection: bigint[];
  dlmp: bigint[];
  signature: Hex;
  /** Device setpoints and local values of the last solve (for the report only; not on chain). */
  report?: BusFinal;
}

type Wire<T> = { [K in keyof T]: T[K] extends bigint ? string : T[K] extends bigint[] ? string[] : T[K] };

/** JSON with bigints as decimal strings. */
function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** How the poster waits: aborted by `signal`; failed after `stallTimeoutMs` with nothing received (docs/run.md §Stalls). */
export interface InboxWaitOptions {
  signal?: AbortSignal;
  stallTimeoutMs?: number;
}

/** What a poster waits for: every bus's vector for (iteration, chunk), or every final slice. */
export class VectorInbox {
  private readonly vectors = new Map<string, SignedVector>();
  private readonly finals = new Map<number, SignedFinal>();
  private waiters: Array<() => void> = [];
  /** performance.now() of the latest vector or final slice received. */
  private lastReceived = performance.now();
  private server: Server | null = null;
  /** Called whenever something arrives (progress: agents reported). */
  onReceive?: (kind: 'vector' | 'final', bus: number, iteration: bigint | null) => void;

  constructor(private readonly busCount: number) {}

  /** Starts listening on `host:port` (0 = a free port); returns the base URL agents post to. */
  async listen(host = '127.0.0.1', port = 0): Promise<string> {
    const server = createServer((req, res) => { void this.handle(req, res); });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    return `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accepts a vector in-process (same checks as over HTTP). */
  putVector(v: SignedVector): void {
    this.checkBus(v.bus);
    const key = `${v.iteration}:${v.chunk}:${v.bus}`;
    // A restarted agent resubmits the same (deterministic) vector: keep the first.
    if (!this.vectors.has(key)) this.vectors.set(key, v);
    this.lastReceived = performance.now();
    this.onReceive?.('vector', v.bus, v.iteration);
    this.wake();
  }

  putFinal(f: SignedFinal): void {
    this.checkBus(f.bus);
    if (!this.finals.has(f.bus)) this.finals.set(f.bus, f);
    this.lastReceived = performance.now();
    this.onReceive?.('final', f.bus, null);
    this.wake();
  }

  /** How many buses have sent their vector for (iteration, chunk). */
  countVectors(iteration: bigint, chunk: number): number {
    let n = 0;
    for (let b = 0; b < this.busCount; b++) if (this.vectors.has(`${iteration}:${chunk}:${b}`)) n++;
    return n;
  }

  /** Resolves with every bus's vector (bus order) for (iteration, chunk). */
  async waitForVectors(iteration: bigint, chunk: number, o: InboxWaitOptions = {}): Promise<SignedVector[]> {
    const since = performance.now();
    for (;;) {
      if (this.countVectors(iteration, chunk) === this.busCount) {
        const all = Array.from({ length: this.busCount }, (_, b) => this.vectors.get(`${iteration}:${chunk}:${b}`)!);
        // Older iterations are no longer needed.
        for (const key of this.vectors.keys()) if (BigInt(key.split(':')[0]!) < iteration) this.vectors.delete(key);
        return all;
      }
      const missing = (b: number) => !this.vectors.has(`${iteration}:${chunk}:${b}`);
      await this.sleep(o, since, () => `the vectors of iteration ${iteration}${chunk > 0 ? ` (chunk ${chunk})` : ''}`, missing);
    }
  }

  async waitForFinals(o: InboxWaitOptions = {}): Promise<SignedFinal[]> {
    const since = performance.now();
    while (this.finals.size < this.busCount) await this.sleep(o, since, () => 'the final slices', (b) => !this.finals.has(b));
    return Array.from({ length: this.busCount }, (_, b) => this.finals.get(b)!);
  }

  /**
   * Until something arrives, the signal aborts, or the stall limit passes with nothing received
   * since max(since, the latest arrival): then a GridError naming what is missing from whom.
   */
  private sleep(o: InboxWaitOptions, since: number, what: () => string, missing: (bus: number) => boolean): Promise<void> {
    const { signal, stallTimeoutMs } = o;
    if (signal?.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => { clearTimeout(timer); reject(signal!.reason instanceof Error ? signal!.reason : new Error('aborted')); };
      signal?.addEventListener('abort', onAbort, { once: true });
      const waiter = () => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); resolve(); };
      this.waiters.push(waiter);
      if (stallTimeoutMs === undefined) return;
      const remaining = Math.max(since, this.lastReceived) + stallTimeoutMs - performance.now();
      // setTimeout fires after 1 ms for delays beyond 2^31 − 1 ms (24.8 days): wake up at that point
      // instead and sleep again (the callers loop), so a long --stall-timeout does not fail at once.
      if (remaining > maxTimerMs) {
        timer = setTimeout(() => { this.waiters = this.waiters.filter((w) => w !== waiter); waiter(); }, maxTimerMs);
        return;
      }
      timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        signal?.removeEventListener('abort', onAbort);
        const buses = Array.from({ length: this.busCount }, (_, b) => b).filter(missing);
        reject(new GridError(`the batch poster waited ${stallTimeoutMs / 1000} s for ${what()} and nothing arrived in that time; still missing: bus${buses.length === 1 ? '' : 'es'} ${listBuses(buses)}`, {
          field: '--stall-timeout',
          fix: [
            'check that the agents of those buses run (gridconsensus agent --bus N …; with --external-agents the run printed the command)',
            'on a node of its own (--rpc-url) the day continues with gridconsensus run --resume --rpc-url URL --coordinator ADDRESS',
            `or allow a longer quiet spell with --stall-timeout SECONDS (now ${stallTimeoutMs / 1000})`,
          ],
          exitCode: 75,
        }));
      }, Math.max(0, remaining));
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private checkBus(bus: number): void {
    if (!Number.isInteger(bus) || bus < 0 || bus >= this.busCount) {
      throw new GridError(`bus ${bus} is not on this feeder`, { field: 'bus', fix: [`use 0 .. ${this.busCount - 1}`] });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (req.method !== 'POST' || (req.url !== '/vector' && req.url !== '/final')) {
        res.writeHead(404).end('POST /vector or /final');
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      if (req.url === '/vector') this.putVector(parseVector(body as Wire<SignedVector>));
      else this.putFinal(parseFinal(body as Wire<SignedFinal>));
      res.writeHead(204).end();
    } catch (err) {
      res.writeHead(400).end(err instanceof Error ? err.message : String(err));
    }
  }
}

/** The longest delay setTimeout honours (a signed 32-bit count of ms). */
const maxTimerMs = 2 ** 31 - 1;

/** "1, 2, 5" (at most 10 named, then how many more). */
function listBuses(buses: readonly number[]): string {
  const shown = buses.slice(0, 10).join(', ');
  return buses.length > 10 ? `${shown} and ${buses.length - 10} more` : shown;
}

function parseVector(w: Wire<SignedVector>): SignedVector {
  return {
    bus: Number(w.bus), iteration: BigInt(w.iteration), chunk: Number(w.chunk), values: w.values.map((v) => BigInt(v)),
    signature: w.signature, ...(typeof w.cost === 'number' ? { cost: w.cost } : {}),
  };
}

function parseFinal(w: Wire<SignedFinal>): SignedFinal {
  return {
    bus: Number(w.bus), netInjection: w.netInjection.map((v) => BigInt(v)), dlmp: w.dlmp.map((v) => BigInt(v)),
    signature: w.signature, ...(w.report ? { report: w.report } : {}),
  };
}

/** Where an agent sends what it signed: the poster's inbox URL, or an in-process inbox. */
export interface VectorOutbox {
  sendVector(v: SignedVector): Promise<void>;
  sendFinal(f: SignedFinal): Promise<void>;
}

/** An outbox posting to an inbox URL; retries while the poster is (re)starting. */
export function httpOutbox(baseUrl: string, o: { retryMs?: number; timeoutMs?: number } = {}): VectorOutbox {
  const post = async (path: string, body: unknown) => {
    const deadline = Date.now() + (o.timeoutMs ?? 120_000);
    for (;;) {
      let failure: string;
      try {
        const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: toWireJson(body) });
        if (res.ok) return;
        failure = `${res.status} ${await res.text()}`;
        if (res.status === 400) throw new GridError(`the batch poster refused the ${path.slice(1)}: ${failure}`, { field: '--inbox', fix: ['check that this agent runs for the same coordinator as the poster'] });
      } catch (err) {
        if (err instanceof GridError) throw err;
        failure = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() > deadline) {
        throw new GridError(`cannot reach the batch poster at ${baseUrl}: ${failure}`, { field: '--inbox', fix: ['give the inbox URL the run printed', 'start the run first'], exitCode: 69 });
      }
      await new Promise((resolve) => setTimeout(resolve, o.retryMs ?? 200));
    }
  };
  return { sendVector: (v) => post('/vector', v), sendFinal: (f) => post('/final', f) };
}
