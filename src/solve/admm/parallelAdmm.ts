/**
 * Consensus ADMM with the buses' subproblems on worker threads (default: one per available
 * core). Buses are dealt to workers by estimated solve time (balancedAssignment); each worker
 * builds and keeps its buses' subproblems, plus a second instance of the smallest buses of the
 * other workers, which it takes when it finishes its own first (workerBusGroup.ts). z, xi and
 * the results travel in shared memory, and rounds start and end by Atomics wait/notify. The coordinator step runs here, on the same values in the
 * same order as the in-process run, so the iterates are identical.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { GridError, InternalError } from '../../core/errors.js';
import type { Scenario } from '../../scenario/types.js';
import { buildCouplingLayout, type CouplingLayout } from '../../model/coupling/couplingLayout.js';
import { busLocalSettings, resolveAdmmOptions, type AdmmOptions } from './admmOptions.js';
import { runAdmmLoop, type AdmmExecutor } from './admmLoop.js';
import { assembleAdmmSchedule } from './assembleAdmmSchedule.js';
import type { BusFinal } from './busGroup.js';
import { admmEntryScale } from './entryWeights.js';
import { addOffsets, admmDualOffsets, defaultSolverModule, runAdmm, type AdmmResult } from './runAdmm.js';
import type { SharedRound, WorkerReply, WorkerRequest } from './workerBusGroup.js';

export interface ParallelAdmmOptions extends AdmmOptions {
  /** Worker threads; 0 runs in this thread. Default os.availableParallelism(). */
  workers?: number;
  /** Module (URL or path) exporting `createConicSolver`; default the project's solver (src/conic). */
  solverModule?: string;
  /** Called after each round of bus solves on the workers (profiling: load balance and waiting). */
  onRound?: (info: WorkerRoundInfo) => void;
}

/** One round of bus solves on the workers. */
export interface WorkerRoundInfo {
  round: number;
  /** From starting the round to the last worker finishing it, on the main thread, ms. */
  roundMs: number;
  /** Per worker: from waking for the round to finishing it, ms (the rest of roundMs is waiting and wake-ups). */
  busyMs: number[];
  /** Per worker: buses it took from another worker's list. */
  taken: number[];
}

/** Slots of SharedRound.control (workerBusGroup.ts). */
export const RoundControl = {
  /** Bumped by the main thread for every command (the workers wait for it to change). */
  SEQUENCE: 0,
  /** Rounds finished, summed over workers (the main thread waits for it to reach rounds · workers). */
  FINISHED: 1,
  /** What the new sequence number asks: SOLVE a round or LEAVE the round loop (for other messages). */
  COMMAND: 2,
  /** Number of the round to solve (1, 2, …; a bus's claim stamp). */
  ROUND: 3,
  /** Per worker (slot FAILED + index): 1 after its round failed (its error comes as the reply to 'rounds'). */
  FAILED: 4,
  SOLVE: 1,
  LEAVE: 2,
} as const;

/**
 * Runs consensus ADMM on worker threads (or in this thread with `workers: 0`).
 * @throws GridError on bad options or when a bus's subproblem has no solution.
 */
