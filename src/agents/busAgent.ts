/**
 * A bus agent (docs/run.md §Bus agent): its own key, its own bus's devices, nothing else private.
 * Loop: wait until the coordinator (S1) is at an iteration it has not answered, read z^k, xi^k,
 * rho^k from chain (its slice only is used), solve its subproblem (model.md eq. 15), sign the
 * local vector per chunk (EIP-712 LocalVector) and hand it to the batch poster; at convergence
 * sign its final slice (net injection, DLMP). Everything it needs to go on is on chain, so a
 * restarted agent simply resumes at the coordinator's current iteration.
 */
import { threadId } from 'node:worker_threads';
import type { Address } from 'viem';
import { GridError } from '../core/errors.js';
import { connectChainClients } from '../chain/clients.js';
import { fromFixed, toFixed } from '../chain/fixedPoint.js';
import { busStateSlice, chunkLocalVector, chunkRanges } from '../chain/fixedPointCoordinator.js';
import type { CoordinatorConfig } from '../chain/actions/readCoordinatorConfig.js';
import { readIterations } from '../chain/actions/readIterationHistory.js';
import { busPreviousDuals, busStateStep } from './busStateStep.js';
import { IterationFeed } from './iterationFeed.js';
import type { SolverSettings } from '../conic/types.js';
import type { ConicSolverFactory } from '../model/problems/busSubproblemSolver.js';
import type { Scenario } from '../scenario/types.js';
import { createBusGroup, type BusFinal, type BusGroupSpec } from '../solve/admm/busGroup.js';
import { accountOfKey, type AgentKey } from './agentKeys.js';
import { signFinalSlice, signLocalVector } from './coordinatorTypedData.js';
import type { SignedFinal, VectorOutbox } from './vectorInbox.js';
import { tracePhase } from './phaseTrace.js';

/** What a bus needs besides its devices: transport scale, solver settings, its dual warm start. */
export interface BusAgentSettings {
  scale: BusGroupSpec['scale'];
  solverSettings: Partial<SolverSettings>;
  /** Local, protocol-neutral settings (proximal damping: the next solve depends on the previous one). */
  local: BusGroupSpec['local'];
  /** This bus's slice of the zero-sum dual warm start (from the public price forecast), or null. */
  dualOffset: Float64Array | null;
}

export interface BusAgentOptions {
  bus: number;
  key: AgentKey;
  rpcUrl: string;
  coordinator: Address;
  /** The feeder (public) with at least this bus's devices; other buses' devices are not read. */
  scenario: Scenario;
  settings: BusAgentSettings;
  outbox: VectorOutbox;
  createSolver: ConicSolverFactory;
  /** Shared chain reads for agents in one thread (default: this agent runs its own feed). */
  feed?: IterationFeed;
  /**
   * How long a wait for the next iteration may see no coordinator activity before the agent stops
   * with a GridError (its own feed only; a shared feed has its own): default 10 min.
   */
  stallTimeoutMs?: number;
  /** The run's iteration cap: the agent stops once the coordinator reaches it unconverged. */
  maxIterations?: number;
  signal?: AbortSignal;
  /** After each solve: iteration answered and the solve's wall time. */
  onSolved?: (info: { bus: number; iteration: bigint; ms: number }) => void;
}

export interface BusAgentResult {
  bus: number;
  /** Iterations this agent answered (since it started). */
  solved: number;
  converged: boolean;
  /** The coordinator's iteration when the agent stopped. */
  iteration: bigint;
}

/** Runs one bus agent until convergence (then signs its final slice), the iteration cap or abort. */
export async function runBusAgent(o: BusAgentOptions): Promise<BusAgentResult> {
  // Without a shared feed the agent asks the node for its chain id: it signs EIP-712 vectors for that chain.
  const feed = o.feed ?? new IterationFeed(await connectChainClients(o.rpcUrl), o.coordinator, o.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: o.stallTimeoutMs });
  try {
    return await runWithFeed(o, feed);
  } finally {
    if (!o.feed) await feed.close();
  }
}

