/**
 * Gas and time per ADMM iteration of AdmmCoordinator on the SCE-56 layout x 24 periods
 * (G = 3,984 global values, C = 7,944 local values), on a fresh Anvil that enforces the
 * EIP-7825 per-transaction cap. Time per iteration = 56 EIP-712 LocalVector signatures + the
 * submitIteration calldata + signing and sending the transaction + Anvil mining it + the receipt.
 * The 56 buses sign on `signingThreads` worker threads (default: as many as cores), each thread
 * signing its share of the buses, as the bus agents of a run do on their own threads; 1 signs
 * them all on the main thread. The rows split the time (signMs, calldataMs, sendMs: sign tx,
 * eth_sendRawTransactionSync, mining, receipt) and give this process's CPU time over all its
 * threads (clientCpuMs) and Anvil's (nodeCpuMs, Linux), since wall time on a shared 2-core
 * machine is noisy. Each row also carries the chunking's gas estimate for one iteration
 * (estimateChunkGas, an upper bound) beside the measured gas, and the gas of finalizeSchedule
 * (56 signed FinalSlices of 24 periods, measured once on a second coordinator that converges in
 * one step).
 * Run: npm run bench -- --only gas, or after a build:
 * node -e "import('./dist/bench/gas.bench.js').then(async m => console.table(await m.runGasBench()))"
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Address, Hex } from 'viem';
import { packagePath } from '../src/core/paths.js';
import { agentAccount, createChainClients } from '../src/chain/clients.js';
import { startAnvil } from '../src/chain/node/startAnvil.js';
import { deployAdmmCoordinator } from '../src/chain/actions/deployAdmmCoordinator.js';
import { registerBuses } from '../src/chain/actions/registerBuses.js';
import { signLocalCopy } from '../src/chain/actions/signLocalCopy.js';
import { submitIterationCalldata } from '../src/chain/actions/submitIteration.js';
import { sendCoordinatorCalldata } from '../src/chain/actions/sendCoordinatorTransaction.js';
import { estimateChunkGas, txGasCap } from '../src/chain/coordinatorLayout.js';
import { finalizeSchedule, signFinalSlice, type FinalSlice } from '../src/chain/actions/finalizeSchedule.js';
import type { ChainClients } from '../src/chain/clients.js';
import type { CouplingLayout } from '../src/model/coupling/couplingLayout.js';
import { chunkLocalVector, chunkRanges, fixedPointCoordinatorStep, initialFixedPointState } from '../src/chain/fixedPointCoordinator.js';
import { localSolutions, syntheticProblem, testParams } from '../src/chain/syntheticConsensus.js';
import type { GasSignRequest, GasSignWorkerData } from './gasSignWorker.js';

/** On-CPU time (ms) of process `pid` summed over its threads, from /proc/<pid>/task/<tid>/schedstat (ns; null off Linux). */
function processCpuMs(pid: number): number | null {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    return ns / 1e6;
  } catch {
    return null;
  }
}

type SignChunk = (iteration: bigint, chunk: number, values: bigint[][]) => Promise<Hex[]>;

/** Signers on `threads` worker threads, buses dealt round robin; `close` ends them. */
async function threadSigners(threads: number, busCount: number, chainId: number, coordinator: Address): Promise<{ sign: SignChunk; close: () => Promise<void> }> {
  const shares = Array.from({ length: threads }, (_, w) => Array.from({ length: busCount }, (_, b) => b).filter((b) => b % threads === w));
  const workers = await Promise.all(shares.map((buses) => new Promise<Worker>((resolve, reject) => {
    const worker = new Worker(new URL('./gasSignWorker.js', import.meta.url), { workerData: { chainId, coordinator, buses } satisfies GasSignWorkerData });
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  })));
  const sign: SignChunk = async (iteration, chunk, values) => {
    const perThread = await Promise.all(workers.map((worker, w) => new Promise<Hex[]>((resolve, reject) => {
      const done = (signatures: Hex[]) => { worker.off('error', failed); resolve(signatures); };
      const failed = (err: Error) => { worker.off('message', done); reject(err); };
      worker.once('message', done);
      worker.once('error', failed);
      worker.postMessage({ iteration, chunk, values: shares[w]!.map((b) => values[b]!) } satisfies GasSignRequest);
    })));
    const signatures = new Array<Hex>(busCount);
    shares.forEach((buses, w) => buses.forEach((b, i) => { signatures[b] = perThread[w]![i]!; }));
    return signatures;
  };
  return { sign, close: async () => { await Promise.all(workers.map((w) => w.terminate())); } };
}

/**
 * Gas of finalizeSchedule on `layout`: a coordinator that converges in one step (every bus sends
 * z^0, zero residuals), then every bus's signed slice (seeded injections around 0, DLMPs ≈ 70/MWh).
 */
