import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConicSolver } from '../../conic/index.js';
import { buildCouplingLayout } from '../coupling/couplingLayout.js';
import { buildBusSubproblem } from './busSubproblem.js';
import { createBusSubproblemSolver, type BusLocalSettings, type BusSolveResult } from './busSubproblemSolver.js';
import { smallFeeder } from '../../../test/helpers/tinyScenarios.js';

describe('BusSubproblemSolver state', () => {
  it('a second instance that loads the saved state continues bit for bit like the first', () => {
    const scenario = smallFeeder(3);
    // a battery on bus 1 (parent and children copies) makes its solves degenerate, so the warm start and the proximal term matter
    scenario.buses[1]!.devices.push({
      kind: 'battery', name: 'b1', chargeMax: 0.1, dischargeMax: 0.1, energyMin: 0, energyMax: 0.3, energyInitial: 0.1,
      etaCharge: 0.95, etaDischarge: 0.95, endTolerance: 0, throughputCost: 0,
    });
    const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods, 'receivingEnd');
    const sub = buildBusSubproblem(scenario, layout, 1, 30);
    const size = layout.copyMap[1]!.length;
    const settings = { tolGapAbs: 1e-6, tolGapRel: 1e-6, tolFeas: 1e-7, warmStart: true };
    // proximal term and penalty split fading over 4 solves: the solve count and previous point are state too
    const local: BusLocalSettings = { proximal: 5, penaltyFactor: { childFlow: 3, ownFlow: 0.5 }, fadeOutIterations: 4 };
    const offsets = Float64Array.from({ length: size }, (_, c) => 0.5 * Math.sin(c));
    const make = () => createBusSubproblemSolver(sub, createConicSolver, settings, offsets, local);
    // deterministic, changing z and xi (around a flat voltage and small flows)
    const inputs = (round: number) => ({
      z: Float64Array.from({ length: size }, (_, c) => (c % 3 === 0 ? 1 : 0.1) + 0.02 * Math.cos(round + c)),
      xi: Float64Array.from({ length: size }, (_, c) => 3 * Math.sin(2 * round + c)),
      rho: round < 5 ? 30 : 45,
    });
    const solveAt = (solver: ReturnType<typeof make>, round: number): BusSolveResult => {
      const { z, xi, rho } = inputs(round);
      return solver.solve(z, xi, rho);
    };
    const first = make();
    for (let round = 0; round < 3; round++) assert.equal(solveAt(first, round).status, 'solved');
    const state = new Float64Array(first.stateSize);
    assert.ok(first.stateSize > 0);
    first.saveState(state);
    const second = make();
    // the second instance has solved something else before, as a worker's spare instance would have
    solveAt(second, 7);
    second.loadState(state);
    for (let round = 3; round < 8; round++) {
      const a = solveAt(first, round);
      const b = solveAt(second, round);
      assert.deepEqual(b, a, `round ${round}`);
    }
  });
});
