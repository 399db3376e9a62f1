/**
 * A set of buses whose subproblems live in one place (the main thread, or one worker): built
 * once, re-solved every iteration from their local slices of z and xi. The same code runs
 * in-process and in a worker, so both give identical iterates.
 */
import { InternalError } from '../../core/errors.js';
import type { SolverSettings } from '../../conic/types.js';
import type { Scenario } from '../../scenario/types.js';
import type { DeviceSchedule } from '../../schedule/schedule.js';
import type { CouplingLayout } from '../../model/coupling/couplingLayout.js';
import { buildBusSubproblem, type BusSubproblem, type CouplingScale, type EntryScale } from '../../model/problems/busSubproblem.js';
import {
  createBusSubproblemSolver, type BusLocalSettings, type BusSolveResult, type BusSubproblemSolver, type ConicSolverFactory,
} from '../../model/problems/busSubproblemSolver.js';
import { extractDevice } from '../central/extractSchedule.js';

export interface BusGroupSpec {
  buses: number[];
  rho: number;
  /** Transport factor per quantity or per coupling entry (admmEntryScale). */
  scale: CouplingScale | EntryScale;
  solverSettings: Partial<SolverSettings>;
  /** Zero-sum dual warm start for the group's local values, concatenated (priceForecast.ts); null for none. */
  dualOffset: Float64Array | null;
  /** Local, protocol-neutral settings of every bus (proximal damping). */
  local: BusLocalSettings;
}

/** What one iteration returns for the group's buses, concatenated in the group's bus order. */
export interface BusGroupIteration {
  /** Local vectors of the group's buses, concatenated. */
  local: Float64Array;
  /** Own cost of each bus. */
  cost: Float64Array;
  /** Interior-point iterations of each bus's solve. */
  solverIterations: Int32Array;
  /** Buses whose solves both failed, so they repeated their previous local vector. */
  repeatedSolves: number;
}

/** A bus's final values, read from its last solve. */
export interface BusFinal {
  bus: number;
  injectionP: number[];
  injectionQ: number[];
  price: number[];
  reactivePrice: number[];
  pFlow: number[];
  qFlow: number[];
  currentSq: number[];
  voltageSq: number[];
  devices: DeviceSchedule[];
  cost: number;
}

export interface BusGroup {
  /** Number of local values of the group (the length of `zLocal`, `xiLocal` and `local`). */
  localSize: number;
  solve(zLocal: Float64Array, xiLocal: Float64Array, rho: number): BusGroupIteration;
  /** The group's buses at their last solve. */
  finals(): BusFinal[];
}

export function createBusGroup(scenario: Scenario, layout: CouplingLayout, spec: BusGroupSpec, createSolver: ConicSolverFactory): BusGroup {
  const subs: BusSubproblem[] = spec.buses.map((b) => buildBusSubproblem(scenario, layout, b, spec.rho, spec.scale));
  const sizes = spec.buses.map((b) => layout.copyMap[b]!.length);
  const starts = sizes.map((_, k) => sizes.slice(0, k).reduce((a, n) => a + n, 0));
  const solvers: BusSubproblemSolver[] = subs.map((s, k) => createBusSubproblemSolver(
    s, createSolver, spec.solverSettings, spec.dualOffset?.subarray(starts[k]!, starts[k]! + sizes[k]!), spec.local,
  ));
  const localSize = sizes.reduce((a, n) => a + n, 0);
  const last: Array<BusSolveResult | null> = subs.map(() => null);

  return {
    localSize,
    solve(zLocal, xiLocal, rho) {
      const local = new Float64Array(localSize);
      const cost = new Float64Array(subs.length);
      const solverIterations = new Int32Array(subs.length);
      let offset = 0;
      let repeatedSolves = 0;
      for (let k = 0; k < subs.length; k++) {
        const n = sizes[k]!;
        const result = solvers[k]!.solve(zLocal.subarray(offset, offset + n), xiLocal.subarray(offset, offset + n), rho);
        local.set(result.local, offset);
        cost[k] = result.cost;
        solverIterations[k] = result.solverIterations;
        if (result.repeated) repeatedSolves++;
        last[k] = result;
        offset += n;
      }
      return { local, cost, solverIterations, repeatedSolves };
    },
    finals() {
      return subs.map((sub, k) => busFinalOf(scenario, sub, last[k]!));
    },
  };
}

/** A bus's final values from its last solve (in-process groups and worker groups alike). */
export function busFinalOf(scenario: Scenario, sub: BusSubproblem, result: BusSolveResult | null): BusFinal {
  if (!result) throw new InternalError(`bus ${sub.bus} was never solved`);
  const { periods, dtHours } = scenario;
  const x = result.x;
  const read = (cols: Int32Array | null) => Array.from({ length: periods }, (_, t) => (cols ? x[cols[t]!]! : 0));
  return {
    bus: sub.bus,
    injectionP: Array.from(result.injectionP),
    injectionQ: Array.from(result.injectionQ),
    price: Array.from(result.price),
    reactivePrice: Array.from(result.reactivePrice),
    pFlow: read(sub.line?.pFlow ?? null),
    qFlow: read(sub.line?.qFlow ?? null),
    currentSq: read(sub.line?.currentSq ?? null),
    voltageSq: read(sub.voltageSq),
    devices: sub.devices.devices.map((h) => extractDevice(h, x, periods, dtHours)),
    cost: result.cost,
  };
}
