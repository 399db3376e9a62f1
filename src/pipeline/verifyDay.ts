/**
 * The independent verifier (issue 6 item 4, docs/verify.md): from chain data alone plus the public
 * case file, re-derive every coordinator step of S1 with the bigint mirror, check the
 * convergence claim, the final schedule against the network model and the devices' limits, the
 * committed DLMPs against the consensus duals, and (optionally) the bills of S2. Trusts only the node it reads from and the case file; never the party that ran the day.
 */
import { localVectorDigest } from '../chain/localVectorDigest.js';
import { fadedPenaltyFactor, localSettingsFade } from '../model/problems/busSubproblemSolver.js';
import { bytesToHex, createPublicClient, hexToBytes, http, keccak256, recoverAddress, toHex, type Address, type Hex } from 'viem';
import { GridError } from '../core/errors.js';
import type { CouplingLayout } from '../model/coupling/couplingLayout.js';
import { resolveAdmmOptions, type AdmmOptions } from '../solve/admm/admmOptions.js';
import { admmEntryScale } from '../solve/admm/entryWeights.js';
import { admmDualOffsets } from '../solve/admm/runAdmm.js';
import { parentsOfLayout } from '../chain/coordinatorLayout.js';
import { admmCoordinatorBytecode } from '../chain/artifacts/AdmmCoordinator.js';
import { loadScenario } from '../scenario/io.js';
import type { Scenario } from '../scenario/types.js';
import { fromFixed, packInt64 } from '../chain/fixedPoint.js';
import {
  chunkLocalVector, chunkRanges, chunkStateHash, fixedPointCoordinatorStep, initialFixedPointState, stateHash,
  type FixedPointState, type FixedPointStepResult,
} from '../chain/fixedPointCoordinator.js';
import { readFinalSchedule } from '../settlement/actions/readFinalSchedule.js';
import type { ParticipantDayBill, ScheduleSlice } from '../settlement/types.js';
import { readCoordinatorHistory, type CoordinatorHistory, type VerifyClient } from './verifyChainData.js';
import { checkScheduleAgainstNetwork, type NetworkDiscrepancy } from './verifyScheduleAgainstNetwork.js';
import { verifyBilling } from './verifyBilling.js';
import { checkInjectionLimits } from './verifyInjectionLimits.js';
import { checkPricesAgainstDuals } from './verifyPrices.js';
import { describeLocation, type CheckLocation, type VerifyCheck } from './verifyTypes.js';

export type { VerifyCheck, CheckLocation, CheckStatus } from './verifyTypes.js';
export { describeLocation } from './verifyTypes.js';

export interface VerifyDayOptions {
  rpcUrl: string;
  coordinator: Address;
  /** The public case: a path, a built-in name (e.g. "sce56-paper") or a Scenario. */
  caseOrScenario: string | Scenario;
  /** Seed of a built-in "-paper" scenario. */
  seed?: number;
  /** The Billing contract (S2) whose bills for this day to check. */
  billing?: Address;
  /** First block to read events from (default 0). */
  fromBlock?: bigint;
  /**
   * The public ADMM options of the run (default: the defaults), for the transport scale of z
   * (docs/admm.md §Weights (protocol-neutral)), the dual warm start and the local penalty factors
   * the price check needs (docs/verify.md §Prices); `entryScale` gives the scale itself per entry.
   */
  admm?: AdmmOptions;
  entryScale?: ArrayLike<number>;
  /** Schedule tolerances; defaults scale with the final primal residual (docs/verify.md). */
  tolerance?: { balance?: number; voltage?: number };
  /** Recover every bus signature (default true). */
  checkSignatures?: boolean;
  /** Called with each check as it completes (progress output). */
  onCheck?: (check: VerifyCheck) => void;
}

export interface VerifyDayResult {
  ok: boolean;
  checks: VerifyCheck[];
  /** The first failed check (its `at` names the iteration/bus/period/field). */
  firstFailure: VerifyCheck | null;
  iterations: number;
  /** The replayed final state hash. */
  stateHash: Hex | null;
  slices: ScheduleSlice[];
  bills: ParticipantDayBill[];
}

