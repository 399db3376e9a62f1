/**
 * The day on chain, end to end (docs/run.md): start Anvil (or attach to a node), deploy S1
 * (AdmmCoordinator), the settlement token and S2 (Billing); register buses and meters; fund the
 * participants; run the bus agents and the batch poster until convergence or the iteration cap;
 * finalize the schedule; run the meter agents (settlement); compare with the central OPF.
 * `resume` continues a crashed run from what is on chain.
 */
import { availableParallelism } from 'node:os';
import { parseEther, type Address, type HDAccount } from 'viem';
import { getBalance, getContractEvents, readContract } from 'viem/actions';
import { GridError } from '../core/errors.js';
import { createChainClients, type ChainClients } from '../chain/clients.js';
import { startAnvil, type AnvilNode } from '../chain/node/startAnvil.js';
import { fromFixed, toFixed } from '../chain/fixedPoint.js';
import { testMnemonic } from '../chain/testMnemonic.js';
import type { FixedPointParams } from '../chain/fixedPointCoordinator.js';
import { deployAdmmCoordinator } from '../chain/actions/deployAdmmCoordinator.js';
import { registerBuses } from '../chain/actions/registerBuses.js';
import { readCoordinatorConfig, type CoordinatorConfig } from '../chain/actions/readCoordinatorConfig.js';
import { readCoordinatorStatus } from '../chain/actions/readCoordinatorState.js';
import { waitForReceipt } from '../chain/actions/waitForReceipt.js';
import { billingAbi } from '../chain/artifacts/Billing.js';
import type { FinalSlice } from '../chain/actions/finalizeSchedule.js';
import { buildCouplingLayout } from '../model/coupling/couplingLayout.js';
import type { Scenario } from '../scenario/types.js';
import type { Schedule } from '../schedule/schedule.js';
import { admmDefaults, type AdmmIterationInfo, type AdmmOptions, type ResolvedAdmmOptions } from '../solve/admm/admmOptions.js';
import { assembleAdmmSchedule } from '../solve/admm/assembleAdmmSchedule.js';
import type { BusFinal } from '../solve/admm/busGroup.js';
import { compareWithCentral, type CentralComparison } from '../solve/admm/compareWithCentral.js';
import { defaultSolverModule } from '../solve/admm/runAdmm.js';
import { runCentralOpf } from '../solve/central/runCentralOpf.js';
import { solveConic } from '../conic/index.js';
import { computeParticipantDayBill } from '../settlement/computeBills.js';
import { bindDay } from '../settlement/actions/bindDay.js';
import { deployBilling } from '../settlement/actions/deployBilling.js';
import { deployGridToken } from '../settlement/actions/deployGridToken.js';
import { depositFunds } from '../settlement/actions/depositFunds.js';
import { findDeployedBilling } from '../settlement/actions/findDeployedBilling.js';
import { sendBillingTransaction } from '../settlement/actions/billingTransaction.js';
import { gridTokenAbi } from '../chain/artifacts/GridToken.js';
import { readBills, readLedger } from '../settlement/actions/readBills.js';
import { readFinalSchedule } from '../settlement/actions/readFinalSchedule.js';
import { simulateMeterReadings } from '../settlement/simulateMeterReadings.js';
import { registerMeter } from '../settlement/actions/registerMeter.js';
import { buildScheduleTree } from '../settlement/actions/scheduleTree.js';
import type { BillingRule, MeterReading, ParticipantDayBill } from '../settlement/types.js';
import { accountIndex, mnemonicAccount } from '../agents/agentKeys.js';
import { postFinalSchedule, runBatchPoster, type PostedIteration } from '../agents/batchPoster.js';
import { admmSetup } from '../agents/busAgentSettings.js';
import { runMeterAgent } from '../agents/meterAgent.js';
import { VectorInbox, type SignedFinal } from '../agents/vectorInbox.js';
import { launchAgentProcesses, prepareAgentThreads, type LaunchedAgents } from './launchAgents.js';
import { tracePhase } from '../agents/phaseTrace.js';
import { defaultStallTimeoutSeconds } from '../agents/iterationFeed.js';

