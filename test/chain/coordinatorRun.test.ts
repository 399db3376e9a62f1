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
  chunkRanges, entryCopies, fixedPointCoordinatorStep, initialFixedPointState, stateHash, type FixedPointParams,
} from '../../src/chain/fixedPointCoordinator.js';
import { fixedPointScale as S, isqrt } from '../../src/chain/fixedPoint.js';
import { buildCouplingLayout } from '../../src/model/coupling/couplingLayout.js';
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

test('the contract\'s stopping rule leaves the voltage copies out of the relative norms, as the mirror does', async () => {
  // Root and bus 1 branch, bus 2 has one child, buses 3-5 are leaves: every voltage path of AdmmCodec.step.
  const layout = buildCouplingLayout([-1, 0, 1, 1, 2, 0], 2);
  const { copyStart, localIndexOfCopy } = entryCopies(layout);
  const T = layout.periods;
  const z0 = layout.entries.flatMap((entry, e) => Array.from({ length: T }, (_, t) => (entry.quantity === 'voltageSq' ? S : 20_000_000n * BigInt(1 + ((e + t) % 3)))));
  // Copies of an entry differ by ±0.01 p.u. around z^0 with a zero sum, so with alpha = 1 z stays (s = 0) and r > 0.
  const x = new Array<bigint>(layout.totalCopies);
  layout.entries.forEach((_, e) => {
    for (let t = 0; t < T; t++) {
      let sum = 0n;
      for (let c = copyStart[e]!; c < copyStart[e + 1]!; c++) {
        const delta = c + 1 < copyStart[e + 1]! ? 10_000_000n * BigInt(1 + ((c + t) % 2)) : -sum;
        sum += delta;
        x[localIndexOfCopy[c]! + t] = z0[e * T + t]! + delta;
      }
    }
  });
  const localVectors = layout.copyMap.map((map, b) => x.slice(layout.localOffset[b]!, layout.localOffset[b]! + map.length));
  const base: FixedPointParams & { rho0: bigint } = { rho0: S, alpha: S, mu: 10n * S, tau: 2n * S, epsAbs: 0n, epsRel: 0n, residualBalancing: false };
  const start = initialFixedPointState(layout, base.rho0, z0);
  const stops = (epsRel: bigint) => fixedPointCoordinatorStep(layout, start, localVectors, { ...base, epsRel }).converged;
  // The smallest epsRel at which the mirror stops: one less must not stop, on chain either.
  let low = 0n, high = 10n * S;
  while (high - low > 1n) { const mid = (low + high) / 2n; if (stops(mid)) high = mid; else low = mid; }
  const step = fixedPointCoordinatorStep(layout, start, localVectors, { ...base, epsRel: low });
  assert.equal(step.dualResidualSq, 0n);
  // With the voltages counted (≈ 1 p.u. per copy) the rule would have stopped at `low` already.
  const allX2 = x.reduce((a, v) => a + v * v, 0n);
  assert.ok(step.primalResidualSq <= ((low * isqrt(allX2)) / S) ** 2n, 'the case does not tell the two rules apart');
  const operator = agentAccount(63);
  for (const epsRel of [low, high]) {
    const deployed = await deployAdmmCoordinator({ clients, account: operator, layout, params: { ...base, epsRel }, periodsPerChunk: 1 });
    await registerBuses({ clients, account: operator, address: deployed.address, layout, accounts: layout.copyMap.map((_, b) => agentAccount(b).address), initialZ: z0 });
    for (const [c, range] of chunkRanges(T, 1).entries()) {
      const signatures = await signChunkWithAgentKeys({ layout, localVectors, coordinator: deployed.address, iteration: 0n, chunk: c, range });
      await submitIteration({ clients, account: agentAccount(0), address: deployed.address, layout, periodsPerChunk: 1, chunk: c, iteration: 0n, localVectors, state: start, signatures });
    }
    const mirror = fixedPointCoordinatorStep(layout, start, localVectors, { ...base, epsRel }).state;
    assert.equal(mirror.converged, epsRel === high);
    const onChain = await clients.publicClient.readContract({ address: deployed.address, abi: admmCoordinatorAbi, functionName: 'stateHash' });
    assert.equal(onChain, stateHash(layout, mirror, 1), `state hash at epsRel ${epsRel}`);
  }
});