/** One line of text per check: `PASS  title: detail [where]`. */
export function formatCheck(c: VerifyCheck): string {
  const where = describeLocation(c.at);
  return `${c.status.toUpperCase().padEnd(4)}  ${c.title}: ${c.detail}${where ? ` [${where}]` : ''}`;
}

/**
 * Runs every check of docs/verify.md in order and returns them all; `firstFailure` is the first
 * discrepancy. Throws a GridError only for bad input (case, address) or an unreachable node.
 */
export async function verifyDay(options: VerifyDayOptions): Promise<VerifyDayResult> {
  const scenario = typeof options.caseOrScenario === 'string'
    ? loadScenario(options.caseOrScenario, options.seed === undefined ? {} : { seed: options.seed })
    : options.caseOrScenario;
  const client = createPublicClient({ transport: http(options.rpcUrl, { retryCount: 1, timeout: 60_000 }) }) as unknown as VerifyClient;
  const checks: VerifyCheck[] = [];
  const push = (c: VerifyCheck) => { checks.push(c); options.onCheck?.(c); };
  const result = (extra: Partial<VerifyDayResult> = {}): VerifyDayResult => {
    const firstFailure = checks.find((c) => c.status === 'fail') ?? null;
    return { ok: firstFailure === null, checks, firstFailure, iterations: 0, stateHash: null, slices: [], bills: [], ...extra };
  };

  try {
    await client.getChainId();
  } catch (err) {
    throw new GridError(`cannot reach an Ethereum node at ${options.rpcUrl}`, { field: '--rpc-url', fix: ['start the node or give its JSON-RPC URL'], cause: err, exitCode: 69 });
  }
  const history = await readCoordinatorHistory(client, options.coordinator, options.fromBlock);
  const busName = (b: number) => scenario.buses[b]?.id ?? String(b);

  // 1. The chain's network is the case's network.
  const { layout, periodsPerChunk } = history.config;
  const chainParents = parentsOfLayout(layout).map((p, k) => (k === 0 ? -1 : p));
  const treeMismatch = scenario.buses.length !== chainParents.length ? -1 : scenario.buses.findIndex((b, k) => b.parent !== chainParents[k]);
  if (scenario.buses.length !== chainParents.length || treeMismatch >= 0 || scenario.periods !== layout.periods) {
    push({
      id: 'network.layout', title: 'the coordinator runs the case\'s network', status: 'fail',
      detail: scenario.buses.length !== chainParents.length
        ? `the coordinator has ${chainParents.length} buses, the case ${scenario.buses.length}`
        : treeMismatch >= 0 ? `bus ${treeMismatch} hangs below bus ${chainParents[treeMismatch]} on chain, below ${scenario.buses[treeMismatch]!.parent} in the case`
          : `the coordinator has ${layout.periods} periods, the case ${scenario.periods}`,
      at: treeMismatch >= 0 ? { bus: treeMismatch, busName: busName(treeMismatch), field: 'parent' } : { field: 'periods' },
    });
    return result();
  }
  push({ id: 'network.layout', title: 'the coordinator runs the case\'s network', status: 'pass', detail: `${layout.busCount} buses, ${layout.periods} periods, ${layout.totalCopies} local values, ${history.config.chunkCount} chunk(s) per iteration` });

  // The contract is the project's AdmmCoordinator: created by a plain transaction from its artifact.
  const sameCode = history.creationInput !== null && history.creationInput.toLowerCase().startsWith(admmCoordinatorBytecode.toLowerCase());
  push(sameCode
    ? { id: 'contract.code', title: 'S1 runs the published AdmmCoordinator code', status: 'pass', detail: 'created by a plain transaction whose code is src/chain/artifacts/AdmmCoordinator.ts plus constructor arguments' }
    : { id: 'contract.code', title: 'S1 runs the published AdmmCoordinator code', status: 'fail', detail: history.creationInput === null ? 'the contract was not created by a plain creation transaction (factory or unknown)' : 'its creation code differs from this version\'s AdmmCoordinator artifact (deployed by another gridconsensus version, or other code): verify with the version that ran the day', at: { field: 'creation code' } });

  // 2. Replay every iteration with the bigint mirror.
  const replay = await replayIterations(history, layout, busName, options.checkSignatures ?? true);
  for (const c of replay.checks) push(c);
  const final = replay.state;

  // 3. The contract's present state is the replayed one.
  const replayedHash = stateHash(layout, final, periodsPerChunk);
  const statusMatches = history.status.iteration === final.iteration && history.status.rho === final.rho && history.status.converged === final.converged;
  push(history.stateHash === replayedHash && statusMatches
    ? { id: 'aggregator.finalState', title: 'stored state = replayed state', status: 'pass', detail: `stateHash ${replayedHash} after ${final.iteration} iterations, rho ${fromFixed(final.rho)}` }
    : {
      id: 'aggregator.finalState', title: 'stored state = replayed state', status: 'fail',
      detail: statusMatches
        ? `the contract's stateHash() is ${history.stateHash}, replaying its own events and calldata gives ${replayedHash}`
        : `the contract reports iteration ${history.status.iteration}, rho ${history.status.rho}, converged ${history.status.converged}; the replay gives ${final.iteration}, ${final.rho}, ${final.converged}`,
      at: { iteration: Number(final.iteration), field: statusMatches ? 'chunkStateHash' : 'status' },
    });

  // 4. The convergence claim.
  const last = replay.lastStep;
  if (!history.status.converged || !last) {
    push({ id: 'aggregator.convergence', title: 'converged by the protocol\'s stopping rule', status: 'fail', detail: `the coordinator has not converged (iteration ${history.status.iteration})`, at: { iteration: Number(history.status.iteration), field: 'converged' } });
    return result({ iterations: Number(final.iteration), stateHash: replayedHash });
  }
  const pri = Math.sqrt(Number(last.primalResidualSq)) / 1e9;
  const dual = Math.sqrt(Number(last.dualResidualSq)) / 1e9;
  push(last.converged
    ? { id: 'aggregator.convergence', title: 'converged by the protocol\'s stopping rule', status: 'pass', detail: `iteration ${Number(final.iteration) - 1}: r = ${pri.toExponential(3)} ≤ epsPri ${fromFixed(last.epsPri).toExponential(3)}, s = ${dual.toExponential(3)} ≤ epsDual ${fromFixed(last.epsDual).toExponential(3)}` }
    : { id: 'aggregator.convergence', title: 'converged by the protocol\'s stopping rule', status: 'fail', detail: `the contract claims convergence, but r² = ${last.primalResidualSq} (≤ ${last.epsPri ** 2n}?) and s² = ${last.dualResidualSq} (≤ ${last.epsDual ** 2n}?)`, at: { iteration: Number(final.iteration) - 1, field: 'converged' } });

  // 5. The committed final schedule.
  let slices: ScheduleSlice[] = [];
  try {
    const schedule = await readFinalSchedule(client, { coordinator: options.coordinator, ...(options.fromBlock === undefined ? {} : { fromBlock: options.fromBlock }) });
    slices = schedule.slices;
  } catch (err) {
    push({ id: 'schedule.root', title: 'final slices hash to the committed root', status: 'fail', detail: err instanceof GridError ? err.shortMessage : String(err), at: { field: 'scheduleRoot' } });
    return result({ iterations: Number(final.iteration), stateHash: replayedHash });
  }
  const wrongSlice = slices.findIndex((s, b) => s.bus !== b || s.participant.toLowerCase() !== history.config.accounts[b]!.toLowerCase());
  const finalizedHash = history.finalized?.stateHash;
  push(slices.length !== layout.busCount || wrongSlice >= 0
    ? { id: 'schedule.root', title: 'final slices hash to the committed root', status: 'fail', detail: `${slices.length} slices for ${layout.busCount} buses${wrongSlice >= 0 ? `; slice ${wrongSlice} names bus ${slices[wrongSlice]!.bus}, participant ${slices[wrongSlice]!.participant}` : ''}`, at: wrongSlice >= 0 ? { bus: wrongSlice, busName: busName(wrongSlice), field: 'participant' } : { field: 'slices' } }
    : finalizedHash !== replayedHash
      ? { id: 'schedule.root', title: 'final slices hash to the committed root', status: 'fail', detail: `the schedule was finalized at state ${finalizedHash}, the replayed converged state is ${replayedHash}`, at: { field: 'ScheduleFinalized.stateHash' } }
      : { id: 'schedule.root', title: 'final slices hash to the committed root', status: 'pass', detail: `${slices.length} slices, one per registered bus, hash to ${history.scheduleRoot}` });

  // 6. The schedule against the public network model.
  const scale = options.entryScale ?? transportScale(scenario, layout, options.admm ?? {});
  const z = final.z.map((v, g) => fromFixed(v) / scale[Math.floor(g / layout.periods)]!);
  // A local copy is within r of z (transport units), so within r / scale_e in p.u. (docs/verify.md §Tolerances).
  const entryError = Float64Array.from(layout.entries, (_, e) => pri / scale[e]!);
  const balanceTol = options.tolerance?.balance;
  const physics = checkScheduleAgainstNetwork(scenario, layout, z, slices.map((s) => s.netInjection.map(fromFixed)), {
    entryError: balanceTol === undefined ? entryError : new Float64Array(layout.entries.length),
    absolute: balanceTol ?? 1e-6,
    voltage: options.tolerance?.voltage ?? 1e-4 + 20 * Math.max(...entryError),
  });
  const physicsCheck = (id: string, title: string, d: NetworkDiscrepancy, unit: string, what: string): VerifyCheck => d.firstViolation
    ? { id, title, status: 'fail', detail: `${what} off by ${d.firstViolation.value.toExponential(3)} ${unit} (allowed ${d.firstViolation.limit.toExponential(2)})`, at: { bus: d.firstViolation.bus, busName: busName(d.firstViolation.bus), period: d.firstViolation.period, field: id.split('.')[1]! } }
    : { id, title, status: 'pass', detail: `largest ${d.largest.toExponential(3)} ${unit} (bus ${busName(d.bus)}, period ${d.period})` };
  push(physicsCheck('schedule.balance', 'slice injections = branch-flow balance of z', physics.balance, 'p.u.', 'net injection'));
  push(physicsCheck('schedule.powerFlow', 'AC power flow reproduces z\'s voltages', physics.voltage, 'p.u.²', 'squared voltage'));
  push(physicsCheck('schedule.substation', 'substation supplies what the power flow needs', physics.substation, 'p.u.', 'slack injection'));
  push(physicsCheck('schedule.voltageLimits', 'voltages within the case\'s limits', physics.limits, 'p.u.²', 'squared voltage beyond its limit'));
  push(injectionLimitsCheck(scenario, slices, busName));
  push(pricesCheck(scenario, layout, scale, options.admm ?? {}, replay.lastInput!, slices, busName));

  // 7. The bills.
  let bills: ParticipantDayBill[] = [];
  if (options.billing) {
    const billing = await verifyBilling(client, {
      billing: options.billing, coordinator: options.coordinator, scheduleRoot: history.scheduleRoot, slices, chainId: history.chainId,
      ...(options.fromBlock === undefined ? {} : { fromBlock: options.fromBlock }), busName,
    });
    for (const c of billing.checks) push(c);
    bills = billing.bills;
  }
  return result({ iterations: Number(final.iteration), stateHash: replayedHash, slices, bills });
}