async function finalizeGas(clients: ChainClients, layout: CouplingLayout): Promise<number> {
  const operator = agentAccount(63);
  const params = { ...testParams, epsAbs: 1n, epsRel: 0n };
  const deployed = await deployAdmmCoordinator({ clients, account: operator, layout, params });
  const accounts = layout.copyMap.map((_, b) => agentAccount(b));
  await registerBuses({ clients, account: operator, address: deployed.address, layout, accounts: accounts.map((a) => a.address) });
  const state = initialFixedPointState(layout, params.rho0);
  const x = layout.copyMap.map((map) => Array.from(map, (g) => state.z[g]!));
  for (const [c, range] of chunkRanges(layout.periods, deployed.periodsPerChunk).entries()) {
    const signatures = await Promise.all(x.map(async (v, b) => (await signLocalCopy({
      account: accounts[b]!, chainId: clients.chain.id, coordinator: deployed.address, iteration: 0n, bus: b, chunk: c, values: chunkLocalVector(layout, b, v, range),
    })).signature));
    const data = submitIterationCalldata({ layout, periodsPerChunk: deployed.periodsPerChunk, chunk: c, iteration: 0n, localVectors: x, state, signatures });
    await sendCoordinatorCalldata({ clients, account: operator, address: deployed.address, data, gas: txGasCap });
  }
  const slices: FinalSlice[] = accounts.map((a, b) => ({
    bus: b, participant: a.address,
    netInjection: Array.from({ length: layout.periods }, (_, t) => BigInt(((b * 7919 + t * 104_729) % 200_001) - 100_000) * 1000n),
    dlmp: Array.from({ length: layout.periods }, (_, t) => 70_000_000_000n + BigInt((b * 31 + t * 17) % 1000) * 10_000_000n),
  }));
  const signatures = await Promise.all(slices.map((slice, b) => signFinalSlice({ account: accounts[b]!, chainId: clients.chain.id, coordinator: deployed.address, slice })));
  const receipt = await finalizeSchedule({ clients, account: operator, address: deployed.address, slices, signatures });
  return Number(receipt.gasUsed);
}

export async function runGasBench(options: { iterations?: number; signingThreads?: number } = {}): Promise<object[]> {
  const iterations = options.iterations ?? 6;
  const signingThreads = options.signingThreads ?? availableParallelism();
  const tree = (JSON.parse(readFileSync(packagePath('test', 'data', 'chain', 'sce56Tree.json'), 'utf8')) as { parent: number[] }).parent;
  const problem = syntheticProblem(tree.length, 24, 11, tree);
  const { layout } = problem;
  const node = await startAnvil({ enforceTxGasLimit: true });
  const rows: object[] = [];
  let closeSigners = async () => {};
  try {
    const clients = createChainClients(node.rpcUrl);
    const chainId = clients.chain.id;
    const operator = agentAccount(63);
    const deployed = await deployAdmmCoordinator({ clients, account: operator, layout, params: { ...testParams, epsAbs: 1n, epsRel: 0n } });
    await registerBuses({ clients, account: operator, address: deployed.address, layout, accounts: layout.copyMap.map((_, b) => agentAccount(b).address) });
    const ranges = chunkRanges(layout.periods, deployed.periodsPerChunk);
    let sign: SignChunk = (iteration, chunk, values) => Promise.all(values.map(async (v, b) => (await signLocalCopy({
      account: agentAccount(b), chainId, coordinator: deployed.address, iteration, bus: b, chunk, values: v,
    })).signature));
    if (signingThreads > 1) ({ sign, close: closeSigners } = await threadSigners(signingThreads, layout.busCount, chainId, deployed.address));
    const estimatedGasPerIteration = ranges.reduce((sum, [t0, t1]) => sum + estimateChunkGas(layout, t1 - t0), 0);
    let state = initialFixedPointState(layout, testParams.rho0);
    for (let k = 0; k < iterations; k++) {
      const x = localSolutions(problem, state);
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      const nodeCpuStart = processCpuMs(node.pid);
      let signMs = 0, calldataMs = 0, sendMs = 0, gas = 0n, largest = 0n, calldataBytes = 0;
      for (let c = 0; c < ranges.length; c++) {
        const signStart = performance.now();
        const signatures = await sign(state.iteration, c, x.map((v, b) => chunkLocalVector(layout, b, v, ranges[c]!)));
        const calldataStart = performance.now();
        const data = submitIterationCalldata({ layout, periodsPerChunk: deployed.periodsPerChunk, chunk: c, iteration: state.iteration, localVectors: x, state, signatures });
        const sendStart = performance.now();
        const receipt = await sendCoordinatorCalldata({ clients, account: agentAccount(0), address: deployed.address, data, gas: txGasCap });
        sendMs += performance.now() - sendStart;
        calldataMs += sendStart - calldataStart;
        signMs += calldataStart - signStart;
        gas += receipt.gasUsed;
        if (receipt.gasUsed > largest) largest = receipt.gasUsed;
        // the four byte arrays as sent, without the selector, head, length words and padding
        const span = ranges[c]![1] - ranges[c]![0];
        calldataBytes += (2 * (layout.totalCopies / layout.periods) * span) * 8 + 65 * layout.busCount;
      }
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(cpuStart);
      const nodeCpuEnd = processCpuMs(node.pid);
      state = fixedPointCoordinatorStep(layout, state, x, { ...testParams, epsAbs: 1n, epsRel: 0n }).state;
      rows.push({
        layout: 'SCE-56 x 24', iteration: k, globalValues: layout.globalSize, localValues: layout.totalCopies,
        gasPerIteration: Number(gas), estimatedGasPerIteration, transactionsPerIteration: ranges.length, largestTransactionGas: Number(largest),
        payloadBytes: calldataBytes, msPerIteration: Math.round(ms), signingThreads,
        signMs: Math.round(signMs), calldataMs: Math.round(calldataMs), sendMs: Math.round(sendMs),
        clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
        nodeCpuMs: nodeCpuStart === null || nodeCpuEnd === null ? null : Math.round(nodeCpuEnd - nodeCpuStart),
      });
    }
    const finalizeScheduleGas = await finalizeGas(clients, layout);
    for (const row of rows) Object.assign(row, { finalizeScheduleGas });
  } finally {
    await closeSigners();
    await node.stop();
  }
  return rows;
}
