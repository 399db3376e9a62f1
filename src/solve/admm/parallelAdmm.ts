/**
 * Consensus ADMM with the buses' subproblems on worker threads (default: one per available
 * core). Buses are dealt to workers by estimated solve time (balancedAssignment); each worker builds and keeps its buses.
 * subproblems. The coordinator step runs here, on the same values in the same order as the
 * in-process run, so the iterates are identical.
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
import type { WorkerReply, WorkerRequest } from './workerBusGroup.js';

export interface ParallelAdmmOptions extends AdmmOptions {
  /** Worker threads; 0 runs in this thread. Default os.availableParallelism(). */
  workers?: number;
  /** Module (URL or path) exporting `createConicSolver`; default the project's solver (src/conic). */
  solverModule?: string;
}

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
  const resolved = resolveAdmmOptions(options);
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods, resolved.convention);
  const assignment = balancedAssignment(scenario, layout, workerCount);
  // Positions in the concatenated local vector of each worker's values, in its bus order.
  const positions = assignment.map((buses) => {
    const idx: number[] = [];
    for (const b of buses) for (let k = 0; k < layout.copyMap[b]!.length; k++) idx.push(layout.localOffset[b]! + k);
    return Int32Array.from(idx);
  });

  const entryScale = admmEntryScale(scenario, layout, resolved.couplingWeights, resolved.entryWeights);
  const offsets = admmDualOffsets(scenario, layout, resolved, entryScale);
  const buildStart = performance.now();
  const workers = assignment.map(() => new BusWorker());
  try {
    await Promise.all(workers.map((w, i) => w.request({
      type: 'init', scenario, convention: resolved.convention, solverModule,
      spec: {
        buses: assignment[i]!, rho: resolved.rho, scale: entryScale, solverSettings: resolved.solverSettings,
        dualOffset: offsets ? gather(offsets, positions[i]!) : null,
        local: busLocalSettings(resolved),
      },
    })));
    const buildMs = performance.now() - buildStart;
    const executor: AdmmExecutor = {
      async iterate(zLocal, xi, rho) {
        const replies = await Promise.all(workers.map((w, i) => w.request({ type: 'solve', zLocal: gather(zLocal, positions[i]!), xi: gather(xi, positions[i]!), rho })));
        const local = new Float64Array(layout.totalCopies);
        const busCost = new Float64Array(layout.busCount);
        const solverIterations = new Int32Array(layout.busCount);
        let repeatedSolves = 0;
        replies.forEach((reply, i) => {
          if (reply.type !== 'solved') throw new InternalError(`worker answered ${reply.type} to solve`);
          const pos = positions[i]!;
          repeatedSolves += reply.repeatedSolves;
          for (let k = 0; k < pos.length; k++) local[pos[k]!] = reply.local[k]!;
          assignment[i]!.forEach((b, j) => {
            busCost[b] = reply.cost[j]!;
            solverIterations[b] = reply.solverIterations[j]!;
          });
        });
        return { local, busCost, solverIterations, repeatedSolves };
      },
      async finals() {
        const replies = await Promise.all(workers.map((w) => w.request({ type: 'finals' })));
        const byBus: BusFinal[] = new Array<BusFinal>(layout.busCount);
        for (const reply of replies) {
          if (reply.type !== 'finals') throw new InternalError(`worker answered ${reply.type} to finals`);
          for (const f of reply.finals) byBus[f.bus] = f;
        }
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
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Buses dealt to workers largest first, each to the least loaded worker (LPT), by an estimate of
 * its solve time: devices and local copies. Each worker keeps its buses in increasing order.
 */
export function balancedAssignment(scenario: Scenario, layout: CouplingLayout, workerCount: number): number[][] {
  const work = scenario.buses.map((bus, b) => 4 * bus.devices.length + layout.busCopyEntries[b]!.length + 2);
  const order = work.map((_, b) => b).sort((a, b) => work[b]! - work[a]! || a - b);
  const load = new Float64Array(workerCount);
  const assignment: number[][] = Array.from({ length: workerCount }, () => []);
  for (const b of order) {
    let best = 0;
    for (let w = 1; w < workerCount; w++) if (load[w]! < load[best]!) best = w;
    assignment[best]!.push(b);
    load[best]! += work[b]!;
  }
  for (const buses of assignment) buses.sort((a, b) => a - b);
  return assignment;
}

function gather(values: Float64Array, positions: Int32Array): Float64Array {
  const out = new Float64Array(positions.length);
  for (let k = 0; k < positions.length; k++) out[k] = values[positions[k]!]!;
  return out;
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