export type AgentMode = 'threads' | 'processes' | 'external';

export interface RunProgress {
  phase: 'chain' | 'deploy' | 'iterate' | 'finalize' | 'settle' | 'central' | 'done';
  message?: string;
  iteration?: number;
  primalResidual?: number;
  dualResidual?: number;
  /** Gas of every ADMM iteration so far. */
  gasUsed?: bigint;
  /** Buses whose vector for the current iteration is in. */
  agentsReported?: number;
  busCount?: number;
}

/** Where the run's agents connect: given to `onReady` before any agent starts. */
export interface RunEndpoints {
  rpcUrl: string;
  chainId: number;
  coordinator: Address;
  billing: Address;
  /** The settlement token (null when resuming with a given Billing and no token). */
  token: Address | null;
  inboxUrl: string;
  mnemonic: string;
  deployBlock: bigint;
}

export interface RunDayOptions {
  scenario: Scenario;
  /** How another process loads the same scenario (built-in name or path), for `processes`. */
  scenarioSource?: string;
  /** Seed of a built-in "-paper" scenario, passed on to agent processes. */
  scenarioSeed?: number;
  /** Attach to this node instead of starting Anvil. */
  rpcUrl?: string;
  agents?: AgentMode;
  /** Worker threads for the agents (default: available cores). */
  workers?: number;
  admm?: AdmmOptions;
  /** Iteration cap of the run (default: admm.maxIterations, else admmDefaults.maxIterations). */
  maxIterations?: number;
  /**
   * How long a bus agent waits through a quiet chain, and the poster for vectors or final slices
   * that do not come, before either stops with a GridError (default 10 min; docs/run.md §Stalls).
   */
  stallTimeoutMs?: number;
  /** Mnemonic all local keys derive from (docs/run.md §Keys); default Anvil's test mnemonic. */
  mnemonic?: string;
  /** Meter deviation bound, relative (0.02 = ±2 %). */
  deviation?: number;
  /** Seed of the meter deviations. */
  seed?: number;
  /** Settlement day number. */
  day?: number;
  /** Deviation penalty, currency per MWh. */
  penaltyPerMwh?: number;
  /** Continue the run of this coordinator (S1) from chain state; Billing is deployed anew unless given. */
  resume?: { coordinator: Address; billing?: Address; token?: Address };
  /** Solve the central OPF for the cost gap (default true). */
  central?: boolean;
  onProgress?: (p: RunProgress) => void;
  onReady?: (endpoints: RunEndpoints, agents: LaunchedAgents | null) => void | Promise<void>;
}

export interface DayBills {
  bills: ParticipantDayBill[];
  readings: MeterReading[];
  /** Σ participants' balance changes + surplus change: 0 when money is conserved (base units). */
  imbalance: bigint;
  /** Surplus (loss/congestion merchandising plus penalties) of the day, base units. */
  surplus: bigint;
  /** Every on-chain bill equals the bigint reference model's (src/settlement/computeBills.ts). */
  matchesReference: boolean;
  moneyConserved: boolean;
  /** Gas and transactions of this run's settlement (a resumed run counts only what it sent). */
  gasUsed: bigint;
  transactions: number;
}

export interface DayRunResult {
  scenarioName: string;
  status: 'converged' | 'maxIterations';
  /** Iterations on chain (all, including those before a resume). */
  iterations: number;
  trace: PostedIteration[];
  /** The assembled schedule (from the agents' disclosed final solves); null if none was received. */
  schedule: Schedule | null;
  /** The committed final slices (null unless converged and finalized). */
  finalSlices: FinalSlice[] | null;
  settlement: DayBills | null;
  central: { totalCost: number; comparison: CentralComparison; schedule: Schedule; ms: number } | null;
  endpoints: RunEndpoints;
  /** The embedded node was started (and stopped) by this run. */
  embeddedNode: boolean;
  gas: { setup: bigint; iterations: bigint; finalize: bigint; settlement: bigint };
  transactions: { setup: number; iterations: number; settlement: number };
  timings: { wallMs: number; setupMs: number; admmMs: number; settleMs: number; centralMs: number };
  resolvedAdmm: ResolvedAdmmOptions;
  /** Agents and workers used. */
  agentMode: AgentMode;
  workers: number;
}