/** Each slice's net injection within the sum of its bus's device ranges (verifyInjectionLimits.ts). */
function injectionLimitsCheck(scenario: Scenario, slices: readonly ScheduleSlice[], busName: (b: number) => string): VerifyCheck {
  const id = 'schedule.injectionLimits';
  const title = 'injections within the buses\' device limits';
  if (scenario.buses.every((b) => b.devices.length === 0)) {
    return { id, title, status: 'info', detail: 'the case lists no devices: give the scenario the day ran on to check them' };
  }
  // The slice is the bus's own solve, feasible to the solver's tolerance; 1e-6 p.u. leaves room for it and the 1e-9 fixed point.
  const d = checkInjectionLimits(scenario, slices.map((s) => s.netInjection.map(fromFixed)), 1e-6);
  return d.firstViolation
    ? { id, title, status: 'fail', detail: `net injection ${d.firstViolation.value > 0 ? 'above' : 'below'} what the bus's devices can inject by ${Math.abs(d.firstViolation.value).toExponential(3)} p.u. (allowed ${d.firstViolation.limit.toExponential(2)})`, at: { bus: d.firstViolation.bus, busName: busName(d.firstViolation.bus), period: d.firstViolation.period, field: 'netInjection' } }
    : { id, title, status: 'pass', detail: `every bus and period within the sum of its devices' ranges (largest excess ${d.largest.toExponential(3)} p.u.)` };
}

