/**
 * Gas and time per ADMM iteration of AdmmCoordinator on the SCE-56 layout x 24 periods
 * (G = 3,984 global values, C = 7,944 local values), on a fresh Anvil that enforces the
 * EIP-7825 per-transaction cap. Time per iteration = 56 EIP-712 signatures + send + mine; the
 * rows also split it (signMs, submitMs) and give this process's CPU time (clientCpuMs: signing,
 * encoding, viem), since wall time on a shared 2-core machine is noisy.
 * Run: npm run bench -- --only gas, or after a build:
 * node -e "import('./dist/bench/gas.bench.js').then(async m => console.table(await m.runGasBench()))"
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { packagePath } from '../src/core/paths.js';
import { agentAccount, createChainClients } from '../src/chain/clients.js';
import { startAnvil } from '../src/chain/node/startAnvil.js';
import { deployAdmmCoordinator } from '../src/chain/actions/deployAdmmCoordinator.js';
import { registerBuses } from '../src/chain/actions/registerBuses.js';
import { signLocalCopy } from '../src/chain/actions/signLocalCopy.js';
import { iterationPayload, submitIteration } from '../src/chain/actions/submitIteration.js';
import { chunkLocalVector, chunkRanges, fixedPointCoordinatorStep, initialFixedPointState } from '../src/chain/fixedPointCoordinator.js';
import { localSolutions, syntheticProblem, testParams } from '../src/chain/syntheticConsensus.js';

export async function runGasBench(options: { iterations?: number } = {}): Promise<object[]> {
  const iterations = options.iterations ?? 6;
  const tree = (JSON.parse(readFileSync(packagePath('test', 'data', 'chain', 'sce56Tree.json'), 'utf8')) as { parent: number[] }).parent;
  const problem = syntheticProblem(tree.length, 24, 11, tree);
  const { layout } = problem;
  const node = await startAnvil({ enforceTxGasLimit: true });
  const rows: object[] = [];
  try {
    const clients = createChainClients(node.rpcUrl);
    const operator = agentAccount(63);
    const deployed = await deployAdmmCoordinator({ clients, account: operator, layout, params: { ...testParams, epsAbs: 1n, epsRel: 0n } });
    await registerBuses({ clients, account: operator, address: deployed.address, layout, accounts: layout.copyMap.map((_, b) => agentAccount(b).address) });
    const ranges = chunkRanges(layout.periods, deployed.periodsPerChunk);
    let state = initialFixedPointState(layout, testParams.rho0);
    for (let k = 0; k < iterations; k++) {
      const x = localSolutions(problem, state);
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      let signMs = 0;
      let gas = 0n;
      let largest = 0n;
      let calldataBytes = 0;
      for (let c = 0; c < ranges.length; c++) {
        const signStart = performance.now();
        const signatures = await Promise.all(x.map(async (v, b) => (await signLocalCopy({
          account: agentAccount(b), chainId: 31337, coordinator: deployed.address, iteration: state.iteration, bus: b, chunk: c,
          values: chunkLocalVector(layout, b, v, ranges[c]!),
        })).signature));
        signMs += performance.now() - signStart;
        const options = { clients, account: agentAccount(0), address: deployed.address, layout, periodsPerChunk: deployed.periodsPerChunk, chunk: c, iteration: state.iteration, localVectors: x, state, signatures };
        const receipt = await submitIteration(options);
        gas += receipt.gasUsed;
        if (receipt.gasUsed > largest) largest = receipt.gasUsed;
      }
      const ms = performance.now() - started;
      const cpu = process.cpuUsage(cpuStart);
      for (let c = 0; c < ranges.length; c++) {
        const p = iterationPayload({ layout, periodsPerChunk: deployed.periodsPerChunk, chunk: c, localVectors: x, state, signatures: x.map(() => null) });
        calldataBytes += (p.x.length + p.zPrev.length + p.dualsPrev.length + p.signatures.length - 8) / 2;
      }
      state = fixedPointCoordinatorStep(layout, state, x, { ...testParams, epsAbs: 1n, epsRel: 0n }).state;
      rows.push({
        layout: 'SCE-56 x 24', iteration: k, globalValues: layout.globalSize, localValues: layout.totalCopies,
        gasPerIteration: Number(gas), transactionsPerIteration: ranges.length, largestTransactionGas: Number(largest),
        payloadBytes: calldataBytes, msPerIteration: Math.round(ms), signMs: Math.round(signMs), submitMs: Math.round(ms - signMs),
        clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      });
    }
  } finally {
    await node.stop();
  }
  return rows;
}