const TOKEN_UNIT = 10n ** 18n;

/** @throws GridError on bad options, unreachable node or a refused transaction. */
export async function runDay(o: RunDayOptions): Promise<DayRunResult> {
  const started = performance.now();
  const { scenario } = o;
  const progress = o.onProgress ?? (() => {});
  const n = scenario.buses.length;
  const mnemonic = o.mnemonic ?? testMnemonic;
  const agentMode = o.agents ?? 'threads';
  const workers = o.workers ?? availableParallelism();
  const maxIterations = o.maxIterations ?? o.admm?.maxIterations ?? admmDefaults.maxIterations;
  const admm: AdmmOptions = { ...o.admm, maxIterations };
  if (agentMode === 'processes' && !o.scenarioSource) {
    throw new GridError('agent processes need the scenario as a name or path', { field: 'scenarioSource', fix: ['pass the scenario argument of `run` (a built-in name or a case file)'] });
  }
  // The coordinator's layout, and every agent's (read back from chain), is the receiving-end one:
  // another convention would be ignored without a word.
  if (admm.convention !== undefined && admm.convention !== 'receivingEnd') {
    throw new GridError(`the day on chain runs the receiving-end branch-flow convention, got '${admm.convention}'`, { field: 'admm.convention', fix: ["leave admm.convention out (or set it to 'receivingEnd'); the sending-end form is for in-process ADMM (runAdmm) and the central OPF only"] });
  }
  // The agents' and the poster's waits share one limit.
  const stall = { stallTimeoutMs: o.stallTimeoutMs ?? defaultStallTimeoutSeconds * 1000 };
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods);
  const setup = admmSetup(scenario, layout, admm);
  const { resolved } = setup;
  const params = fixedPointParams(resolved);

  progress({ phase: 'chain', message: o.rpcUrl ? `attaching to ${o.rpcUrl}` : 'starting Anvil' });
  let node: AnvilNode | null = null;
  let agents: LaunchedAgents | null = null;
  const inbox = new VectorInbox(n);
  // Agent threads load their code and keys while the chain starts and the contracts deploy.
  const preparedThreads = agentMode === 'threads'
    ? prepareAgentThreads({ mnemonic, maxIterations, solverModule: defaultSolverModule, scenario, settings: setup.settings, workers, inbox, ...stall })
    : null;
  try {
    if (!o.rpcUrl) node = await startAnvil({ accounts: 2 * n + 2, mnemonic });
    const rpcUrl = o.rpcUrl ?? node!.rpcUrl;
    const probe = createChainClients(rpcUrl);
    const chainId = await probe.publicClient.getChainId().catch((cause: unknown) => {
      throw new GridError(`no Ethereum JSON-RPC node answers at ${rpcUrl}`, { field: '--rpc-url', fix: ['start the node or leave --rpc-url out to use the embedded Anvil'], cause, exitCode: 69 });
    });
    const clients = createChainClients(rpcUrl, chainId);
    const operator = mnemonicAccount(mnemonic, accountIndex.operator);
    const poster = mnemonicAccount(mnemonic, accountIndex.poster(n));
    const busAccounts = scenario.buses.map((_, b) => mnemonicAccount(mnemonic, accountIndex.bus(b)));
    const meterAccounts = scenario.buses.map((_, b) => mnemonicAccount(mnemonic, accountIndex.meter(b, n)));
    let setupGas = 0n, setupTx = 0;
    const count = (gas: bigint) => { setupGas += gas; setupTx++; };

    // S1: deploy and register, or pick up the coordinator to resume.
    progress({ phase: 'deploy', message: o.resume ? `resuming ${o.resume.coordinator}` : 'deploying the coordinator (S1)' });
    let config: CoordinatorConfig;
    if (o.resume) {
      config = await readCoordinatorConfig(clients.publicClient, o.resume.coordinator);
      if (config.layout.busCount !== n || config.layout.periods !== scenario.periods) {
        throw new GridError(`the coordinator has ${config.layout.busCount} buses × ${config.layout.periods} periods, the scenario ${n} × ${scenario.periods}`, { field: '--coordinator', fix: ['resume with the scenario the run started with'] });
      }
    } else {
      await ensureFunded(clients, operator, [poster, ...busAccounts, ...meterAccounts], count);
      const deployed = await deployAdmmCoordinator({ clients, account: operator, layout, params: { ...params, rho0: toFixed(resolved.rho, 'rho') } });
      const receipt = await registerBuses({
        clients, account: operator, address: deployed.address, layout, accounts: busAccounts.map((a) => a.address),
        initialZ: Array.from(setup.initialZ, (v, g) => toFixed(v, `initial z[${g}]`)),
      });
      count(receipt.gasUsed);
      config = await readCoordinatorConfig(clients.publicClient, deployed.address, deployed.blockNumber);
    }

    // S2 and the token: only needed after convergence, but deployed now so every address is known.
    const rule: BillingRule = {
      periods: scenario.periods,
      periodHoursNano: toFixed(scenario.dtHours, 'dtHours'),
      // currency per MWh → per p.u.·h (× baseMva), at scale 1e9.
      penaltyRateNano: toFixed((o.penaltyPerMwh ?? 10) * scenario.baseMva, 'penaltyPerMwh'),
      maxAbsEnergy: toFixed(1e6, 'maxAbsEnergy'),
    };
    const operatorClient = clients.walletFor(operator);
    // S2 is only needed after convergence: deploy it now (its address is public from the start)
    // and fund participants and register meters while ADMM runs (the batch poster has its own
    // account, so the operator's nonces do not interleave with the iterations).
    // A resumed run settles on the Billing it was given, or on the one its day was already bound to,
    // or (crashed between deployBilling and bindDay) on the one its operator deployed after S1.
    let billing = o.resume ? o.resume.billing ?? await findBoundBilling(clients, config.address, config.deployBlock) : null;
    let token = o.resume?.token ?? null;
    if (o.resume && !billing) {
      const deployed = await findDeployedBilling({ client: clients.publicClient, coordinator: config.address, coordinatorDeployBlock: config.deployBlock, operator: operator.address });
      if (deployed) {
        if (token && token.toLowerCase() !== deployed.token.toLowerCase()) {
          throw new GridError(`the Billing ${deployed.address} this run deployed settles in token ${deployed.token}, not ${token}`, { field: 'resume.token', fix: ['leave resume.token out to resume on that Billing', 'or give resume.billing, the Billing that uses this token'] });
        }
        for (const key of ['periods', 'periodHoursNano', 'penaltyRateNano', 'maxAbsEnergy'] as const) {
          if (BigInt(deployed.rule[key]) !== BigInt(rule[key])) {
            throw new GridError(`the Billing ${deployed.address} this run deployed has ${key} ${deployed.rule[key]}, this resume ${rule[key]}`, { field: key === 'penaltyRateNano' ? 'penaltyPerMwh' : 'scenario', fix: ['resume with the scenario and settings of the crashed run', 'or give --billing to settle on another Billing'] });
          }
        }
        progress({ phase: 'deploy', message: `found the unbound Billing ${deployed.address} (operator nonce ${deployed.nonce}, ${deployed.scanned} addresses scanned)` });
        billing = deployed.address;
        token = deployed.token;
      }
    }
    // A Billing deployed now has nothing on chain yet; a found one may have its setup partly done.
    const deployedNow = !billing;
    if (!billing) {
      token ??= await deployGridToken(operatorClient, {});
      billing = await deployBilling(operatorClient, { token, rule });
      setupTx += 2;
    } else {
      progress({ phase: 'deploy', message: `settling on Billing ${billing}` });
      token ??= await readContract(clients.publicClient, { address: billing, abi: billingAbi, functionName: 'token' });
    }
    const settlementSetup = prepareSettlement({ clients, operatorClient, billing, token, busAccounts, meterAccounts, checkChain: !deployedNow, countTx: (k) => { setupTx += k; } });
    settlementSetup.catch(() => {}); // awaited (and its error raised) before settlement
    const inboxUrl = await inbox.listen();
    const endpoints: RunEndpoints = {
      rpcUrl, chainId, coordinator: config.address, billing, token, inboxUrl, mnemonic, deployBlock: config.deployBlock,
    };
    const setupMs = performance.now() - started;
    tracePhase('poster', -1, 'setup', started);

    // The agents and the batch poster.
    const launch = { rpcUrl, chainId, coordinator: config.address, inboxUrl, mnemonic, maxIterations, solverModule: defaultSolverModule, ...stall };
    if (preparedThreads) agents = preparedThreads.start(launch);
    else if (agentMode === 'processes') {
      agents = launchAgentProcesses({ ...launch, busCount: n, scenarioSource: o.scenarioSource!, ...(o.scenarioSeed === undefined ? {} : { seed: o.scenarioSeed }), admm });
    }
    await o.onReady?.(endpoints, agents);
    const abort = new AbortController();
    agents?.done.catch((err: unknown) => abort.abort(err));
    let iterationGas = 0n;
    let current = 0n;
    inbox.onReceive = (kind, _bus, iteration) => {
      if (kind === 'vector' && iteration === current) {
        progress({ phase: 'iterate', iteration: Number(current), agentsReported: inbox.countVectors(current, 0), busCount: n, gasUsed: iterationGas });
      }
    };
    const admmStart = performance.now();
    const posted = await runBatchPoster({
      clients, account: poster, config, inbox, maxIterations, signal: abort.signal, ...stall,
      onIteration: (info) => {
        iterationGas += info.gasUsed;
        current = BigInt(info.iteration);
        progress({ phase: 'iterate', iteration: info.iteration, primalResidual: info.primalResidual, dualResidual: info.dualResidual, gasUsed: iterationGas, agentsReported: n, busCount: n });
      },
    }).catch((err: unknown) => { throw abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason : err; });

    // Final slices: every agent signs one when it stops (converged or at the cap).
    progress({ phase: 'finalize', message: posted.converged ? 'collecting and committing the final schedule' : 'iteration cap reached: collecting the last schedule (not committed)' });
    const finals = agents || agentMode === 'external' ? await inbox.waitForFinals({ signal: abort.signal, ...stall }) : [];
    await agents?.done;
    const admmMs = performance.now() - admmStart;
    let finalSlices: FinalSlice[] | null = null;
    let finalizeGas = 0n;
    const status = await readCoordinatorStatus(clients.publicClient, config.address);
    if (posted.converged && !status.finalized) {
      const out = await postFinalSchedule({ clients, account: poster, config, finals });
      finalSlices = out.slices;
      finalizeGas = out.gasUsed;
    } else if (status.finalized) {
      // Finalized before a resume: settle exactly what S1 committed (its events, checked against its root).
      finalSlices = (await readFinalSchedule(clients.publicClient, { coordinator: config.address, fromBlock: config.deployBlock })).slices;
    }

    // Settlement by the meter agents.
    const settleStart = performance.now();
    let settlement: DayBills | null = null;
    await settlementSetup;
    if (finalSlices) {
      progress({ phase: 'settle', message: `settling ${n} participant-days` });
      settlement = await settleDay({
        clients, operatorClient, billing, rule, finalSlices, meterAccounts, mnemonic, coordinator: config.address, busAccounts,
        day: o.day ?? 1, deviation: o.deviation ?? 0.02, seed: o.seed ?? 1, rpcUrl,
      });
    }
    const settleMs = performance.now() - settleStart;

    // The schedule from what the agents disclosed, and the central optimum.
    const schedule = finals.every((f) => f.report) && finals.length === n
      ? assembleFromFinals(scenario, resolved, finals, posted, status.iteration, admmMs)
      : null;
    let central: DayRunResult['central'] = null;
    let centralMs = 0;
    if (o.central !== false && schedule) {
      progress({ phase: 'central', message: 'solving the central OPF for the cost gap' });
      const t0 = performance.now();
      const opf = runCentralOpf(scenario, {}, solveConic);
      centralMs = performance.now() - t0;
      central = { totalCost: opf.schedule.totalCost, comparison: compareWithCentral(schedule, opf.schedule), schedule: opf.schedule, ms: centralMs };
    }
    progress({ phase: 'done' });
    return {
      scenarioName: scenario.name,
      status: posted.converged ? 'converged' : 'maxIterations',
      iterations: Number(status.iteration),
      trace: posted.trace,
      schedule,
      finalSlices,
      settlement,
      central,
      endpoints,
      embeddedNode: node !== null,
      gas: { setup: setupGas, iterations: iterationGas, finalize: finalizeGas, settlement: settlement?.gasUsed ?? 0n },
      transactions: { setup: setupTx, iterations: posted.trace.reduce((s, t) => s + t.transactions, 0), settlement: settlement?.transactions ?? 0 },
      timings: { wallMs: performance.now() - started, setupMs, admmMs, settleMs, centralMs },
      resolvedAdmm: resolved,
      agentMode,
      workers: agentMode === 'threads' ? Math.min(workers, n) : 0,
    };
  } finally {
    await (agents ?? preparedThreads)?.stop().catch(() => {});
    await inbox.close();
    await node?.stop();
  }
}

