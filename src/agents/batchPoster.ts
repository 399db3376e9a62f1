/**
 * The batch poster (docs/run.md §Roles): any participant may play it. Per iteration and chunk it
 * waits for every bus's signed vector, posts one submitIteration with z^k and the compressed
 * duals xi^k, and keeps the state with the bigint mirror (the same step the contract runs; the
 * contract rejects the next batch if they ever differ). After convergence it posts the buses'
 * signed final slices (finalizeSchedule). It holds no private data: a crashed poster resumes
 * from chain state alone.
 */
import type { AdmmIterationInfo } from '../solve/admm/admmOptions.js';
import { parseEventLogs, type HDAccount } from 'viem';
import type { ChainClients } from '../chain/clients.js';
import { fromFixed } from '../chain/fixedPoint.js';
import { chunkRanges, fixedPointCoordinatorStep, type FixedPointState } from '../chain/fixedPointCoordinator.js';
import { admmCoordinatorAbi } from '../chain/artifacts/AdmmCoordinator.js';
import type { CoordinatorConfig } from '../chain/actions/readCoordinatorConfig.js';
import { readCoordinatorState } from '../chain/actions/readCoordinatorState.js';
import { submitIteration } from '../chain/actions/submitIteration.js';
import { finalizeSchedule, type FinalSlice } from '../chain/actions/finalizeSchedule.js';
import { InternalError } from '../core/errors.js';
import type { SignedFinal, VectorInbox } from './vectorInbox.js';
import { tracePhase } from './phaseTrace.js';

/**
 * One posted iteration, residuals and rho as floats (transport scale), with the ADMM trace's
 * fields: iteration is k + 1 after the step, rho is rho^k, cost is Σ of the costs the buses
 * disclosed (NaN if any did not), ms runs from the previous iteration's last receipt to this one's.
 */
export interface PostedIteration extends Pick<AdmmIterationInfo, 'iteration' | 'primalResidual' | 'dualResidual' | 'epsPri' | 'epsDual' | 'rho' | 'cost' | 'ms'> {
  gasUsed: bigint;
  transactions: number;
  /** Largest transaction's gas. */
  maxTransactionGas: bigint;
  converged: boolean;
}

export interface BatchPosterOptions {
  clients: ChainClients;
  account: HDAccount;
  config: CoordinatorConfig;
  inbox: VectorInbox;
  /** Stop (unconverged) once the coordinator reaches this iteration. */
  maxIterations: number;
  signal?: AbortSignal;
  /** Fail when no vector arrives for this long while iteration k waits (default: wait on). */
  stallTimeoutMs?: number;
  onIteration?: (info: PostedIteration) => void;
}

export interface BatchPosterResult {
  state: FixedPointState;
  trace: PostedIteration[];
  converged: boolean;
  /** Iteration the run started from (0 unless resumed). */
  startIteration: number;
}

