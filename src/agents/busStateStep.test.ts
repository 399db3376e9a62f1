import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom } from '../core/random.js';
import { loadScenario } from '../scenario/io.js';
import { buildCouplingLayout } from '../model/coupling/couplingLayout.js';
import { busStateSlice, chunkDuals, chunkRanges, fixedPointCoordinatorStep, placeChunkDuals, type FixedPointParams } from '../chain/fixedPointCoordinator.js';
import { GridError } from '../core/errors.js';
import { int64Max } from '../chain/fixedPoint.js';
import { busStateStep } from './busStateStep.js';

const S = 1_000_000_000n;

test('busStateStep gives every bus of the SCE-56 feeder exactly its slice of the full mirror step', () => {
  const scenario = loadScenario('sce56');
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), 4);
  const random = createRandom(7);
  const big = (scale: number) => BigInt(Math.round(random.uniform(-1, 1) * scale));
  for (const alpha of [S, 1_600_000_000n]) {
    const params: FixedPointParams = { alpha, mu: 10n * S, tau: 2n * S, epsAbs: 1_000n, epsRel: 1_000_000n, residualBalancing: true };
    const zPrev = Array.from({ length: layout.globalSize }, () => big(2e9));
    // Duals as the chain carries them: every copy but an entry's last is free, the last is minus their sum.
    const free = Array.from({ length: layout.totalCopies }, () => big(5e10));
    const xiPrev = new Array<bigint>(layout.totalCopies).fill(0n);
    placeChunkDuals(layout, xiPrev, [0, layout.periods], chunkDuals(layout, free, [0, layout.periods]));
    const x = Array.from({ length: layout.totalCopies }, () => big(3e9));
    const rho = 37_123_456_789n;
    const localVectors = layout.copyMap.map((m, b) => x.slice(layout.localOffset[b]!, layout.localOffset[b]! + m.length));
    const full = fixedPointCoordinatorStep(layout, { z: zPrev, xi: xiPrev, rho, iteration: 3n, converged: false }, localVectors, params).state;
    for (let b = 0; b < layout.busCount; b++) {
      assert.deepEqual(busStateStep(layout, params, { x, zPrev, xiPrev, rho }, b), busStateSlice(layout, full, b), `bus ${b}, alpha ${alpha}`);
    }
  }
  assert.equal(chunkRanges(4, 4).length, 1);
});

test('busStateStep refuses a dual that leaves int64, naming it', () => {
  const layout = buildCouplingLayout([-1, 0], 1);
  const zeros = new Array<bigint>(layout.totalCopies).fill(0n);
  const xiPrev = [...zeros];
  xiPrev[0] = int64Max;
  const x = zeros.map((_, i) => (i === 0 ? 10n * S : 0n));
  assert.throws(() => busStateStep(layout, { alpha: S }, { x, zPrev: new Array<bigint>(layout.globalSize).fill(0n), xiPrev, rho: S }, 0), (err: unknown) => err instanceof GridError && /xi\[/.test(err.message));
});
