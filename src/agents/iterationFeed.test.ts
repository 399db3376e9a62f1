import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hexToBigInt, type Hex } from 'viem';
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

interface RpcRequest { method: string; params: unknown[] }

/** A JSON-RPC pass-through to the node that records every request (to see where a feed's log reads start). */
async function recordingProxy(target: string): Promise<{ url: string; requests: RpcRequest[]; close(): Promise<void> }> {
  const requests: RpcRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
      requests.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        .then(async (answer) => { res.writeHead(answer.status, { 'content-type': 'application/json' }); res.end(await answer.text()); })
        .catch(() => { res.writeHead(502); res.end(); });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('the feed hands every bus its z^k and xi^k as the mirror computes them, pushed over WebSocket and polled without it', async () => {
  const problem = syntheticProblem(4, 4);
  const { layout } = problem;
  const operator = agentAccount(63);
  // Two chunks per iteration: the feed must gather both transactions before handing k on.
  const deployed = await deployAdmmCoordinator({ clients, account: operator, layout, params: testParams, periodsPerChunk: 2 });
  await registerBuses({ clients, account: operator, address: deployed.address, layout, accounts: layout.copyMap.map((_, b) => agentAccount(b).address) });
  // No safety poll during the test: every new iteration must arrive by the subscription.
  const pushed = new IterationFeed(clients, deployed.address, { safetyPollMs: 600_000, prefetchPending: true });
  // The polled feed reads every iteration with eth_getLogs: through a proxy that shows where each read starts.
  const proxy = await recordingProxy(node.rpcUrl);
  const polled = new IterationFeed(createChainClients(proxy.url), deployed.address, { webSocketUrl: null });
  const completedIn: bigint[] = [];
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
        // The last chunk's transaction completes the iteration.
        completedIn[Number(state.iteration)] = (await submitIteration({
          clients, account: agentAccount(0), address: deployed.address, layout, periodsPerChunk: deployed.periodsPerChunk,
          chunk: c, iteration: state.iteration, localVectors: x, state, signatures,
        })).blockNumber;
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
    // Each log read of iteration k starts where k − 1 completed (the deployment for k = 0), not at the deployment every time.
    const deployBlock = (await polled.config()).deployBlock;
    // Log reads by iteration (the configuration's own reads have no iteration topic).
    const reads = proxy.requests.filter((r) => r.method === 'eth_getLogs').map((r) => r.params[0] as { fromBlock: Hex; topics: Array<Hex | null> })
      .filter((r) => typeof r.topics[1] === 'string');
    assert.ok(reads.length >= 2 * Number(state.iteration), `${reads.length} log reads`);
    for (const read of reads) {
      const k = Number(hexToBigInt(read.topics[1]!));
      assert.equal(hexToBigInt(read.fromBlock), k === 0 ? deployBlock : completedIn[k - 1], `the log read of iteration ${k} starts where iteration ${k - 1} completed`);
    }
  } finally {
    await Promise.all([pushed.close(), polled.close()]);
    await proxy.close();
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

test('a wait that sees no new iteration and no coordinator activity for the stall limit fails naming who, the iteration, the node and the fix; the feed then goes on', async () => {
  const problem = syntheticProblem(2, 2);
  const { layout } = problem;
  const operator = agentAccount(61);
  const deployed = await deployAdmmCoordinator({ clients, account: operator, layout, params: testParams });
  await registerBuses({ clients, account: operator, address: deployed.address, layout, accounts: layout.copyMap.map((_, b) => agentAccount(b).address) });
  const feed = new IterationFeed(clients, deployed.address, { stallTimeoutMs: 300 });
  try {
    assert.equal((await feed.waitForIteration(0n)).iteration, 0n);
    // Nobody posts iteration 0 (as when the poster is gone): the wait for iteration 1 ends at the stall limit.
    await assert.rejects(feed.waitForIteration(1n, { who: 'bus 1' }), (err: unknown) => {
      assert.ok(err instanceof GridError, String(err));
      assert.equal(err.field, '--stall-timeout');
      assert.equal(err.exitCode, 75);
      assert.ok(err.shortMessage.includes(`bus 1 waited 0.3 s for iteration 1 of coordinator ${deployed.address} on ${node.rpcUrl}`), err.shortMessage);
      assert.ok(err.fix.some((f) => /start this agent again with the same arguments: it resumes from chain state/.test(f)), err.fix.join(' | '));
      return true;
    });
    // The chain moves again: the same feed hands on the next iteration.
    const next = feed.waitForIteration(1n, { who: 'bus 1' });
    const state = initialFixedPointState(layout, testParams.rho0);
    const x = localSolutions(problem, state);
    const range = chunkRanges(layout.periods, deployed.periodsPerChunk)[0]!;
    const signatures = await signChunkWithAgentKeys({ layout, localVectors: x, coordinator: deployed.address, iteration: 0n, chunk: 0, range });
    await submitIteration({ clients, account: agentAccount(0), address: deployed.address, layout, periodsPerChunk: deployed.periodsPerChunk, chunk: 0, iteration: 0n, localVectors: x, state, signatures });
    assert.equal((await next).iteration, 1n);
  } finally {
    await feed.close();
  }
});