/**
 * Each DLMP of a bus with a child line against the price its last x-update's stationarity
 * implies from chain data and the run's public ADMM options (verifyPrices.ts).
 */
function pricesCheck(
  scenario: Scenario, layout: CouplingLayout, scale: ArrayLike<number>, admm: AdmmOptions,
  last: NonNullable<Replay['lastInput']>, slices: readonly ScheduleSlice[], busName: (b: number) => string,
): VerifyCheck {
  const id = 'schedule.prices';
  const title = 'DLMPs = the prices the consensus duals imply';
  const resolved = resolveAdmmOptions(admm, scenario);
  const entryScale = Float64Array.from(scale);
  const offsets = admmDualOffsets(scenario, layout, resolved, entryScale);
  // The last x-update was each bus's K-th solve, K−1 solves into the fade-out of its local settings.
  const fade = localSettingsFade(Number(last.state.iteration), resolved.localFadeOut);
  const childFlowFactor = fadedPenaltyFactor(resolved.localPenalty.childFlow, fade);
  const dlmp = slices.map((s) => s.dlmp.map(fromFixed));
  const scaleOfPrices = Math.max(1, ...dlmp.flat().map(Math.abs));
  const result = checkPricesAgainstDuals(
    layout, scenario.buses.map((b) => b.parent), scenario.dtHours, entryScale, offsets,
    { z: last.state.z.map(fromFixed), xi: last.state.xi.map(fromFixed), x: last.localVectors.map((v) => v.map(fromFixed)), rho: fromFixed(last.state.rho) },
    childFlowFactor, dlmp, () => priceTolerance * scaleOfPrices,
  );
  const d = result.difference;
  const leaves = layout.busCount - result.checkedBuses.length;
  return d.firstViolation
    ? { id, title, status: 'fail', detail: `the slice's DLMP is ${d.firstViolation.value > 0 ? 'above' : 'below'} the price the duals imply by ${Math.abs(d.firstViolation.value).toExponential(3)} per p.u.·h (allowed ${d.firstViolation.limit.toExponential(2)}; the run's ADMM options must be the ones given to verify)`, at: { bus: d.firstViolation.bus, busName: busName(d.firstViolation.bus), period: d.firstViolation.period, field: 'dlmp' } }
    : { id, title, status: 'pass', detail: `${result.checkedBuses.length} buses with a child line, largest difference ${d.largest.toExponential(3)} per p.u.·h (bus ${busName(d.bus)}, period ${d.period}); ${leaves} leaf buses' prices are not carried by a consensus dual and are not re-derived` };
}

