/**
 * Worker-thread entry of runAdmmParallel. Each worker builds its own buses' subproblems (a bus's
 * private data stays in the workers) and, per iteration, solves them from z and xi in shared
 * memory, writing the local vectors, costs and IPM iteration counts back into shared memory; a
 * round starts and ends by Atomics wait/notify on shared control slots, no message crosses threads. A worker that runs out of its own buses takes
 * the not yet started ones from the end of another worker's list (smallest last), for which it
 * keeps a second instance built at init. Every solve of such a bus saves its state (solve count,
 * previous point, last result, IPM warm start) into shared memory and a solve in another worker
 * loads it first, so a bus gives the same result bit for bit wherever it is solved.
 */
import { parentPort } from 'node:worker_threads';
import { GridError, InternalError } from '../../core/errors.js';
import type { Scenario } from '../../scenario/types.js';
import { buildCouplingLayout, type BranchFlowConvention, type CouplingLayout } from '../../model/coupling/couplingLayout.js';
import { buildBusSubproblem, type BusSubproblem } from '../../model/problems/busSubproblem.js';
import {
  createBusSubproblemSolver, type BusSolveResult, type BusSubproblemSolver, type ConicSolverFactory,
} from '../../model/problems/busSubproblemSolver.js';
import { busFinalOf, type BusFinal, type BusGroupSpec } from './busGroup.js';
import { RoundControl } from './parallelAdmm.js';

/** Arrays every worker and the main thread share (SharedArrayBuffer views). */
export interface SharedRound {
  /** z and xi of every local value in protocol order, written by the main thread before a round. */
  zLocal: Float64Array;
  xi: Float64Array;
  /** Outputs of the round: local vectors (protocol order), each bus's own cost and IPM iterations. */
  local: Float64Array;
  busCost: Float64Array;
  solverIterations: Int32Array;
  /** Per bus: the round that claimed it (a bus is solved once per round, by whoever claims it first). */
  claims: Int32Array;
  /** Per bus: the worker whose instance solved it last (-1: never solved). */
  lastSolver: Int32Array;
  /** Control slots (RoundControl), with Atomics: the workers wait on SEQUENCE, the main thread on FINISHED. */
  control: Int32Array;
  /** rho of the current round. */
  rho: Float64Array;
  /** Per worker: repeated solves, buses taken and busy ms of its last round. */
  roundStats: Float64Array;
}


export interface WorkerSpec extends Omit<BusGroupSpec, 'buses' | 'dualOffset'> {
  /** This worker's number and every worker's own buses in the order it solves them. */
  index: number;
  lists: number[][];
  /** Buses of other workers this one keeps a second instance of, to take when it is idle. */
  spares: number[];
  /** Dual offsets of every local value (protocol order), or null for none. */
  dualOffset: Float64Array | null;
  shared: SharedRound;
}

export type WorkerRequest =
  | { type: 'init'; scenario: Scenario; convention: BranchFlowConvention; spec: WorkerSpec; solverModule: string }
  /** The state buffer (SharedArrayBuffer) of each bus that may move, index = bus; null for the others. */
  | { type: 'states'; states: Array<SharedArrayBuffer | null> }
  /** Solve a round whenever the main thread bumps the sequence number, until it says LEAVE (then reply 'left'). */
  | { type: 'rounds'; seen: number }
  | { type: 'finals' };

export type WorkerReply =
  /** states: a state buffer for each of this worker's own buses (null when its solver cannot save a warm start). */
  | { type: 'ready'; states: Array<{ bus: number; buffer: SharedArrayBuffer | null }> }
  | { type: 'left' }
  | { type: 'finals'; finals: BusFinal[] }
  | { type: 'error'; message: string; field?: string; fix?: string[]; details?: string[]; exitCode?: number; grid: boolean };

interface BusEntry {
  sub: BusSubproblem;
  solver: BusSubproblemSolver;
  last: BusSolveResult | null;
}

interface WorkerBuses {
  scenario: Scenario;
  layout: CouplingLayout;
  spec: WorkerSpec;
  entries: Array<BusEntry | undefined>;
  /** Per bus, a view of its shared state buffer (null: buses do not move). */
  states: Array<Float64Array | null>;
}

let buses: WorkerBuses | null = null;
const port = parentPort;

if (port) {
  port.on('message', (request: WorkerRequest) => {
    handle(request).then((reply) => { if (reply) port.postMessage(reply); }, (error: unknown) => port.postMessage(errorReply(error)));
  });
}