async function runWithFeed(o: BusAgentOptions, feed: IterationFeed): Promise<BusAgentResult> {
  const who = `t${threadId}/bus${o.bus}`;
  const wait = { who: `bus ${o.bus}`, ...(o.signal ? { signal: o.signal } : {}) };
  let mark = performance.now();
  const account = accountOfKey(o.key);
  tracePhase(who, -1, 'key', mark);
  const chainId = feed.clients.chain.id;
  mark = performance.now();
  const config = await feed.config();
  tracePhase(who, -1, 'config', mark);
  const { layout } = config;
  if (o.bus < 0 || o.bus >= layout.busCount) {
    throw new GridError(`bus ${o.bus} is not on the coordinator's feeder (${layout.busCount} buses)`, { field: '--bus', fix: [`use 0 .. ${layout.busCount - 1}`] });
  }
  const registered = config.accounts[o.bus];
  if (registered && registered.toLowerCase() !== account.address.toLowerCase()) {
    throw new GridError(`bus ${o.bus} is registered to ${registered}, this agent's key is ${account.address}`, {
      field: '--key', fix: ['use the key the bus was registered with (for a local run: --mnemonic with the run\'s mnemonic)'],
    });
  }
  if (o.scenario.buses.length !== layout.busCount || o.scenario.periods !== layout.periods) {
    throw new GridError(`the scenario has ${o.scenario.buses.length} buses × ${o.scenario.periods} periods, the coordinator ${layout.busCount} × ${layout.periods}`, {
      field: '--scenario', fix: ['give the scenario the coordinator was deployed for'],
    });
  }
  mark = performance.now();
  const group = createBusGroup(o.scenario, layout, {
    buses: [o.bus], rho: fromFixed(config.params.rho0), scale: o.settings.scale,
    solverSettings: o.settings.solverSettings, local: o.settings.local, dualOffset: o.settings.dualOffset,
  }, o.createSolver);
  tracePhase(who, -1, 'build', mark);
  mark = performance.now();
  // A bus's solve may depend on its previous one (proximal damping), so an agent that starts late
  // (a restart after a crash) first replays every past iteration from the chain's calldata.
  const replayed = await replayHistory(o, config, group, feed, (await feed.waitForIteration(0n, wait)).iteration);
  tracePhase(who, -1, 'replay', mark);
  const ranges = chunkRanges(layout.periods, config.periodsPerChunk);
  let next = 0n;
  let solved = 0;
  // The duals this agent stepped to for an iteration, checked against the calldata that posts them.
  let stepped: { iteration: bigint; xi: bigint[] } | null = null;
  for (;;) {
    const status = await feed.waitForIteration(next, wait);
    if (status.converged) break;
    if (o.maxIterations !== undefined && status.iteration >= BigInt(o.maxIterations)) {
      // Unconverged at the cap: the slice is still signed (finalizeSchedule refuses it on chain)
      // so the run can report the last schedule.
      if (solved > 0 || replayed > 0) await o.outbox.sendFinal(await finalOf(group.finals()[0]!, o, account, chainId));
      return { bus: o.bus, solved, converged: false, iteration: status.iteration };
    }
    const k = status.iteration;
    let slice: { z: bigint[]; xi: bigint[] };
    let rho: bigint;
    if (k === 0n) {
      slice = busStateSlice(layout, { z: config.initialZ, xi: new Array<bigint>(layout.totalCopies).fill(0n) }, o.bus);
      rho = config.params.rho0;
    } else {
      const inputs = await feed.inputsFor(k);
      if (inputs.converged) break;
      const stepStart = performance.now();
      if (stepped && stepped.iteration === inputs.iteration) checkSteppedDuals(o.bus, stepped, busPreviousDuals(layout, inputs.xiPrev, o.bus));
      slice = busStateStep(layout, config.params, inputs, o.bus);
      checkSteppedZ(o.bus, k, slice.z, layout.copyMap[o.bus]!, inputs.zNext);
      stepped = { iteration: k, xi: slice.xi };
      rho = inputs.nextRho;
      tracePhase(who, k, 'step', stepStart);
    }
    const started = performance.now();
    const out = group.solve(Float64Array.from(slice.z, fromFixed), Float64Array.from(slice.xi, fromFixed), fromFixed(rho));
    const local = Array.from(out.local, (v, j) => toFixed(v, `bus ${o.bus} local value ${j}`));
    tracePhase(who, k, 'solve', started);
    for (let c = 0; c < ranges.length; c++) {
      const signStart = performance.now();
      const values = chunkLocalVector(layout, o.bus, local, ranges[c]!);
      const signature = await signLocalVector({ account, chainId, coordinator: o.coordinator, iteration: k, bus: o.bus, chunk: c, values });
      tracePhase(who, k, 'sign', signStart);
      const sendStart = performance.now();
      await o.outbox.sendVector({ bus: o.bus, iteration: k, chunk: c, values, signature, cost: out.cost[0]! });
      tracePhase(who, k, 'send', sendStart);
    }
    solved++;
    o.onSolved?.({ bus: o.bus, iteration: k, ms: performance.now() - started });
    next = k + 1n;
  }
  // The feed's newest status (the converged iteration + 1), shared by the thread's agents.
  const status = await feed.waitForIteration(next, wait);
  if (solved === 0 && replayed === 0) {
    throw new GridError(`bus ${o.bus} has nothing to sign: the run converged before any iteration`, { field: '--coordinator', fix: ['check the coordinator address'] });
  }
  // Sent even when the schedule is already committed (a resumed run reports and settles from it).
  await o.outbox.sendFinal(await finalOf(group.finals()[0]!, o, account, chainId));
  return { bus: o.bus, solved, converged: true, iteration: status.iteration };
}