/** Allowed DLMP difference relative to the day's largest |DLMP|: the buses' solver tolerance, with room. */
const priceTolerance = 1e-5;

/** The per-entry transport factor sqrt(w_q·w_e) the run's agents used (public data only). */
function transportScale(scenario: Scenario, layout: CouplingLayout, admm: AdmmOptions): Float64Array {
  const resolved = resolveAdmmOptions(admm, scenario);
  return admmEntryScale(scenario, layout, resolved.couplingWeights, resolved.entryWeights);
}

interface Replay {
  checks: VerifyCheck[];
  state: FixedPointState;
  lastStep: FixedPointStepResult | null;
  /** The state and the buses' vectors of the last step (the one that converged, if any). */
  lastInput: { state: FixedPointState; localVectors: readonly (readonly bigint[])[] } | null;
}

/** Names a global index: bus, period and quantity. */
function entryLocation(layout: CouplingLayout, g: number, busName: (b: number) => string): CheckLocation {
  const e = layout.entries[Math.floor(g / layout.periods)]!;
  return { bus: e.bus, busName: busName(e.bus), period: g % layout.periods, field: e.quantity };
}

/** Names a local index (concatenated local vectors): the bus holding it, period and quantity. */
function localLocation(layout: CouplingLayout, c: number, busName: (b: number) => string): CheckLocation {
  let b = 0;
  while (b + 1 < layout.busCount && layout.localOffset[b + 1]! <= c) b++;
  const g = layout.copyMap[b]![c - layout.localOffset[b]!]!;
  return { ...entryLocation(layout, g, busName), bus: b, busName: busName(b), field: `dual of bus ${b}'s copy of ${layout.entries[Math.floor(g / layout.periods)]!.quantity} ${layout.entries[Math.floor(g / layout.periods)]!.bus}` };
}