/** The contract's parameters (scale 1e9) from the ADMM options; the contract stops by Boyd's rule. */
export function fixedPointParams(resolved: ResolvedAdmmOptions): FixedPointParams {
  if (resolved.stopping.kind !== 'boyd') {
    throw new GridError('the coordinator contract implements Boyd\'s absolute + relative stopping only', { field: 'stopping', fix: ['use { kind: "boyd", epsAbs, epsRel }'] });
  }
  const balancing = resolved.residualBalancing;
  return {
    alpha: toFixed(resolved.alpha, 'alpha'),
    mu: toFixed(balancing?.mu ?? 10, 'mu'),
    tau: toFixed(balancing?.tau ?? 2, 'tau'),
    epsAbs: toFixed(resolved.stopping.epsAbs, 'epsAbs'),
    epsRel: toFixed(resolved.stopping.epsRel, 'epsRel'),
    residualBalancing: balancing !== null,
  };
}

/** On a node that did not fund them (an attached node), the operator sends each account some ether. */
async function ensureFunded(clients: ChainClients, operator: HDAccount, accounts: readonly HDAccount[], count: (gas: bigint) => void): Promise<void> {
  const wallet = clients.walletFor(operator);
  const balances = await Promise.all(accounts.map((a) => getBalance(clients.publicClient, { address: a.address })));
  for (const [k, a] of accounts.entries()) {
    if (balances[k]! >= parseEther('1')) continue;
    const hash = await wallet.sendTransaction({ to: a.address, value: parseEther('10') });
    const receipt = await waitForReceipt(clients.publicClient, hash);
    count(receipt.gasUsed);
  }
}