export async function runAdmmParallel(scenario: Scenario, options: ParallelAdmmOptions = {}): Promise<AdmmResult> {
  const solverModule = options.solverModule ?? defaultSolverModule;
  const workerCount = Math.min(options.workers ?? availableParallelism(), scenario.buses.length);
  if (!Number.isInteger(workerCount) || workerCount < 0) {
    throw new GridError(`workers must be a whole number ≥ 0, got ${options.workers}`, { field: 'workers', fix: ['use 0 (this thread) or up to the number of cores'] });
  }
  if (workerCount === 0) {
    const mod = (await import(solverModule)) as { createConicSolver: Parameters<typeof runAdmm>[2] };
    return runAdmm(scenario, options, mod.createConicSolver);
  }
  const resolved = resolveAdmmOptions(options, scenario);
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods, resolved.convention);
  const work = estimatedWork(scenario, layout);
  // each worker's own buses, largest first, so that what is left at the end of a list is small
  const lists = balancedAssignment(work, workerCount);
  const shared = sharedRound(layout, lists.length);

  const entryScale = admmEntryScale(scenario, layout, resolved.couplingWeights, resolved.entryWeights);
  const offsets = admmDualOffsets(scenario, layout, resolved, entryScale);
  const buildStart = performance.now();
  const workers = lists.map(() => new BusWorker());
  try {
    const spares = lists.map((_, i) => spareBuses(lists, i, work));
    const ready = await Promise.all(workers.map((w, i) => w.request({
      type: 'init', scenario, convention: resolved.convention, solverModule,
      spec: {
        index: i, lists, spares: spares[i]!, rho: resolved.rho, scale: entryScale,
        solverSettings: resolved.solverSettings, dualOffset: offsets, local: busLocalSettings(resolved), shared,
      },
    })));
    // the state buffers of the buses that may move (some other worker keeps a spare instance) go to
    // every worker; none when some bus cannot move (then each worker keeps to its own buses)
    const states = new Array<SharedArrayBuffer | null>(layout.busCount).fill(null);
    for (const reply of ready) {
      if (reply.type !== 'ready') throw new InternalError(`worker answered ${reply.type} to init`);
      for (const { bus, buffer } of reply.states) states[bus] = buffer;
    }
    const spare = new Set(spares.flat());
    const movable = states.every((buffer) => buffer !== null);
    for (const w of workers) w.send({ type: 'states', states: states.map((buffer, b) => (movable && spare.has(b) ? buffer : null)) });
    const buildMs = performance.now() - buildStart;
    const rounds = new RoundDriver(workers, shared.control);
    let round = 0;
    const executor: AdmmExecutor = {
      async iterate(zLocal, xi, rho) {
        round++;
        shared.zLocal.set(zLocal);
        shared.xi.set(xi);
        shared.rho[0] = rho;
        const started = performance.now();
        await rounds.solve(round);
        const roundMs = performance.now() - started;
        const stats = shared.roundStats;
        let repeatedSolves = 0;
        for (let w = 0; w < workers.length; w++) repeatedSolves += stats[3 * w]!;
        options.onRound?.({
          round, roundMs,
          busyMs: workers.map((_, w) => stats[3 * w + 2]!),
          taken: workers.map((_, w) => stats[3 * w + 1]!),
        });
        return {
          local: shared.local.slice(), busCost: shared.busCost.slice(), solverIterations: shared.solverIterations.slice(), repeatedSolves,
        };
      },
      async finals() {
        await rounds.leave();
        const replies = await Promise.all(workers.map((w) => w.request({ type: 'finals' })));
        const byBus: BusFinal[] = new Array<BusFinal>(layout.busCount);
        for (const reply of replies) {
          if (reply.type !== 'finals') throw new InternalError(`worker answered ${reply.type} to finals`);
          for (const f of reply.finals) byBus[f.bus] = f;
        }
        for (let b = 0; b < layout.busCount; b++) if (!byBus[b]) throw new InternalError(`bus ${b} was never solved`);
        return byBus;
      },
      close: async () => {},
    };
    const run = await runAdmmLoop(scenario, layout, resolved, entryScale, executor, options);
    return {
      schedule: assembleAdmmSchedule(scenario, resolved, run, buildMs),
      status: run.status,
      iterations: run.iterations,
      trace: run.trace,
      state: run.state,
      finalDuals: addOffsets(run.state.xi, offsets),
      layout,
      options: resolved,
      buildMs,
      workers: workerCount,
    };
  } finally {
    // workers waiting for a round return to their event loop first, then stop
    Atomics.store(shared.control, RoundControl.COMMAND, RoundControl.LEAVE);
    Atomics.add(shared.control, RoundControl.SEQUENCE, 1);
    Atomics.notify(shared.control, RoundControl.SEQUENCE);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Estimated solve time of each bus: its devices and local copies. */
function estimatedWork(scenario: Scenario, layout: CouplingLayout): number[] {
  return scenario.buses.map((bus, b) => 4 * bus.devices.length + layout.busCopyEntries[b]!.length + 2);
}

/**
 * Buses dealt to workers largest first, each to the least loaded worker (LPT), by an estimate of
 * its solve time: devices and local copies. Each worker's list is largest first (ties by index).
 */
function balancedAssignment(work: readonly number[], workerCount: number): number[][] {
  const order = work.map((_, b) => b).sort((a, b) => work[b]! - work[a]! || a - b);
  const load = new Float64Array(workerCount);
  const assignment: number[][] = Array.from({ length: workerCount }, () => []);
  for (const b of order) {
    let best = 0;
    for (let w = 1; w < workerCount; w++) if (load[w]! < load[best]!) best = w;
    assignment[best]!.push(b);
    load[best]! += work[b]!;
  }
  return assignment;
}

/**
 * Share of another worker's estimated work, from the end of its list, that a worker keeps a
 * second instance of to take when it finishes first.
 */
const SPARE_SHARE = 0.35;

/** The buses at the end of the other workers' lists (the smallest) that worker `index` may take. */
export function spareBuses(lists: number[][], index: number, work: number[]): number[] {
  const spares: number[] = [];
  lists.forEach((list, w) => {
    if (w === index) return;
    const total = list.reduce((sum, b) => sum + work[b]!, 0);
    let kept = 0;
    for (let j = list.length - 1; j >= 0 && kept + work[list[j]!]! <= SPARE_SHARE * total; j--) {
      spares.push(list[j]!);
      kept += work[list[j]!]!;
    }
  });
  return spares;
}

/**
 * Starts and awaits rounds through the shared control slots (workerBusGroup.ts RoundControl): the
 * workers sit in their round loop (one 'rounds' request each) between rounds; other requests
 * (finals) first make them leave it.
 */
class RoundDriver {
  private loops: Array<Promise<WorkerReply>> | null = null;
  private rounds = 0;

  constructor(private readonly workers: BusWorker[], private readonly control: Int32Array) {}

  /** Runs round `round` on every worker and waits until all have finished it. @throws the error of a worker whose round failed. */
  async solve(round: number): Promise<void> {
    const { control, workers } = this;
    const loops = this.enter();
    Atomics.store(control, RoundControl.ROUND, round);
    Atomics.store(control, RoundControl.COMMAND, RoundControl.SOLVE);
    Atomics.add(control, RoundControl.SEQUENCE, 1);
    Atomics.notify(control, RoundControl.SEQUENCE);
    this.rounds++;
    const target = this.rounds * workers.length;
    // a worker that crashes (or leaves) mid-round never counts the round: its loop's promise ends the wait
    const ended = Promise.race(loops.map((loop, w) => loop.then(() => {
      throw new InternalError(`worker ${w} left its round loop in round ${round}`);
    })));
    ended.catch(() => {});
    for (;;) {
      const finished = Atomics.load(control, RoundControl.FINISHED);
      if (finished >= target) break;
      const wait = waitAsync(control, RoundControl.FINISHED, finished);
      if (wait.async) await Promise.race([wait.value, ended]);
    }
    for (let w = 0; w < workers.length; w++) {
      if (Atomics.load(control, RoundControl.FAILED + w) === 1) {
        await loops[w]; // rejects with the worker's error
        throw new InternalError(`worker ${w} marked round ${round} as failed but left without an error`);
      }
    }
  }

  /** Makes every worker leave its round loop (no-op when none is in it). */
  async leave(): Promise<void> {
    if (!this.loops) return;
    const loops = this.loops;
    this.loops = null;
    Atomics.store(this.control, RoundControl.COMMAND, RoundControl.LEAVE);
    Atomics.add(this.control, RoundControl.SEQUENCE, 1);
    Atomics.notify(this.control, RoundControl.SEQUENCE);
    for (const reply of await Promise.all(loops)) {
      if (reply.type !== 'left') throw new InternalError(`worker answered ${reply.type} to rounds`);
    }
  }

  private enter(): Array<Promise<WorkerReply>> {
    if (!this.loops) {
      const seen = Atomics.load(this.control, RoundControl.SEQUENCE);
      this.loops = this.workers.map((w) => w.request({ type: 'rounds', seen }));
      // a failed round is reported by solve(); this keeps the rejection from counting as unhandled meanwhile
      for (const loop of this.loops) loop.catch(() => {});
    }
    return this.loops;
  }
}

/** Atomics.waitAsync (Node ≥ 16; not in the project's TypeScript lib yet). */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** Zeroed shared arrays of one run (SharedRound). */
function sharedRound(layout: CouplingLayout, workerCount: number): SharedRound {
  const floats = (length: number) => new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
  const ints = (length: number) => new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
  const lastSolver = ints(layout.busCount);
  lastSolver.fill(-1);
  return {
    zLocal: floats(layout.totalCopies), xi: floats(layout.totalCopies), local: floats(layout.totalCopies),
    busCost: floats(layout.busCount), solverIterations: ints(layout.busCount), claims: ints(layout.busCount), lastSolver,
    control: ints(RoundControl.FAILED + workerCount), rho: floats(1), roundStats: floats(3 * workerCount),
  };
}

/** One worker thread with a request/reply queue (replies come back in request order). */
class BusWorker {
  private readonly worker = new Worker(new URL('./workerBusGroup.js', import.meta.url));
  private readonly pending: Array<{ resolve: (r: WorkerReply) => void; reject: (e: unknown) => void }> = [];

  constructor() {
    this.worker.on('message', (reply: WorkerReply) => {
      const next = this.pending.shift();
      if (!next) return;
      if (reply.type === 'error') {
        next.reject(reply.grid
          ? new GridError(reply.message, { ...(reply.field ? { field: reply.field } : {}), fix: reply.fix ?? [], details: reply.details ?? [], exitCode: reply.exitCode ?? 2 })
          : new InternalError(`ADMM worker failed: ${reply.message}`));
      } else {
        next.resolve(reply);
      }
    });
    this.worker.on('error', (error) => {
      for (const p of this.pending.splice(0)) p.reject(new InternalError('ADMM worker crashed', error));
    });
    // a worker that stops without an error (process.exit in it) would leave its requests waiting forever
    this.worker.on('exit', (code) => {
      for (const p of this.pending.splice(0)) p.reject(new InternalError(`ADMM worker stopped with exit code ${code}`));
    });
  }

  /** A message without a reply. */
  send(message: WorkerRequest): void {
    this.worker.postMessage(message);
  }

  request(message: WorkerRequest): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}