const firstDifference = (a: readonly bigint[], b: readonly bigint[]) => {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
};

/**
 * Steps the bigint mirror through every iteration's submitted vectors and compares what the
 * contract published (z^{k+1}, chunk hashes, residuals, rho, convergence) with the replay.
 */
async function replayIterations(history: CoordinatorHistory, layout: CouplingLayout, busName: (b: number) => string, checkSignatures: boolean): Promise<Replay> {
  const { config } = history;
  const ranges = chunkRanges(layout.periods, config.periodsPerChunk);
  let state = initialFixedPointState(layout, config.params.rho0, config.initialZ);
  let lastStep: FixedPointStepResult | null = null;
  let lastInput: Replay['lastInput'] = null;
  let failure: VerifyCheck | null = null;
  const fail = (id: string, title: string, detail: string, at: CheckLocation) => { failure ??= { id, title, status: 'fail', detail, at }; };
  let signaturesChecked = 0;
  let chunkCount = 0;
  if (config.initialZ.length !== layout.globalSize || config.accounts.length !== layout.busCount) {
    fail('aggregator.inputs', 'submitted z^k and duals = replayed state', `registration: initial z has ${config.initialZ.length} values (expected ${layout.globalSize}), ${config.accounts.length} accounts for ${layout.busCount} buses`, { field: 'BusesRegistered' });
  }
  const complete = history.iterations.filter((r) => r.complete);
  for (let k = 0; k < complete.length && !failure; k++) {
    const record = complete[k]!;
    if (record.iteration !== BigInt(k) || record.transactions.length !== ranges.length) {
      fail('aggregator.inputs', 'submitted z^k and duals = replayed state', `iteration ${record.iteration} is record ${k} with ${record.transactions.length} of ${ranges.length} chunks`, { iteration: k });
      break;
    }
    // The submitted state must be the replayed one (the contract checks its hash; a verifier re-checks the values).
    const zBad = firstDifference(record.zPrev, state.z);
    if (zBad >= 0) {
      fail('aggregator.inputs', 'submitted z^k and duals = replayed state', `z^k sent ${record.zPrev[zBad]}, replayed ${state.z[zBad]}`, { iteration: k, ...entryLocation(layout, zBad, busName) });
      break;
    }
    const xiBad = firstDifference(record.xiPrev, state.xi);
    if (xiBad >= 0) {
      fail('aggregator.inputs', 'submitted z^k and duals = replayed state', `dual sent ${record.xiPrev[xiBad]}, replayed ${state.xi[xiBad]}`, { iteration: k, ...localLocation(layout, xiBad, busName) });
      break;
    }
    chunkCount += record.transactions.length;
    if (checkSignatures) {
      for (const tx of record.transactions) {
        const signatures = hexToBytes(tx.signatures);
        for (let b = 0; b < layout.busCount && !failure; b++) {
          const values = chunkLocalVector(layout, b, record.localVectors[b]!, ranges[tx.chunk]!);
          const problem = await provenanceProblem(history, { iteration: record.iteration, chunk: tx.chunk, sender: tx.sender, signatures }, b, values);
          signaturesChecked++;
          if (problem) fail('aggregator.provenance', 'every vector comes from its bus', problem, { iteration: k, chunk: tx.chunk, bus: b, busName: busName(b), field: 'signature' });
        }
      }
      if (failure) break;
    }
    let step: FixedPointStepResult;
    try {
      step = fixedPointCoordinatorStep(layout, state, record.localVectors, config.params);
    } catch (err) {
      fail('aggregator.steps', 'every coordinator step re-derived', `the step cannot be replayed: ${err instanceof GridError ? err.shortMessage : String(err)}`, { iteration: k, field: err instanceof GridError ? err.field ?? 'step' : 'step' });
      break;
    }
    const zNextBad = firstDifference(record.zNext, step.state.z);
    if (zNextBad >= 0) {
      fail('aggregator.steps', 'every coordinator step re-derived', `z^{k+1} published ${record.zNext[zNextBad]}, replayed ${step.state.z[zNextBad]} (eq. 16)`, { iteration: k, ...entryLocation(layout, zNextBad, busName) });
      break;
    }
    const badHash = record.transactions.find((tx) => chunkStateHash(layout, step.state, ranges[tx.chunk]!) !== tx.chunkHash);
    if (badHash) {
      fail('aggregator.steps', 'every coordinator step re-derived', `chunk hash published ${badHash.chunkHash}, replayed ${chunkStateHash(layout, step.state, ranges[badHash.chunk]!)} (the duals, eq. 17, differ)`, { iteration: k, chunk: badHash.chunk, field: 'chunkHash' });
      break;
    }
    const fields: Array<[string, bigint | boolean | undefined, bigint | boolean]> = [
      ['rho', record.rho, state.rho], ['primalResidualSq', record.primalResidualSq, step.primalResidualSq],
      ['dualResidualSq', record.dualResidualSq, step.dualResidualSq], ['converged', record.converged, step.converged], ['nextRho', record.nextRho, step.state.rho],
    ];
    const wrong = fields.find(([, a, b]) => a !== b);
    if (wrong) {
      fail('aggregator.steps', 'every coordinator step re-derived', `IterationCompleted.${wrong[0]} published ${wrong[1]}, replayed ${wrong[2]} (eq. 18-19)`, { iteration: k, field: wrong[0] });
      break;
    }
    lastInput = { state, localVectors: record.localVectors };
    state = step.state;
    lastStep = step;
  }
  const order: Array<[string, string, string]> = [
    ['aggregator.inputs', 'submitted z^k and duals = replayed state', `${chunkCount} chunk transactions started from the replayed state`],
    ['aggregator.provenance', 'every vector comes from its bus', checkSignatures ? `${signaturesChecked} bus vectors, each signed by its registered account or sent in its own transaction` : 'not checked'],
    ['aggregator.steps', 'every coordinator step re-derived', `${Number(state.iteration)} iterations: z, duals, residuals, rho and convergence equal the bigint mirror's`],
  ];
  const f = failure as VerifyCheck | null;
  const checks: VerifyCheck[] = [];
  for (const [id, title, detail] of order) {
    if (f?.id === id) { checks.push(f); break; }
    checks.push({ id, title, status: checkSignatures || id !== 'aggregator.provenance' ? 'pass' : 'info', detail });
  }
  // A failed replay stops at its iteration: later checks compare against that state.
  return { checks, state, lastStep: f ? null : lastStep, lastInput: f ? null : lastInput };
}

