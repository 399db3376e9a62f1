/**
 * Worker-thread entry: keeps one BusGroup (its buses' subproblems and solvers, so a bus's
 * private data stays here) and answers the main thread's messages. Only z/xi/rho slices come in
 * and local vectors go out per iteration; device setpoints leave once, at the end.
 */
import { parentPort } from 'node:worker_threads';
import { GridError } from '../../core/errors.js';
import type { Scenario } from '../../scenario/types.js';
import { buildCouplingLayout, type BranchFlowConvention } from '../../model/coupling/couplingLayout.js';
import type { ConicSolverFactory } from '../../model/problems/busSubproblemSolver.js';
import { createBusGroup, type BusGroup, type BusGroupSpec } from './busGroup.js';

export type WorkerRequest =
  | { type: 'init'; scenario: Scenario; convention: BranchFlowConvention; spec: BusGroupSpec; solverModule: string }
  | { type: 'solve'; zLocal: Float64Array; xi: Float64Array; rho: number }
  | { type: 'finals' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'solved'; local: Float64Array; cost: Float64Array; solverIterations: Int32Array; repeatedSolves: number }
  | { type: 'finals'; finals: ReturnType<BusGroup['finals']> }
  | { type: 'error'; message: string; field?: string; fix?: string[]; details?: string[]; exitCode?: number; grid: boolean };

let group: BusGroup | null = null;
const port = parentPort;

if (port) {
  port.on('message', (request: WorkerRequest) => {
    handle(request).then((reply) => port.postMessage(reply), (error: unknown) => port.postMessage(errorReply(error)));
  });
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'init': {
      const mod = (await import(request.solverModule)) as { createConicSolver: ConicSolverFactory };
      const { scenario } = request;
      const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods, request.convention);
      group = createBusGroup(scenario, layout, request.spec, mod.createConicSolver);
      return { type: 'ready' };
    }
    case 'solve': {
      if (!group) throw new Error('solve before init');
      const out = group.solve(request.zLocal, request.xi, request.rho);
      return { type: 'solved', local: out.local, cost: out.cost, solverIterations: out.solverIterations, repeatedSolves: out.repeatedSolves };
    }
    case 'finals': {
      if (!group) throw new Error('finals before init');
      return { type: 'finals', finals: group.finals() };
    }
  }
}

function errorReply(error: unknown): WorkerReply {
  if (error instanceof GridError) {
    return { type: 'error', message: error.shortMessage, ...(error.field ? { field: error.field } : {}), fix: error.fix, details: error.details, exitCode: error.exitCode, grid: true };
  }
  return { type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error), grid: false };
}