/**
 * Bind the day and settle every participant-day, skipping what is already on S2 (a resumed run):
 * a day already bound to this schedule's root is not bound again, a settled bus is not settled
 * again (its bill is read from its event and its reading recomputed from the same seed).
 */
async function settleDay(o: {
  clients: ChainClients; operatorClient: ReturnType<ChainClients['walletFor']>; billing: Address; rule: BillingRule; finalSlices: FinalSlice[];
  meterAccounts: HDAccount[]; busAccounts: HDAccount[]; mnemonic: string; coordinator: Address; day: number; deviation: number; seed: number; rpcUrl: string;
}): Promise<DayBills> {
  const n = o.finalSlices.length;
  const client = o.clients.publicClient;
  const tree = buildScheduleTree(o.finalSlices);
  let transactions = 0;
  const boundRoot = await readContract(client, { address: o.billing, abi: billingAbi, functionName: 'dayRoot', args: [o.day] });
  if (/^0x0+$/.test(boundRoot)) {
    await bindDay(o.operatorClient, { billing: o.billing, day: o.day, scheduleSource: o.coordinator });
    transactions++;
  } else if (boundRoot !== tree.root) {
    throw new GridError(`day ${o.day} is already bound on Billing ${o.billing} to another schedule (root ${boundRoot}, this run's ${tree.root})`, {
      field: 'day', fix: ['settle another day number', 'or leave --billing out so a new Billing is deployed'],
    });
  }
  const settled = await Promise.all(o.finalSlices.map((slice) => readContract(client, { address: o.billing, abi: billingAbi, functionName: 'isSettled', args: [o.day, slice.bus] })));
  const earlierBills = settled.some(Boolean) ? await readBills(client, { billing: o.billing, day: o.day }) : [];
  const accounts = o.busAccounts.map((a) => a.address);
  const before = await readLedger(client, { billing: o.billing, accounts });
  const meterOptions = (b: number) => ({ nonce: BigInt(o.day), seed: o.seed * 100_003 + b });
  const results = await Promise.all(o.finalSlices.map(async (slice, b) => {
    if (settled[b]) {
      const bill = earlierBills.find((e) => e.bus === slice.bus);
      if (!bill) throw new GridError(`bus ${slice.bus} is settled for day ${o.day} but Billing ${o.billing} shows no bill for it`, { field: 'billing', fix: ['check the node keeps the Billing contract\'s logs'] });
      // The meter agent's reading is a pure function of its slice, day, nonce and seed (simulateMeterReadings).
      const { nonce, seed } = meterOptions(b);
      const [reading] = simulateMeterReadings([slice], o.day, nonce, { seed, relative: o.deviation, periodHoursNano: o.rule.periodHoursNano });
      return { reading: reading!, bill, gasUsed: 0n, sent: false };
    }
    const r = await runMeterAgent({
      key: { mnemonic: o.mnemonic, index: accountIndex.meter(b, n) }, rpcUrl: o.rpcUrl, chain: o.clients.chain, billing: o.billing,
      day: o.day, ...meterOptions(b), slice, proof: tree.proof(b), deviation: o.deviation, periodHoursNano: o.rule.periodHoursNano,
    });
    return { ...r, sent: true };
  }));
  transactions += results.filter((r) => r.sent).length;
  const after = await readLedger(client, { billing: o.billing, accounts });
  // Each settlement conserves money on its own, so the check holds for the part this run settled.
  let imbalance = after.surplus - before.surplus;
  for (const a of accounts) imbalance += after.balances.get(a.toLowerCase())! - before.balances.get(a.toLowerCase())!;
  const matchesReference = results.every((r, b) => {
    const ref = computeParticipantDayBill({ reading: r.reading, slice: o.finalSlices[b]! }, o.rule);
    return ref.net === r.bill.net && ref.penalty === r.bill.penalty && ref.scheduledValue === r.bill.scheduledValue;
  });
  return {
    bills: results.map((r) => r.bill),
    readings: results.map((r) => r.reading),
    imbalance,
    surplus: after.surplus - before.surplus,
    matchesReference,
    moneyConserved: imbalance === 0n && matchesReference,
    gasUsed: results.reduce((s, r) => s + r.gasUsed, 0n),
    transactions,
  };
}

