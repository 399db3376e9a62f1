import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from 'viem';
import { createRandom } from '../core/random.js';
import { loadScenario } from '../scenario/io.js';
import { buildCouplingLayout } from '../model/coupling/couplingLayout.js';
import { busStateSlice, chunkDuals, chunkRanges, chunkZ, entryCopies, fixedPointCoordinatorStep, placeChunkDuals, type FixedPointParams } from '../chain/fixedPointCoordinator.js';
import { submitIterationCalldata } from '../chain/actions/submitIteration.js';
import { int64Max, int64Min, packInt64 } from '../chain/fixedPoint.js';
import { busPreviousDuals, busStateStep } from './busStateStep.js';
import { decodeStepInputs } from './readStepInputs.js';

const S = 1_000_000_000n;
const address = '0x5fbdb2315678afecb367f032d93f642f64180aa3';

test('decodeStepInputs reads the calldata of every SCE-56 chunk exactly (int64 extremes too), and the slice step and duals agree with the full mirror', () => {
  const scenario = loadScenario('sce56');
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), 24);
  const { copyStart, localIndexOfCopy } = entryCopies(layout);
  const random = createRandom(11);
  const big = (scale: number) => BigInt(Math.round(random.uniform(-1, 1) * scale));
  const params: FixedPointParams = { alpha: 1_600_000_000n, mu: 10n * S, tau: 2n * S, epsAbs: 1_000n, epsRel: 1_000_000n, residualBalancing: true };
  const periodsPerChunk = 10; // three chunks, the last one short
  const ranges = chunkRanges(layout.periods, periodsPerChunk);
  const decode = (x: bigint[], zPrev: bigint[], xiPrev: bigint[], zNext: bigint[]) => decodeStepInputs(
    { address, layout, periodsPerChunk }, 5n,
    ranges.map((range, chunk) => ({
      chunk,
      zNext: toHex(packInt64(chunkZ(layout, zNext, range))),
      input: toHex(submitIterationCalldata({
        layout, periodsPerChunk, chunk, iteration: 5n, signatures: new Array(layout.busCount).fill(null),
        localVectors: layout.copyMap.map((m, b) => x.slice(layout.localOffset[b]!, layout.localOffset[b]! + m.length)),
        state: { z: zPrev, xi: xiPrev, rho: S, iteration: 5n, converged: false },
      })),
    })),
    { rho: 37_123_456_789n, nextRho: 40n * S, converged: false },
  );
  const isLastCopy = new Array<boolean>(layout.totalCopies).fill(false);
  for (let e = 0; e < layout.entries.length; e++) for (let t = 0; t < layout.periods; t++) isLastCopy[localIndexOfCopy[copyStart[e + 1]! - 1]! + t] = true;

  // Every int64 pattern the halves arithmetic could get wrong: extremes, ±1, 0, around ±2^32.
  const edges = [int64Min, int64Max, -1n, 0n, 1n, (1n << 32n) - 1n, 1n << 32n, -(1n << 32n), -(1n << 32n) - 1n, 1n << 31n, -(1n << 31n)];
  const pick = (i: number) => (i % 3 === 0 ? edges[i % edges.length]! : big(9.2e18));
  const xEdge = Array.from({ length: layout.totalCopies }, (_, i) => pick(i));
  const zEdge = Array.from({ length: layout.globalSize }, (_, i) => pick(i + 1));
  const xiEdge = Array.from({ length: layout.totalCopies }, (_, i) => (isLastCopy[i] ? 0n : pick(i + 2)));
  const zNextEdge = Array.from({ length: layout.globalSize }, (_, i) => pick(i + 5));
  const edge = decode(xEdge, zEdge, xiEdge, zNextEdge);
  assert.deepEqual([...edge.x], xEdge);
  assert.deepEqual([...edge.zPrev], zEdge);
  assert.deepEqual([...edge.xiPrev], xiEdge, 'every copy but the last as posted, the last left 0');
  assert.deepEqual([...edge.zNext], zNextEdge);
  assert.equal(edge.rho, 37_123_456_789n);

  // A chain-like state: the last copy's dual is minus the others' sum (the calldata leaves it out).
  const zPrev = Array.from({ length: layout.globalSize }, () => big(2e9));
  const xiPrev = new Array<bigint>(layout.totalCopies).fill(0n);
  placeChunkDuals(layout, xiPrev, [0, layout.periods], chunkDuals(layout, Array.from({ length: layout.totalCopies }, () => big(5e10)), [0, layout.periods]));
  const x = Array.from({ length: layout.totalCopies }, () => big(3e9));
  const localVectors = layout.copyMap.map((m, b) => x.slice(layout.localOffset[b]!, layout.localOffset[b]! + m.length));
  const full = fixedPointCoordinatorStep(layout, { z: zPrev, xi: xiPrev, rho: 37_123_456_789n, iteration: 5n, converged: false }, localVectors, params).state;
  const inputs = decode(x, zPrev, xiPrev, full.z);
  for (let b = 0; b < layout.busCount; b++) {
    assert.deepEqual(busStateStep(layout, params, inputs, b), busStateSlice(layout, full, b), `bus ${b}`);
    assert.deepEqual(busPreviousDuals(layout, inputs.xiPrev, b), xiPrev.slice(layout.localOffset[b]!, layout.localOffset[b]! + layout.copyMap[b]!.length), `bus ${b} duals`);
  }
});
