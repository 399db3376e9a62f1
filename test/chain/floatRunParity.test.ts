/**
 * State-hash parity between AdmmCoordinator and its bigint mirror over a recorded float ADMM run:
 * the 4-bus, 2-period feeder of test/helpers is solved by the real bus subproblems (the loop of
 * runAdmm, with an executor that records every iteration's local vectors), then those vectors
 * are replayed on Anvil iteration by iteration in fixed point. After every iteration the
 * contract's stateHash must equal the mirror's, and readCoordinatorState must return the mirror's
 * z and xi.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { smallFeeder } from '../helpers/tinyScenarios.js';
import { conicSolverFactory } from '../helpers/conicSolverFactory.js';
import { buildCouplingLayout } from '../../src/model/coupling/couplingLayout.js';
import { busLocalSettings, resolveAdmmOptions } from '../../src/solve/admm/admmOptions.js';
import { runAdmmLoop, type AdmmExecutor } from '../../src/solve/admm/admmLoop.js';
import { createBusGroup } from '../../src/solve/admm/busGroup.js';
import { admmEntryScale } from '../../src/solve/admm/entryWeights.js';
import { initialGlobalPoint } from '../../src/solve/admm/initialPoint.js';
import { startAnvil, type AnvilNode } from '../../src/chain/node/startAnvil.js';
import { agentAccount, createChainClients, type ChainClients } from '../../src/chain/clients.js';
import { deployAdmmCoordinator } from '../../src/chain/actions/deployAdmmCoordinator.js';
import { registerBuses } from '../../src/chain/actions/registerBuses.js';
import { signLocalCopy } from '../../src/chain/actions/signLocalCopy.js';
import { submitIteration } from '../../src/chain/actions/submitIteration.js';
import { readCoordinatorState } from '../../src/chain/actions/readCoordinatorState.js';
import { admmCoordinatorAbi } from '../../src/chain/artifacts/AdmmCoordinator.js';
import { toFixed } from '../../src/chain/fixedPoint.js';
import { chunkLocalVector, fixedPointCoordinatorStep, initialFixedPointState, stateHash, type FixedPointParams } from '../../src/chain/fixedPointCoordinator.js';

let node: AnvilNode;
let clients: ChainClients;
before(async () => { node = await startAnvil(); clients = createChainClients(node.rpcUrl); });
after(async () => { await node?.stop(); });

test('contract and bigint mirror agree bit for bit over a recorded float ADMM run', async () => {
  const scenario = smallFeeder(2);
  const options = resolveAdmmOptions({ rho: 50, adaptive: true, maxIterations: 40, stopping: { kind: 'boyd', epsAbs: 1e-5, epsRel: 1e-4 } }, scenario);
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods, options.convention);
  const entryScale = admmEntryScale(scenario, layout, options.couplingWeights, options.entryWeights);
  const group = createBusGroup(scenario, layout, {
    buses: scenario.buses.map((_, b) => b), rho: options.rho, scale: entryScale, solverSettings: options.solverSettings,
    dualOffset: null, local: busLocalSettings(options),
  }, await conicSolverFactory());
  const recorded: Float64Array[] = [];
  const executor: AdmmExecutor = {
    iterate: async (zLocal, xi, rho) => {
      const out = group.solve(zLocal, xi, rho);
      recorded.push(Float64Array.from(out.local));
      return { local: out.local, busCost: out.cost, solverIterations: out.solverIterations };
    },
    finals: async () => group.finals(),
    close: async () => {},
  };
  await runAdmmLoop(scenario, layout, options, entryScale, executor);
  assert.ok(recorded.length >= 3, `${recorded.length} recorded iterations`);

  const params: FixedPointParams & { rho0: bigint } = {
    rho0: toFixed(options.rho), alpha: toFixed(options.alpha),
    mu: toFixed(options.residualBalancing!.mu), tau: toFixed(options.residualBalancing!.tau),
    epsAbs: toFixed(1e-5), epsRel: toFixed(1e-4), residualBalancing: true,
  };
  const z0 = Array.from(initialGlobalPoint(scenario, layout, options.initialPoint, entryScale), (v, g) => toFixed(v, `z0[${g}]`));
  const operator = agentAccount(63);
  const { address } = await deployAdmmCoordinator({ clients, account: operator, layout, params, periodsPerChunk: 2 });
  await registerBuses({ clients, account: operator, address, layout, accounts: layout.copyMap.map((_, b) => agentAccount(b).address), initialZ: z0 });
  let state = initialFixedPointState(layout, params.rho0, z0);
  let steps = 0;
  for (const local of recorded) {
    if (state.converged) break;
    const x = layout.copyMap.map((map, b) => Array.from(local.subarray(layout.localOffset[b]!, layout.localOffset[b]! + map.length), (v) => toFixed(v)));
    const signatures = await Promise.all(x.map(async (v, b) => (await signLocalCopy({
      account: agentAccount(b), chainId: 31337, coordinator: address, iteration: state.iteration, bus: b, chunk: 0, values: chunkLocalVector(layout, b, v, [0, 2]),
    })).signature));
    await submitIteration({ clients, account: agentAccount(0), address, layout, periodsPerChunk: 2, chunk: 0, iteration: state.iteration, localVectors: x, state, signatures });
    state = fixedPointCoordinatorStep(layout, state, x, params).state;
    steps++;
    const onChain = await clients.publicClient.readContract({ address, abi: admmCoordinatorAbi, functionName: 'stateHash' });
    assert.equal(onChain, stateHash(layout, state, 2), `state hash after iteration ${steps}`);
  }
  const read = await readCoordinatorState(clients.publicClient, address);
  assert.deepEqual([read.z, read.xi, read.rho, read.iteration], [state.z, state.xi, state.rho, state.iteration]);
  assert.ok(steps >= 3 && state.xi.some((v) => v !== 0n), `${steps} steps replayed`);
  console.log(`replayed ${steps} of ${recorded.length} recorded iterations; on chain converged: ${state.converged}, rho ${state.rho}`);
});