/** The contract emitted z^k: the slice this agent stepped to must be that (else the mirror is wrong). */
function checkSteppedZ(bus: number, k: bigint, z: readonly bigint[], map: Int32Array, zNext: ArrayLike<bigint>): void {
  for (let i = 0; i < z.length; i++) {
    if (z[i] !== zNext[map[i]!]) throw mirrorDisagrees(`bus ${bus} stepped z[${map[i]}] of iteration ${k} to ${z[i]}, the contract emitted ${zNext[map[i]!]}`);
  }
}

/** The duals of iteration k posted (and hash-checked by the contract) must be those the agent stepped to. */
function checkSteppedDuals(bus: number, stepped: { iteration: bigint; xi: bigint[] }, posted: readonly bigint[]): void {
  for (let i = 0; i < posted.length; i++) {
    if (posted[i] !== stepped.xi[i]) throw mirrorDisagrees(`bus ${bus} stepped its dual ${i} of iteration ${stepped.iteration} to ${stepped.xi[i]}, the posted one is ${posted[i]}`);
  }
}

function mirrorDisagrees(what: string): GridError {
  return new GridError(`${what}: the agents' coordinator step and the contract disagree`, {
    field: 'coordinator', fix: ['report this with the coordinator address (gridconsensus verify replays every step)'],
  });
}

/**
 * Re-solves every completed iteration (z^i, xi^i, rho^i from its calldata) so the agent's local
 * state is what it would be had it never stopped; returns the number of iterations replayed.
 */
async function replayHistory(o: BusAgentOptions, config: CoordinatorConfig, group: ReturnType<typeof createBusGroup>, feed: IterationFeed, iteration: bigint): Promise<number> {
  if (iteration === 0n) return 0;
  const records = await readIterations(feed.clients.publicClient, config, { fromBlock: config.deployBlock });
  let replayed = 0;
  for (const record of records) {
    if (!record.complete) continue;
    // The feed's next log read starts at the newest completion instead of the deployment.
    feed.sawCompleted(record.iteration, record.transactions.reduce((max, t) => (t.blockNumber > max ? t.blockNumber : max), config.deployBlock));
    const slice = busStateSlice(config.layout, { z: record.zPrev, xi: record.xiPrev }, o.bus);
    group.solve(Float64Array.from(slice.z, fromFixed), Float64Array.from(slice.xi, fromFixed), fromFixed(record.rho));
    replayed++;
  }
  return replayed;
}

/** The bus's final slice from its last solve: net injection (p.u.) and DLMP (per MWh → per p.u.·h). */
async function finalOf(final: BusFinal, o: BusAgentOptions, account: ReturnType<typeof accountOfKey>, chainId: number): Promise<SignedFinal> {
  const netInjection = final.injectionP.map((p, t) => toFixed(p, `bus ${o.bus} net injection[${t}]`));
  const dlmp = final.price.map((price, t) => toFixed(price * o.scenario.baseMva, `bus ${o.bus} DLMP[${t}]`));
  const signature = await signFinalSlice({ account, chainId, coordinator: o.coordinator, bus: o.bus, netInjection, dlmp });
  return { bus: o.bus, netInjection, dlmp, signature, report: final };
}