/** Null when bus b's values in chunk c are provably its own (EIP-712 signature, own tx or commitment). */
async function provenanceProblem(history: CoordinatorHistory, c: { iteration: bigint; chunk: number; sender: Address; signatures: Uint8Array }, b: number, values: readonly bigint[]): Promise<string | null> {
  const sig = c.signatures.subarray(65 * b, 65 * b + 65);
  const account = history.config.accounts[b]!;
  if (sig.length !== 65) return `the batch carries ${c.signatures.length / 65} signatures`;
  const valuesHash = keccak256(packInt64(values, `bus ${b}`));
  if (sig[64] === 0) {
    if (c.sender.toLowerCase() === account.toLowerCase()) return null;
    const committed = history.commitments.some((m) => m.bus === b && m.iteration === c.iteration && m.chunk === c.chunk && m.valuesHash === valuesHash);
    return committed ? null : `no signature, not sent by ${account} and no matching commitLocalVector`;
  }
  let signer: Address;
  try {
    signer = await recoverLocalVectorSigner({ chainId: history.chainId, coordinator: history.coordinator, iteration: c.iteration, bus: b, chunk: c.chunk, valuesHash, signature: sig });
  } catch (err) {
    return `the signature does not recover: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
  return signer.toLowerCase() === account.toLowerCase() ? null : `signed by ${signer}, registered account ${account}`;
}

/** Recovers the signer of one LocalVector from the digest the agents sign (localVectorDigest; docs/chain-design.md §Calldata). */
export async function recoverLocalVectorSigner(o: { chainId: number; coordinator: Address; iteration: bigint; bus: number; chunk: number; valuesHash: Hex; signature: Uint8Array }): Promise<Address> {
  return recoverAddress({ hash: bytesToHex(localVectorDigest(o)), signature: toHex(o.signature) });
}
