/**
 * Where estimateChunkGas (src/chain/coordinatorLayout.ts) comes from: the measured gas of one
 * submitIteration chunk on several tree shapes, bus counts and chunk sizes, with two kinds of
 * values: the synthetic consensus (src/chain/syntheticConsensus.ts, ~0.2–1 p.u., 4 nonzero bytes
 * per zig-zag word) and values near 2^58 whose 8 bytes are all nonzero (the costliest calldata).
 * Each shape runs 2 iterations on a fresh coordinator and reports the costliest chunk of the
 * second (its duals are nonzero). The last row is the least-squares fit of gas = a + b·buses +
 * c·local values per chunk to the all-nonzero rows, and the smallest factor that lifts it over
 * every measured chunk. Gas is deterministic; no timing.
 * Run: npm run bench -- --only gas-model
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../src/core/paths.js';
import { agentAccount, createChainClients } from '../src/chain/clients.js';
import { startAnvil } from '../src/chain/node/startAnvil.js';
import { deployAdmmCoordinator } from '../src/chain/actions/deployAdmmCoordinator.js';
import { registerBuses } from '../src/chain/actions/registerBuses.js';
import { submitIterationCalldata } from '../src/chain/actions/submitIteration.js';
import { sendCoordinatorCalldata } from '../src/chain/actions/sendCoordinatorTransaction.js';
import { estimateChunkGas, txGasCap } from '../src/chain/coordinatorLayout.js';
import { chunkRanges, fixedPointCoordinatorStep, initialFixedPointState } from '../src/chain/fixedPointCoordinator.js';
import { localSolutions, signChunkWithAgentKeys, syntheticProblem, testParams } from '../src/chain/syntheticConsensus.js';

interface Shape { name: string; tree: number[] | null; buses: number; periods: number; periodsPerChunk: number }

/** Values with all 8 zig-zag bytes nonzero (about ±2^58), seeded by position and iteration. */
function allBytesNonzero(x: bigint[][], iteration: number): bigint[][] {
  return x.map((v, b) => v.map((_, j) => {
    const magnitude = (1n << 58n) + BigInt((b * 1_000_003 + j * 7919 + iteration * 13) % 1_000_000) * 0x10101010101n;
    return j % 2 ? magnitude : -magnitude;
  }));
}

/** Least squares of y ≈ a + b·u + c·v by the 3×3 normal equations (Cramer's rule). */
function fitPlane(rows: Array<{ u: number; v: number; y: number }>): [number, number, number] {
  const s = (f: (r: { u: number; v: number; y: number }) => number) => rows.reduce((acc, r) => acc + f(r), 0);
  const m = [[rows.length, s((r) => r.u), s((r) => r.v)], [s((r) => r.u), s((r) => r.u * r.u), s((r) => r.u * r.v)], [s((r) => r.v), s((r) => r.u * r.v), s((r) => r.v * r.v)]];
  const rhs = [s((r) => r.y), s((r) => r.u * r.y), s((r) => r.v * r.y)];
  const det = (a: number[][]) => a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) - a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) + a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
  const d = det(m);
  const column = (k: number) => det(m.map((row, i) => row.map((value, j) => (j === k ? rhs[i]! : value))));
  return [column(0) / d, column(1) / d, column(2) / d];
}

