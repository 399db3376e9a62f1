import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAnvil, type AnvilNode } from '../../src/chain/node/startAnvil.js';
import { agentAccount, createChainClients, type ChainClients } from '../../src/chain/clients.js';
import { deployAdmmCoordinator } from '../../src/chain/actions/deployAdmmCoordinator.js';
import { registerBuses } from '../../src/chain/actions/registerBuses.js';
import { submitIteration } from '../../src/chain/actions/submitIteration.js';
import { readCoordinatorState } from '../../src/chain/actions/readCoordinatorState.js';
import { readIterationHistory } from '../../src/chain/actions/readIterationHistory.js';
import { admmCoordinatorAbi } from '../../src/chain/artifacts/AdmmCoordinator.js';
import {
  chunkRanges, fixedPointCoordinatorStep, initialFixedPointState, stateHash,
} from '../../src/chain/fixedPointCoordinator.js';
import { localSolutions, signChunkWithAgentKeys, syntheticProblem, testParams } from '../../src/chain/syntheticConsensus.js';

let node: AnvilNode;
let clients: ChainClients;
before(async () => { node = await startAnvil(); clients = createChainClients(node.rpcUrl); });
after(async () => { await node?.stop(); });

async function run(buses: number, periods: number, maxIterations: number, periodsPerChunk?: number) {
  const problem = syntheticProblem(buses, periods);
  const { layout } = problem;
  const operator = agentAccount(63);
  const deployed = await deployAdmmCoordinator({ clients, account: operator, layout, params: testParams, periodsPerChunk });
  const read = () => clients.publicClient.readContract({ address: deployed.address, abi: admmCoordinatorAbi, functionName: 'stateHash' });
  let state = initialFixedPointState(layout, testParams.rho0);
  await registerBuses({ clients, account: operator, address: deployed.address, layout, accounts: layout.copyMap.map((_, b) => agentAccount(b).address) });
  assert.equal(await read(), stateHash(layout, state, deployed.periodsPerChunk));
  const ranges = chunkRanges(periods, deployed.periodsPerChunk);
  const gas: bigint[] = [];
  for (let k = 0; k < maxIterations && !state.converged; k++) {
    const x = localSolutions(problem, state);
    for (let c = 0; c < ranges.length; c++) {
      const signatures = await signChunkWithAgentKeys({ layout, localVectors: x, coordinator: deployed.address, iteration: state.iteration, chunk: c, range: ranges[c]! });
      const receipt = await submitIteration({
        clients, account: agentAccount(0), address: deployed.address, layout, periodsPerChunk: deployed.periodsPerChunk,
        chunk: c, iteration: state.iteration, localVectors: x, state, signatures,
      });
      gas.push(receipt.gasUsed);
    }
    state = fixedPointCoordinatorStep(layout, state, x, testParams).state;
    assert.equal(await read(), stateHash(layout, state, deployed.periodsPerChunk), `state hash after iteration ${k}`);
    // What a restarted agent reads back equals the mirror's state.
    const onChain = await readCoordinatorState(clients.publicClient, deployed.address);
    assert.deepEqual({ z: onChain.z, xi: onChain.xi, rho: onChain.rho, iteration: onChain.iteration, converged: onChain.converged }, state);
  }
  // An independent verifier re-derives every step from the history alone.
  const history = await readIterationHistory(clients.publicClient, deployed.address);
  assert.equal(history.iterations.length, Number(state.iteration));
  let replay = initialFixedPointState(layout, testParams.rho0, history.config.initialZ);
  for (const record of history.iterations) {
    assert.deepEqual(record.zPrev, replay.z);
    assert.deepEqual(record.xiPrev, replay.xi);
    const next = fixedPointCoordinatorStep(layout, replay, record.localVectors, history.config.params);
    assert.deepEqual(next.state.z, record.zNext);
    assert.equal(next.primalResidualSq, record.primalResidualSq);
    assert.equal(next.state.rho, record.nextRho);
    assert.equal(next.converged, record.converged);
    replay = next.state;
  }
  return { state, gas, deployed, chunks: ranges.length };
}

test('a 6-bus run converges on chain with the bigint mirror\'s state hash at every iteration', async () => {
  const { state, gas } = await run(6, 4, 60);
  assert.ok(state.converged, `converged after ${state.iteration} iterations`);
  console.log(`6 buses: ${state.iteration} iterations, gas per iteration ${gas.at(-1)}`);
});

test('a layout forced into 3 chunks matches the mirror and completes iterations chunk by chunk', async () => {
  const { state, chunks } = await run(5, 6, 3, 2);
  assert.equal(chunks, 3);
  assert.equal(state.iteration, 3n);
});
