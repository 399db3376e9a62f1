/**
 * A bus agent (docs/run.md §Bus agent): its own key, its own bus's devices, nothing else private.
 * Loop: wait until the coordinator (S1) is at an iteration it has not answered, read z^k, xi^k,
 * rho^k from chain (its slice only is used), solve its subproblem (model.md eq. 15), sign the
 * local vector per chunk (EIP-712 LocalVector) and hand it to the batch poster; at convergence
 * sign its final slice (net injection, DLMP). Everything it needs to go on is on chain, so a
 * restarted agent simply resumes at the coordinator's current iteration.
 */
import type { Address } from 'viem';
import { GridError } from '../core/errors.js';
import { createChainClients, type ChainClients } from '../chain/clients.js';
import { fromFixed, toFixed } from '../chain/fixedPoint.js';
import { busStateSlice, chunkLocalVector, chunkRanges, chunkStateHash, fixedPointCoordinatorStep, initialFixedPointState, type FixedPointState } from '../chain/fixedPointCoordinator.js';
import { readCoordinatorConfig, type CoordinatorConfig } from '../chain/actions/readCoordinatorConfig.js';
import { readCoordinatorState, readCoordinatorStatus, type CoordinatorStatus } from '../chain/actions/readCoordinatorState.js';
import { readStepInputs } from './readStepInputs.js';
import { readIterations } from '../chain/actions/readIterationHistory.js';
import { waitForIteration } from '../chain/actions/waitForIteration.js';
import type { SolverSettings } from '../conic/types.js';
import type { ConicSolverFactory } from '../model/problems/busSubproblemSolver.js';
import type { Scenario } from '../scenario/types.js';
import { createBusGroup, type BusFinal, type BusGroupSpec } from '../solve/admm/busGroup.js';
import { accountOfKey, type AgentKey } from './agentKeys.js';
import { signFinalSlice, signLocalVector } from './coordinatorTypedData.js';
import type { SignedFinal, VectorOutbox } from './vectorInbox.js';

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
  /** Shared chain reads for agents in one thread (default: this agent reads alone). */
  stateReader?: CoordinatorStateReader;
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

/**
 * Reads the coordinator's state once per iteration for every agent of one thread (the state is
 * public; sharing the read saves recomputing the dual update per agent).
 */
export class CoordinatorStateReader {
  private latest: Promise<FixedPointState> | null = null;
  private latestIteration = -1n;
  private configPromise: Promise<CoordinatorConfig> | null = null;
  private readonly waits = new Map<bigint, Promise<CoordinatorStatus>>();

  constructor(readonly clients: ChainClients, readonly coordinator: Address) {}

  config(): Promise<CoordinatorConfig> {
    this.configPromise ??= readCoordinatorConfig(this.clients.publicClient, this.coordinator);
    return this.configPromise;
  }

  /** One status poll per target iteration for every agent of the thread (not one per agent). */
  waitForIteration(atLeast: bigint, signal?: AbortSignal): Promise<CoordinatorStatus> {
    let pending = this.waits.get(atLeast);
    if (!pending) {
      pending = waitForIteration(this.clients.publicClient, this.coordinator, atLeast, {
        pollingIntervalMs: 10, timeoutMs: 3_600_000, ...(signal ? { signal } : {}),
      }).finally(() => this.waits.delete(atLeast));
      this.waits.set(atLeast, pending);
    }
    return pending;
  }

  /**
   * z^k, xi^k, rho^k at `status.iteration` = k: the initial state at k = 0, otherwise one mirror
   * step from iteration k − 1's calldata (readStepInputs), computed once per k for the thread.
   */
  read(status: CoordinatorStatus): Promise<FixedPointState> {
    if (this.latest && this.latestIteration === status.iteration) return this.latest;
    const pending = this.compute(status);
    this.latest = pending;
    this.latestIteration = status.iteration;
    pending.catch(() => { if (this.latest === pending) { this.latest = null; this.latestIteration = -1n; } });
    return pending;
  }