export async function runGasModelBench(): Promise<object[]> {
  const sce56 = (JSON.parse(readFileSync(packagePath('test', 'data', 'chain', 'sce56Tree.json'), 'utf8')) as { parent: number[] }).parent;
  const shapes: Shape[] = [
    { name: 'sce56', tree: sce56, buses: 56, periods: 24, periodsPerChunk: 24 },
    { name: 'sce56', tree: sce56, buses: 56, periods: 16, periodsPerChunk: 8 },
    { name: 'sce56', tree: sce56, buses: 56, periods: 4, periodsPerChunk: 2 },
    { name: 'chain56', tree: [-1, ...Array.from({ length: 55 }, (_, k) => k)], buses: 56, periods: 24, periodsPerChunk: 24 },
    { name: 'star56', tree: [-1, ...Array.from({ length: 55 }, () => 0)], buses: 56, periods: 24, periodsPerChunk: 24 },
    { name: 'binary120', tree: [-1, ...Array.from({ length: 119 }, (_, k) => Math.floor(k / 2))], buses: 120, periods: 16, periodsPerChunk: 8 },
    { name: 'binary120', tree: [-1, ...Array.from({ length: 119 }, (_, k) => Math.floor(k / 2))], buses: 120, periods: 4, periodsPerChunk: 2 },
    { name: 'random10', tree: null, buses: 10, periods: 24, periodsPerChunk: 24 },
    { name: 'random200', tree: null, buses: 200, periods: 8, periodsPerChunk: 4 },
    { name: 'random200', tree: null, buses: 200, periods: 2, periodsPerChunk: 1 },
  ];
  const node = await startAnvil({ enforceTxGasLimit: true });
  const rows: Array<Record<string, unknown> & { buses: number; localValuesPerChunk: number; measuredGas: number; values: string }> = [];
  try {
    const clients = createChainClients(node.rpcUrl);
    const operator = agentAccount(63);
    const params = { ...testParams, epsAbs: 1n, epsRel: 0n };
    for (const shape of shapes) {
      for (const values of ['synthetic', 'allBytesNonzero'] as const) {
        const problem = syntheticProblem(shape.buses, shape.periods, 11, shape.tree ?? undefined);
        const { layout } = problem;
        const deployed = await deployAdmmCoordinator({ clients, account: operator, layout, params, periodsPerChunk: shape.periodsPerChunk });
        await registerBuses({ clients, account: operator, address: deployed.address, layout, accounts: layout.copyMap.map((_, b) => agentAccount(b).address) });
        const ranges = chunkRanges(layout.periods, shape.periodsPerChunk);
        let state = initialFixedPointState(layout, params.rho0);
        let measuredGas = 0;
        for (let k = 0; k < 2; k++) {
          const solved = localSolutions(problem, state);
          const x = values === 'synthetic' ? solved : allBytesNonzero(solved, k);
          for (let c = 0; c < ranges.length; c++) {
            const signatures = await signChunkWithAgentKeys({ layout, localVectors: x, coordinator: deployed.address, iteration: state.iteration, chunk: c, range: ranges[c]! });
            const data = submitIterationCalldata({ layout, periodsPerChunk: shape.periodsPerChunk, chunk: c, iteration: state.iteration, localVectors: x, state, signatures });
            const receipt = await sendCoordinatorCalldata({ clients, account: agentAccount(0), address: deployed.address, data, gas: txGasCap });
            if (k === 1) measuredGas = Math.max(measuredGas, Number(receipt.gasUsed));
          }
          state = fixedPointCoordinatorStep(layout, state, x, params).state;
        }
        const localValuesPerChunk = (layout.totalCopies / layout.periods) * shape.periodsPerChunk;
        const estimatedGas = estimateChunkGas(layout, shape.periodsPerChunk);
        rows.push({
          case: `${shape.name}-T${shape.periods}-chunk${shape.periodsPerChunk}-${values}`, buses: shape.buses, chunks: ranges.length,
          localValuesPerChunk, values, measuredGas, estimatedGas, measuredOverEstimate: +(measuredGas / estimatedGas).toFixed(3),
        });
      }
    }
  } finally {
    await node.stop();
  }
  const [a, b, c] = fitPlane(rows.filter((r) => r.values === 'allBytesNonzero').map((r) => ({ u: r.buses, v: r.localValuesPerChunk, y: r.measuredGas })));
  const lift = Math.max(...rows.map((r) => r.measuredGas / (a + b * r.buses + c * r.localValuesPerChunk)));
  rows.push({
    case: 'least-squares-fit', fit: 'gas = a + b·buses + c·localValuesPerChunk (all-nonzero rows)',
    a: Math.round(a), b: Math.round(b), c: +c.toFixed(1), liftOverEveryRow: +lift.toFixed(4),
  } as never);
  return rows;
}