/**
 * Mint and deposit each participant's settlement funds and register one meter per bus. With
 * `checkChain` (a resumed run) every step already on chain is skipped: a participant with a
 * Billing balance is funded, a meter registered and active for its bus stays.
 */
async function prepareSettlement(o: {
  clients: ChainClients; operatorClient: ReturnType<ChainClients['walletFor']>; billing: Address; token: Address;
  busAccounts: HDAccount[]; meterAccounts: HDAccount[]; checkChain: boolean; countTx: (k: number) => void;
}): Promise<void> {
  const client = o.clients.publicClient;
  const deposit = 10_000_000n * TOKEN_UNIT;
  const funded = o.checkChain
    ? await Promise.all(o.busAccounts.map(async (a) => await readContract(client, { address: o.billing, abi: billingAbi, functionName: 'balanceOf', args: [a.address] }) > 0n))
    : o.busAccounts.map(() => false);
  const unfunded = o.busAccounts.filter((_, b) => !funded[b]);
  for (const a of unfunded) {
    // A crash between mint and deposit leaves the tokens in the wallet: mint only what is missing.
    const held = o.checkChain ? await readContract(client, { address: o.token, abi: gridTokenAbi, functionName: 'balanceOf', args: [a.address] }) : 0n;
    if (held >= deposit) continue;
    await sendBillingTransaction(o.operatorClient, { address: o.token, abi: gridTokenAbi, functionName: 'mint', args: [a.address, deposit - held] });
    o.countTx(1);
  }
  await Promise.all(unfunded.map((a) => depositFunds(o.clients.walletFor(a), { billing: o.billing, token: o.token, amount: deposit })));
  o.countTx(2 * unfunded.length);
  for (let b = 0; b < o.busAccounts.length; b++) {
    const meter = o.meterAccounts[b]!.address;
    if (o.checkChain) {
      const [, bus, , active] = await readContract(client, { address: o.billing, abi: billingAbi, functionName: 'meters', args: [meter] });
      if (active && bus === b) continue;
    }
    await registerMeter(o.operatorClient, { billing: o.billing, meter, bus: b, participant: o.busAccounts[b]!.address });
    o.countTx(1);
  }
}

