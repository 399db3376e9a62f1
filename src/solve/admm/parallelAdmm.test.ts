import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runAdmm } from './runAdmm.js';
import { runAdmmParallel, spareBuses, type WorkerRoundInfo } from './parallelAdmm.js';
import { createConicSolver } from '../../conic/index.js';
import { bus, generator, scenario } from '../../../test/helpers/tinyScenarios.js';
import type { Scenario } from '../../scenario/types.js';

describe('runAdmmParallel', () => {
  it('spares are the smallest buses at the end of the other workers\' lists, up to a third of their work', () => {
    const work = [10, 8, 6, 4, 3, 2, 1, 1];
    // lists largest first, as runAdmmParallel orders them
    const lists = [[0, 3, 5, 6], [1, 2, 4, 7]];
    assert.deepEqual(spareBuses(lists, 0, work), [7, 4]); // worker 1's work 18: 1 + 3 ≤ 0.35·18, + 6 is not
    assert.deepEqual(spareBuses(lists, 1, work), [6, 5]); // worker 0's work 17: 1 + 2 ≤ 5.95, + 4 is not
  });

  it('gives the in-process iterates when workers keep spare instances of each other\'s buses', async () => {
    // 8 buses of different sizes, so that each worker keeps spares of the other's smallest buses
    const s = unevenFeeder(2);
    // The LinDistFlow start: from the forecast start this loads-only feeder stops within a few rounds.
    const options = { maxIterations: 12, proximal: 5, localPenalty: { childFlow: 2 }, initialPoint: 'powerFlow' as const };
    const inProcess = await runAdmm(s, options, createConicSolver);
    const rounds: WorkerRoundInfo[] = [];
    const threaded = await runAdmmParallel(s, { ...options, workers: 2, onRound: (info) => rounds.push(info) });
    assert.equal(rounds.length, 12);
    assert.ok(rounds.every((r) => r.busyMs.length === 2 && r.taken.length === 2));
    const strip = (trace: typeof inProcess.trace) => trace.map(({ ms: _ms, ...rest }) => rest);
    assert.deepEqual(strip(threaded.trace), strip(inProcess.trace));
    assert.deepEqual(threaded.state, inProcess.state);
    assert.deepEqual(threaded.schedule.buses, inProcess.schedule.buses);
  });

  it('gives the in-process result from the forecast start too', async () => {
    const s = unevenFeeder(2);
    const inProcess = await runAdmm(s, { maxIterations: 12 }, createConicSolver);
    const threaded = await runAdmmParallel(s, { maxIterations: 12, workers: 2 });
    assert.equal(inProcess.status, 'converged');
    assert.deepEqual(threaded.state, inProcess.state);
    assert.deepEqual(threaded.schedule.buses, inProcess.schedule.buses);
  });
});

/** A feeder 0-1-2-3 with branches 1-4-5 and 2-6-7, from one to three loads per bus. */
function unevenFeeder(periods: number): Scenario {
  const load = (name: string, p: number) => ({
    kind: 'fixedLoad' as const, name,
    p: Array.from({ length: periods }, (_, t) => p * (1 + 0.2 * t)),
    q: Array.from({ length: periods }, (_, t) => 0.3 * p * (1 + 0.2 * t)),
  });
  // 0.01 p.u. steps: at 0.02 the far buses fall below 0.95 p.u. and the day has no solution.
  const loads = (b: number, count: number) => Array.from({ length: count }, (_, k) => load(`l${b}.${k}`, 0.01 * (1 + k + b)));
  const parents = [-1, 0, 1, 2, 1, 4, 2, 6];
  return scenario('uneven feeder', periods, parents.map((parent, b) => bus(
    String(b), parent, parent < 0 ? 0 : 0.01, parent < 0 ? 0 : 0.02,
    b === 0 ? [generator('g0', periods, 20, 5)] : loads(b, 1 + (b % 3)),
  )));
}
