import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAnvil, type AnvilNode } from '../chain/node/startAnvil.js';
import { agentAccount, createChainClients, type ChainClients } from '../chain/clients.js';
import { deployAdmmCoordinator } from '../chain/actions/deployAdmmCoordinator.js';
import { registerBuses } from '../chain/actions/registerBuses.js';
import { submitIteration } from '../chain/actions/submitIteration.js';
import { busStateSlice, chunkRanges, fixedPointCoordinatorStep, initialFixedPointState } from '../chain/fixedPointCoordinator.js';
import { localSolutions, signChunkWithAgentKeys, syntheticProblem, testParams } from '../chain/syntheticConsensus.js';
import { busStateStep } from './busStateStep.js';
import { IterationFeed } from './iterationFeed.js';
import { GridError } from '../core/errors.js';

let node: AnvilNode;
let clients: ChainClients;
before(async () => { node = await startAnvil(); clients = createChainClients(node.rpcUrl); });
after(async () => { await node?.stop(); });

test('the feed hands every bus its z^k and xi^k as the mirror computes them, pushed over WebSocket and polled without it', async () => {
  const problem = syntheticProblem(4, 4);
  const { layout } = problem;
  const operator = agentAccount(63);
  // Two chunks per iteration: the feed must gather both transactions before handing k on.
  const deployed = await deployAdmmCoordinator({ clients, account: operator, layout, params: testParams, periodsPerChunk: 2 });
  await registerBuses({ clients, account: operator, address: deployed.address, layout, accounts: layout.copyMap.map((_, b) => agentAccount(b).address) });
  // No safety poll during the test: every new iteration must arrive by the subscription.
  const pushed = new IterationFeed(clients, deployed.address, { safetyPollMs: 600_000, prefetchPending: true });
  const polled = new IterationFeed(clients, deployed.address, { webSocketUrl: null });
  try {
    assert.equal(await pushed.subscribed(), true);
    assert.equal((await pushed.waitForIteration(0n)).iteration, 0n);
    assert.equal((await polled.waitForIteration(0n)).iteration, 0n);
    const ranges = chunkRanges(layout.periods, deployed.periodsPerChunk);
    let state = initialFixedPointState(layout, testParams.rho0);
    for (let k = 0; k < 4 && !state.converged; k++) {
      const waits = [pushed.waitForIteration(state.iteration + 1n), polled.waitForIteration(state.iteration + 1n)];
      const x = localSolutions(problem, state);
      for (let c = 0; c < ranges.length; c++) {
        const signatures = await signChunkWithAgentKeys({ layout, localVectors: x, coordinator: deployed.address, iteration: state.iteration, chunk: c, range: ranges[c]! });
        await submitIteration({
          clients, account: agentAccount(0), address: deployed.address, layout, periodsPerChunk: deployed.periodsPerChunk,
          chunk: c, iteration: state.iteration, localVectors: x, state, signatures,
        });
      }
      state = fixedPointCoordinatorStep(layout, state, x, testParams).state;
      for (const [name, feed, status] of [['pushed', pushed, await waits[0]!], ['polled', polled, await waits[1]!]] as const) {
        assert.deepEqual(status, { iteration: state.iteration, rho: state.rho, converged: state.converged }, `${name} status after iteration ${k}`);
        const inputs = await feed.inputsFor(state.iteration);
        assert.equal(inputs.nextRho, state.rho);
        assert.deepEqual([...inputs.zNext], state.z);
        for (let b = 0; b < layout.busCount; b++) {
          assert.deepEqual(busStateStep(layout, testParams, inputs, b), busStateSlice(layout, state, b), `${name}: bus ${b} after iteration ${k}`);
        }
      }
    }
    assert.equal(pushed.pushedIterations, Number(state.iteration), 'every iteration came by the subscription');
    assert.equal(polled.pushedIterations, 0);
    // With automine the node announces a transaction before its block: its calldata is fetched early.
    assert.ok(pushed.prefetchedIterations >= 1, `${pushed.prefetchedIterations} iterations prefetched`);
  } finally {
    await Promise.all([pushed.close(), polled.close()]);
  }
});

test('close() rejects a pending wait with a GridError, and a wait on a closed feed fails at once', async () => {
  const problem = syntheticProblem(2, 2);
  const operator = agentAccount(62);
  const deployed = await deployAdmmCoordinator({ clients, account: operator, layout: problem.layout, params: testParams });
  await registerBuses({ clients, account: operator, address: deployed.address, layout: problem.layout, accounts: problem.layout.copyMap.map((_, b) => agentAccount(b).address) });
  const feed = new IterationFeed(clients, deployed.address);
  assert.equal((await feed.waitForIteration(0n)).iteration, 0n);
  // Nobody posts iteration 0, so this wait can only end by close().
  const closedFeed = (err: unknown) => err instanceof GridError && /closed while a wait for iteration 1 was pending/.test(err.message);
  const pending = assert.rejects(feed.waitForIteration(1n), closedFeed);
  await feed.close();
  await pending;
  await assert.rejects(feed.waitForIteration(1n), closedFeed);
});