/** The Billing contract whose day was bound to this coordinator (DayBound's source is indexed), if any. */
async function findBoundBilling(clients: ChainClients, coordinator: Address, fromBlock: bigint): Promise<Address | null> {
  const [bound] = await getContractEvents(clients.publicClient, { abi: billingAbi, eventName: 'DayBound', args: { source: coordinator }, fromBlock, strict: true });
  return bound ? bound.address : null;
}

function assembleFromFinals(
  scenario: Scenario, resolved: ResolvedAdmmOptions, finals: SignedFinal[], posted: Awaited<ReturnType<typeof runBatchPoster>>, iterations: bigint, loopMs: number,
): Schedule {
  const trace: AdmmIterationInfo[] = posted.trace.map((t) => ({
    iteration: t.iteration, primalResidual: t.primalResidual, dualResidual: t.dualResidual, epsPri: t.epsPri, epsDual: t.epsDual,
    rho: t.rho, cost: t.cost, ms: t.ms, maxSolverIterations: 0,
  }));
  const state = posted.state;
  const schedule = assembleAdmmSchedule(scenario, resolved, {
    status: posted.converged ? 'converged' : 'maxIterations',
    iterations: Number(iterations),
    trace,
    state: { z: Float64Array.from(state.z, fromFixed), xi: Float64Array.from(state.xi, fromFixed), rho: fromFixed(state.rho), iteration: Number(state.iteration), converged: state.converged },
    finals: finals.map((f) => f.report as BusFinal),
    loopMs,
  }, 0);
  return { ...schedule, provenance: { ...schedule.provenance, producedBy: 'runDay (bus agents on chain)' } };
}
