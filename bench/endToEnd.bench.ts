/**
 * End to end on the embedded Anvil (issue 6 §Targets): the SCE-56 paper scenario's day through
 * the chain (`runDay`: Anvil, deploy, register, fund, 56 bus agents on worker threads, batch
 * poster, finalize and settle when converged) against the same ADMM off chain
 * (`runAdmmParallel`, same options and iteration cap, same number of workers).
 * Rows: wall time, ADMM-on-chain time, off-chain time and their ratio, iterations, gas per
 * iteration, transactions per iteration, the largest transaction.
 * Run: npx tsc -p tsconfig.json --outDir build/e2e && node -e "import('./build/e2e/bench/endToEnd.bench.js').then(async m => { for (const r of await m.runEndToEndBench()) console.log(JSON.stringify(r)); })"
 * (with GC_TRACE=FILE set, bench/endToEndPhases.bench.ts then splits each iteration into phases).
 * The iteration cap defaults to 100 (GC_E2E_MAX_ITER overrides): the paper scenario does not
 * converge within 500 iterations at the current ADMM defaults (docs/admm.md), so a capped run
 * measures the per-iteration cost honestly without taking many minutes.
 */
import { availableParallelism } from 'node:os';
import { loadScenario } from '../src/scenario/io.js';
import { runDay } from '../src/pipeline/runDay.js';
import { runAdmmParallel } from '../src/solve/admm/parallelAdmm.js';

export async function runEndToEndBench(options: { maxIterations?: number; workers?: number } = {}): Promise<object[]> {
  const maxIterations = options.maxIterations ?? Number(process.env['GC_E2E_MAX_ITER'] ?? 100);
  const workers = options.workers ?? availableParallelism();
  const scenario = loadScenario('sce56-paper');
  const cpu0 = process.cpuUsage();
  const day = await runDay({ scenario, workers, maxIterations, central: true });
  const cpu = process.cpuUsage(cpu0);
  const offStart = performance.now();
  const off = await runAdmmParallel(scenario, { workers, maxIterations: Math.max(1, day.iterations) });
  const offChainMs = performance.now() - offStart;
  const n = Math.max(1, day.trace.length);
  const gas = day.trace.map((t) => Number(t.gasUsed));
  return [{
    case: 'sce56-paper',
    status: day.status,
    iterations: day.iterations,
    iterationCap: maxIterations,
    wallMs: Math.round(day.timings.wallMs),
    setupMs: Math.round(day.timings.setupMs),
    admmOnChainMs: Math.round(day.timings.admmMs),
    offChainAdmmMs: Math.round(offChainMs),
    offChainIterations: off.iterations,
    ratioToOffChain: Number((day.timings.admmMs / offChainMs).toFixed(2)),
    msPerIterationOnChain: Math.round(day.timings.admmMs / n),
    gasPerIteration: Math.round(gas.reduce((a, b) => a + b, 0) / n),
    maxTransactionGas: Number(day.trace.reduce((m, t) => (t.maxTransactionGas > m ? t.maxTransactionGas : m), 0n)),
    transactionsPerIteration: day.transactions.iterations / n,
    costGapPercent: day.central ? day.central.comparison.costGapRelative * 100 : null,
    moneyConserved: day.settlement?.moneyConserved ?? null,
    workers,
    mainThreadCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  }];
}