  private async compute(status: CoordinatorStatus): Promise<FixedPointState> {
    const config = await this.config();
    const k = status.iteration;
    if (k === 0n) return initialFixedPointState(config.layout, config.params.rho0, config.initialZ);
    for (let attempt = 0; attempt < 50; attempt++) {
      const inputs = await readStepInputs(this.clients.publicClient, config, k - 1n);
      if (inputs) {
        const prior: FixedPointState = { z: inputs.zPrev, xi: inputs.xiPrev, rho: inputs.rho, iteration: k - 1n, converged: false };
        const next = fixedPointCoordinatorStep(config.layout, prior, inputs.localVectors, config.params).state;
        const ranges = chunkRanges(config.layout.periods, config.periodsPerChunk);
        // The contract emitted the hash of z^k, xi^k: the state used for solving must match it.
        ranges.forEach((range, c) => {
          const mine = chunkStateHash(config.layout, next, range);
          if (mine !== inputs.chunkHashes[c]) {
            throw new GridError(`chunk ${c} of iteration ${k}: the state rebuilt from calldata hashes to ${mine}, the contract emitted ${inputs.chunkHashes[c]}`, {
              field: 'coordinator', fix: ['the bigint mirror and the contract disagree: report this with the coordinator address'],
            });
          }
        });
        return { ...next, rho: status.rho, iteration: k, converged: status.converged };
      }
      // The node answered the status before its logs showed the iteration: ask again shortly.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const full = await readCoordinatorState(this.clients.publicClient, this.coordinator, { config });
    return { z: full.z, xi: full.xi, rho: full.rho, iteration: full.iteration, converged: full.converged };
  }
}

/** Runs one bus agent until convergence (then signs its final slice), the iteration cap or abort. */
export async function runBusAgent(o: BusAgentOptions): Promise<BusAgentResult> {
  const account = accountOfKey(o.key);
  const reader = o.stateReader ?? new CoordinatorStateReader(createChainClients(o.rpcUrl), o.coordinator);
  const client = reader.clients.publicClient;
  const chainId = reader.clients.chain.id;
  const config = await reader.config();
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
  const group = createBusGroup(o.scenario, layout, {
    buses: [o.bus], rho: fromFixed(config.params.rho0), scale: o.settings.scale,
    solverSettings: o.settings.solverSettings, local: o.settings.local, dualOffset: o.settings.dualOffset,
  }, o.createSolver);
  // A bus's solve may depend on its previous one (proximal damping), so an agent that starts late
  // (a restart after a crash) first replays every past iteration from the chain's calldata.
  const replayed = await replayHistory(o, config, group, client);
  const ranges = chunkRanges(layout.periods, config.periodsPerChunk);
  let next = 0n;
  let solved = 0;
  for (;;) {
    const status = await reader.waitForIteration(next, o.signal);
    if (status.converged) break;
    if (o.maxIterations !== undefined && status.iteration >= BigInt(o.maxIterations)) {
      // Unconverged at the cap: the slice is still signed (finalizeSchedule refuses it on chain)
      // so the run can report the last schedule.
      if (solved > 0 || replayed > 0) await o.outbox.sendFinal(await finalOf(group.finals()[0]!, o, account, chainId));
      return { bus: o.bus, solved, converged: false, iteration: status.iteration };
    }
    const state = await reader.read(status);
    if (state.converged) break;
    const started = performance.now();
    const slice = busStateSlice(layout, state, o.bus);
    const out = group.solve(Float64Array.from(slice.z, fromFixed), Float64Array.from(slice.xi, fromFixed), fromFixed(state.rho));
    const local = Array.from(out.local, (v, j) => toFixed(v, `bus ${o.bus} local value ${j}`));
    for (let c = 0; c < ranges.length; c++) {
      const values = chunkLocalVector(layout, o.bus, local, ranges[c]!);
      const signature = await signLocalVector({ account, chainId, coordinator: o.coordinator, iteration: state.iteration, bus: o.bus, chunk: c, values });
      await o.outbox.sendVector({ bus: o.bus, iteration: state.iteration, chunk: c, values, signature, cost: out.cost[0]! });
    }
    solved++;
    o.onSolved?.({ bus: o.bus, iteration: state.iteration, ms: performance.now() - started });
    next = state.iteration + 1n;
  }
  const status = await readCoordinatorStatus(client, o.coordinator);
  if (solved === 0 && replayed === 0) {
    throw new GridError(`bus ${o.bus} has nothing to sign: the run converged before any iteration`, { field: '--coordinator', fix: ['check the coordinator address'] });
  }
  // Sent even when the schedule is already committed (a resumed run reports and settles from it).
  await o.outbox.sendFinal(await finalOf(group.finals()[0]!, o, account, chainId));
  return { bus: o.bus, solved, converged: true, iteration: status.iteration };
}

/**
 * Re-solves every completed iteration (z^i, xi^i, rho^i from its calldata) so the agent's local
 * state is what it would be had it never stopped; returns the number of iterations replayed.
 */
async function replayHistory(o: BusAgentOptions, config: CoordinatorConfig, group: ReturnType<typeof createBusGroup>, client: ChainClients['publicClient']): Promise<number> {
  const status = await readCoordinatorStatus(client, o.coordinator);
  if (status.iteration === 0n) return 0;
  const records = await readIterations(client, config, { fromBlock: config.deployBlock });
  let replayed = 0;
  for (const record of records) {
    if (!record.complete) continue;
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