export async function runBatchPoster(o: BatchPosterOptions): Promise<BatchPosterResult> {
  const { clients, config, inbox } = o;
  const { layout, periodsPerChunk, params } = config;
  const ranges = chunkRanges(layout.periods, periodsPerChunk);
  const onChain = await readCoordinatorState(clients.publicClient, config.address, { config });
  let state: FixedPointState = { z: onChain.z, xi: onChain.xi, rho: onChain.rho, iteration: onChain.iteration, converged: onChain.converged };
  let chunksDone = new Set(onChain.chunksDone);
  const startIteration = Number(state.iteration);
  const trace: PostedIteration[] = [];
  let lastMark = performance.now();
  while (!state.converged && state.iteration < BigInt(o.maxIterations)) {
    const k = state.iteration;
    const rhoUsed = state.rho;
    const localVectors = layout.copyMap.map((m) => new Array<bigint>(m.length).fill(0n));
    let gasUsed = 0n, maxTransactionGas = 0n, transactions = 0, cost = 0;
    let completed: { primalResidualSq: bigint; dualResidualSq: bigint; converged: boolean } | null = null;
    for (let c = 0; c < ranges.length; c++) {
      if (chunksDone.has(c)) continue;
      const [t0, t1] = ranges[c]!;
      const waitStart = performance.now();
      const vectors = await inbox.waitForVectors(k, c, { ...(o.signal ? { signal: o.signal } : {}), ...(o.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: o.stallTimeoutMs }) });
      tracePhase('poster', k, 'waitVectors', waitStart);
      const postStart = performance.now();
      vectors.forEach((v, b) => {
        const copies = layout.busCopyEntries[b]!.length;
        let i = 0;
        for (let j = 0; j < copies; j++) for (let t = t0; t < t1; t++) localVectors[b]![j * layout.periods + t] = v.values[i++]!;
        if (c === 0) cost += v.cost ?? Number.NaN;
      });
      const receipt = await submitIteration({
        clients, account: o.account, address: config.address, layout, periodsPerChunk, chunk: c, iteration: k,
        localVectors, state, signatures: vectors.map((v) => v.signature),
      });
      tracePhase('poster', k, 'post', postStart);
      gasUsed += receipt.gasUsed;
      if (receipt.gasUsed > maxTransactionGas) maxTransactionGas = receipt.gasUsed;
      transactions++;
      const [event] = parseEventLogs({ abi: admmCoordinatorAbi, eventName: 'IterationCompleted', logs: receipt.logs });
      if (event) completed = { primalResidualSq: event.args.primalResidualSq, dualResidualSq: event.args.dualResidualSq, converged: event.args.converged };
    }
    if (!completed) throw new InternalError(`iteration ${k} was posted but emitted no IterationCompleted`);
    let epsPri = Number.NaN, epsDual = Number.NaN;
    if (chunksDone.size === 0) {
      const mirrorStart = performance.now();
      const step = fixedPointCoordinatorStep(layout, state, localVectors, params);
      if (step.converged !== completed.converged || step.primalResidualSq !== completed.primalResidualSq) {
        throw new InternalError(`iteration ${k}: the bigint mirror and the contract disagree (run gridconsensus verify on the coordinator)`);
      }
      state = step.state;
      epsPri = fromFixed(step.epsPri);
      epsDual = fromFixed(step.epsDual);
      tracePhase('poster', k, 'mirror', mirrorStart);
    } else {
      // Resumed in the middle of an iteration: the chunks posted before are only on chain.
      const read = await readCoordinatorState(clients.publicClient, config.address, { config });
      state = { z: read.z, xi: read.xi, rho: read.rho, iteration: read.iteration, converged: read.converged };
      chunksDone = new Set();
    }
    const now = performance.now();
    const info: PostedIteration = {
      iteration: Number(k) + 1,
      primalResidual: Math.sqrt(Number(completed.primalResidualSq)) / 1e9,
      dualResidual: Math.sqrt(Number(completed.dualResidualSq)) / 1e9,
      epsPri, epsDual,
      rho: fromFixed(rhoUsed),
      cost, gasUsed, transactions, maxTransactionGas, ms: now - lastMark, converged: completed.converged,
    };
    lastMark = now;
    trace.push(info);
    o.onIteration?.(info);
  }
  return { state, trace, converged: state.converged, startIteration };
}

/** Posts every bus's signed final slice (bus order; participant = the registered bus account). */
export async function postFinalSchedule(o: {
  clients: ChainClients; account: HDAccount; config: CoordinatorConfig; finals: readonly SignedFinal[];
}): Promise<{ slices: FinalSlice[]; gasUsed: bigint }> {
  const slices: FinalSlice[] = o.finals.map((f) => ({ bus: f.bus, participant: o.config.accounts[f.bus]!, netInjection: f.netInjection, dlmp: f.dlmp }));
  const receipt = await finalizeSchedule({ clients: o.clients, account: o.account, address: o.config.address, slices, signatures: o.finals.map((f) => f.signature) });
  return { slices, gasUsed: receipt.gasUsed };
}