async function handle(request: WorkerRequest): Promise<WorkerReply | null> {
  switch (request.type) {
    case 'init': {
      const mod = (await import(request.solverModule)) as { createConicSolver: ConicSolverFactory };
      const { scenario, spec } = request;
      const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods, request.convention);
      const entries: Array<BusEntry | undefined> = new Array<BusEntry | undefined>(layout.busCount);
      for (const b of [...spec.lists[spec.index]!, ...spec.spares]) {
        const sub = buildBusSubproblem(scenario, layout, b, spec.rho, spec.scale);
        const offset = layout.localOffset[b]!;
        const dualOffset = spec.dualOffset?.subarray(offset, offset + layout.copyMap[b]!.length) ?? null;
        entries[b] = { sub, solver: createBusSubproblemSolver(sub, mod.createConicSolver, spec.solverSettings, dualOffset, spec.local), last: null };
      }
      buses = { scenario, layout, spec, entries, states: new Array<Float64Array | null>(layout.busCount).fill(null) };
      const states = spec.lists[spec.index]!.map((b) => {
        const size = entries[b]!.solver.stateSize;
        return { bus: b, buffer: size > 0 ? new SharedArrayBuffer(size * Float64Array.BYTES_PER_ELEMENT) : null };
      });
      return { type: 'ready', states };
    }
    case 'states': {
      const group = initialized();
      group.states = request.states.map((buffer) => (buffer ? new Float64Array(buffer) : null));
      return null;
    }
    case 'rounds':
      return roundLoop(initialized(), request.seen);
    case 'finals': {
      const group = initialized();
      const finals: BusFinal[] = [];
      group.entries.forEach((entry, b) => {
        if (entry && group.spec.shared.lastSolver[b] === group.spec.index) finals.push(busFinalOf(group.scenario, entry.sub, entry.last));
      });
      return { type: 'finals', finals };
    }
  }
}

function initialized(): WorkerBuses {
  if (!buses) throw new InternalError('ADMM worker used before init');
  return buses;
}

/**
 * Waits on the shared sequence number (Atomics.wait: a wake-up costs tens of microseconds, a
 * message round trip under load milliseconds) and solves each round it is told to, until LEAVE.
 * A failed round is marked in FAILED and still counted in FINISHED, so the main thread never
 * waits for it; its error is this request's reply.
 */
function roundLoop(group: WorkerBuses, sequenceAtSend: number): WorkerReply {
  const { control } = group.spec.shared;
  // the sequence number when the main thread sent this request: a command given since then is not missed
  let seen = sequenceAtSend;
  for (;;) {
    Atomics.wait(control, RoundControl.SEQUENCE, seen);
    seen = Atomics.load(control, RoundControl.SEQUENCE);
    if (Atomics.load(control, RoundControl.COMMAND) === RoundControl.LEAVE) return { type: 'left' };
    try {
      solveRound(group, Atomics.load(control, RoundControl.ROUND));
    } catch (error) {
      Atomics.store(control, RoundControl.FAILED + group.spec.index, 1);
      finishRound(control);
      throw error;
    }
    finishRound(control);
  }
}

function finishRound(control: Int32Array): void {
  Atomics.add(control, RoundControl.FINISHED, 1);
  Atomics.notify(control, RoundControl.FINISHED);
}

/** One round: this worker's own buses in order, then (if buses can move) spares taken from the end of other lists. */
function solveRound(group: WorkerBuses, round: number): void {
  const { spec, entries, states } = group;
  const { shared, index } = spec;
  const rho = shared.rho[0]!;
  const roundStart = performance.now();
  const claim = (b: number) => Atomics.compareExchange(shared.claims, b, round - 1, round) === round - 1;
  let repeatedSolves = 0;
  let taken = 0;
  const solveBus = (b: number) => {
    const entry = entries[b]!;
    const state = states[b] ?? null;
    const previousSolver = Atomics.load(shared.lastSolver, b);
    if (previousSolver !== index && previousSolver !== -1) {
      if (!state) throw new InternalError(`bus ${b} moved between workers without a state buffer`);
      entry.solver.loadState(state);
    }
    const offset = group.layout.localOffset[b]!;
    const end = offset + group.layout.copyMap[b]!.length;
    const result = entry.solver.solve(shared.zLocal.subarray(offset, end), shared.xi.subarray(offset, end), rho);
    shared.local.set(result.local, offset);
    shared.busCost[b] = result.cost;
    shared.solverIterations[b] = result.solverIterations;
    if (result.repeated) repeatedSolves++;
    entry.last = result;
    if (state) entry.solver.saveState(state);
    Atomics.store(shared.lastSolver, b, index);
  };
  for (const b of spec.lists[index]!) if (claim(b)) solveBus(b);
  if (states.some((s) => s !== null)) {
    for (let k = 1; k < spec.lists.length; k++) {
      const other = spec.lists[(index + k) % spec.lists.length]!;
      for (let j = other.length - 1; j >= 0; j--) {
        const b = other[j]!;
        if (entries[b] && claim(b)) {
          solveBus(b);
          taken++;
        }
      }
    }
  }
  shared.roundStats[3 * index] = repeatedSolves;
  shared.roundStats[3 * index + 1] = taken;
  shared.roundStats[3 * index + 2] = performance.now() - roundStart;
}

function errorReply(error: unknown): WorkerReply {
  if (error instanceof GridError) {
    return { type: 'error', message: error.shortMessage, ...(error.field ? { field: error.field } : {}), fix: error.fix, details: error.details, exitCode: error.exitCode, grid: true };
  }
  return { type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error), grid: false };
}
