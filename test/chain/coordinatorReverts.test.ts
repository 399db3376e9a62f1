/**
 * Every revert path of AdmmCoordinator on a real Anvil, each asserted by its custom error (the
 * GridError field names it), plus the two non-signature provenance paths (own transaction,
 * prior commitLocalVector). A 3-bus, 2-period layout keeps each transaction small.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, keccak256, toHex, type Address, type Hex } from 'viem';
import { GridError } from '../../src/core/errors.js';
import { buildCouplingLayout } from '../../src/model/coupling/couplingLayout.js';
import { startAnvil, type AnvilNode } from '../../src/chain/node/startAnvil.js';
import { agentAccount, createChainClients, type ChainClients } from '../../src/chain/clients.js';
import { deployAdmmCoordinator } from '../../src/chain/actions/deployAdmmCoordinator.js';
import { registerBuses } from '../../src/chain/actions/registerBuses.js';
import { signLocalCopy } from '../../src/chain/actions/signLocalCopy.js';
import { iterationPayload, submitIteration } from '../../src/chain/actions/submitIteration.js';
import { sendCoordinatorTransaction } from '../../src/chain/actions/sendCoordinatorTransaction.js';
import { finalizeSchedule, signFinalSlice, type FinalSlice } from '../../src/chain/actions/finalizeSchedule.js';
import { readCoordinatorState } from '../../src/chain/actions/readCoordinatorState.js';
import { waitForIteration } from '../../src/chain/actions/waitForIteration.js';
import { packInt64, int64Max } from '../../src/chain/fixedPoint.js';
import { estimateChunkGas } from '../../src/chain/coordinatorLayout.js';
import { chunkLocalVector, chunkRanges, initialFixedPointState, type FixedPointState } from '../../src/chain/fixedPointCoordinator.js';
import { localSolutions, syntheticProblem, testParams } from '../../src/chain/syntheticConsensus.js';

let node: AnvilNode;
let clients: ChainClients;
before(async () => { node = await startAnvil(); clients = createChainClients(node.rpcUrl); });
after(async () => { await node?.stop(); });

const operator = agentAccount(63);
const problem = syntheticProblem(3, 2, 5);
const { layout } = problem;
const busAccounts = layout.copyMap.map((_, b) => agentAccount(b));

async function deployed(o: { register?: boolean; periodsPerChunk?: number } = {}): Promise<Address> {
  const d = await deployAdmmCoordinator({ clients, account: operator, layout, params: testParams, periodsPerChunk: o.periodsPerChunk ?? 2 });
  if (o.register ?? true) await registerBuses({ clients, account: operator, address: d.address, layout, accounts: busAccounts.map((a) => a.address) });
  return d.address;
}

async function signAll(address: Address, iteration: bigint, x: readonly (readonly bigint[])[], chunk = 0, periodsPerChunk = 2): Promise<Hex[]> {
  const range = chunkRanges(layout.periods, periodsPerChunk)[chunk]!;
  return Promise.all(x.map(async (v, b) => (await signLocalCopy({
    account: busAccounts[b]!, chainId: 31337, coordinator: address, iteration, bus: b, chunk, values: chunkLocalVector(layout, b, v, range),
  })).signature));
}

/** Resolves when `promise` rejects with a GridError naming `errorName`. */
async function revertsWith(promise: Promise<unknown>, errorName: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof GridError, `expected a GridError, got ${String(err)}`);
    assert.equal(err.field, errorName, err.message);
    return true;
  });
}

function submit(address: Address, o: { iteration?: bigint; x?: bigint[][]; state?: FixedPointState; signatures: readonly (Hex | null)[]; chunk?: number; periodsPerChunk?: number; sender?: number }) {
  const state = o.state ?? initialFixedPointState(layout, testParams.rho0);
  return submitIteration({
    clients, account: agentAccount(o.sender ?? 10), address, layout, periodsPerChunk: o.periodsPerChunk ?? 2, chunk: o.chunk ?? 0,
    iteration: o.iteration ?? 0n, localVectors: o.x ?? localSolutions(problem, state), state, signatures: o.signatures,
  });
}

test('registration: operator only, once; no iteration before it', async () => {
  const address = await deployed({ register: false });
  const x = localSolutions(problem, initialFixedPointState(layout, testParams.rho0));
  await revertsWith(submit(address, { x, signatures: await signAll(address, 0n, x) }), 'AdmmCoordinatorNotRegistered');
  await revertsWith(registerBuses({ clients, account: busAccounts[0]!, address, layout, accounts: busAccounts.map((a) => a.address) }), 'AdmmCoordinatorNotOperator');
  await revertsWith(registerBuses({ clients, account: operator, address, layout, accounts: busAccounts.slice(1).map((a) => a.address) }), 'AdmmCoordinatorWrongBusCount');
  await registerBuses({ clients, account: operator, address, layout, accounts: busAccounts.map((a) => a.address) });
  await revertsWith(registerBuses({ clients, account: operator, address, layout, accounts: busAccounts.map((a) => a.address) }), 'AdmmCoordinatorAlreadyRegistered');
});

test('provenance: wrong signer, bad signature, missing vector, unregistered committer', async () => {
  const address = await deployed();
  const x = localSolutions(problem, initialFixedPointState(layout, testParams.rho0));
  const good = await signAll(address, 0n, x);
  // bus 1's slot holds bus 2's signature over bus 1's values
  const range = chunkRanges(layout.periods, 2)[0]!;
  const forged = (await signLocalCopy({ account: busAccounts[2]!, chainId: 31337, coordinator: address, iteration: 0n, bus: 1, chunk: 0, values: chunkLocalVector(layout, 1, x[1]!, range) })).signature;
  await revertsWith(submit(address, { x, signatures: [good[0]!, forged, good[2]!] }), 'AdmmCoordinatorWrongSigner');
  // a signed vector altered afterwards recovers another address
  const altered = x.map((v) => [...v]);
  altered[2]![0]! += 1n;
  await revertsWith(submit(address, { x: altered, signatures: good }), 'AdmmCoordinatorWrongSigner');
  // v = 29 is no valid recovery id: ecrecover fails
  const badV = `${good[1]!.slice(0, -2)}1d` as Hex;
  await revertsWith(submit(address, { x, signatures: [good[0]!, badV, good[2]!] }), 'AdmmCoordinatorBadSignature');
  // an empty signature without the bus's own transaction or commitment
  await revertsWith(submit(address, { x, signatures: [good[0]!, null, good[2]!] }), 'AdmmCoordinatorMissingVector');
  // a batch with one signature short
  const p = iterationPayload({ layout, periodsPerChunk: 2, chunk: 0, localVectors: x, state: initialFixedPointState(layout, testParams.rho0), signatures: good });
  await revertsWith(sendCoordinatorTransaction({
    clients, account: agentAccount(10), address, functionName: 'submitIteration', args: [0n, 0, p.x, p.zPrev, p.dualsPrev, concat(good.slice(0, 2))],
  }), 'AdmmCoordinatorMissingVector');
  await revertsWith(sendCoordinatorTransaction({
    clients, account: agentAccount(10), address, functionName: 'commitLocalVector', args: [0n, 0, keccak256('0x01')],
  }), 'AdmmCoordinatorUnknownBus');
});

test('provenance without signatures: the bus\'s own transaction, or its prior commitment', async () => {
  const address = await deployed();
  let state = initialFixedPointState(layout, testParams.rho0);
  const x = localSolutions(problem, state);
  const signatures = await signAll(address, 0n, x);
  // bus 0 posts the batch itself (no signature); bus 1 committed its values' hash before
  const range = chunkRanges(layout.periods, 2)[0]!;
  const valuesHash = keccak256(packInt64(chunkLocalVector(layout, 1, x[1]!, range)));
  await sendCoordinatorTransaction({ clients, account: busAccounts[1]!, address, functionName: 'commitLocalVector', args: [0n, 0, valuesHash] });
  // an agent waiting for iteration 1 is released by the step
  const waiting = waitForIteration(clients.publicClient, address, 1n, { pollingIntervalMs: 5 });
  await submit(address, { x, signatures: [null, null, signatures[2]!], sender: 0 });
  assert.equal((await waiting).iteration, 1n);
  state = (await readCoordinatorState(clients.publicClient, address));
  assert.equal(state.iteration, 1n);
  await assert.rejects(waitForIteration(clients.publicClient, address, 2n, { timeoutMs: 50 }), (err: unknown) => err instanceof GridError && err.field === 'timeoutMs');
});

test('iteration bookkeeping: wrong iteration, bad or duplicate chunk, state mismatch, wrong length, value out of range', async () => {
  const address = await deployed({ periodsPerChunk: 1 });
  const state = initialFixedPointState(layout, testParams.rho0);
  const x = localSolutions(problem, state);
  const sig1 = await signAll(address, 1n, x, 0, 1);
  await revertsWith(submit(address, { iteration: 1n, x, signatures: sig1, periodsPerChunk: 1 }), 'AdmmCoordinatorWrongIteration');
  const sig0 = await signAll(address, 0n, x, 0, 1);
  const p = iterationPayload({ layout, periodsPerChunk: 1, chunk: 0, localVectors: x, state, signatures: sig0 });
  await revertsWith(sendCoordinatorTransaction({
    clients, account: agentAccount(10), address, functionName: 'submitIteration', args: [0n, 2, p.x, p.zPrev, p.dualsPrev, p.signatures],
  }), 'AdmmCoordinatorBadChunk');
  await revertsWith(sendCoordinatorTransaction({
    clients, account: agentAccount(10), address, functionName: 'submitIteration', args: [0n, 0, `${p.x}00000000` as Hex, p.zPrev, p.dualsPrev, p.signatures],
  }), 'AdmmCoordinatorWrongVectorLength');
  await revertsWith(sendCoordinatorTransaction({
    clients, account: agentAccount(10), address, functionName: 'submitIteration', args: [0n, 0, p.x, concat([p.zPrev, toHex(packInt64([0n]))]), p.dualsPrev, p.signatures],
  }), 'AdmmCoordinatorWrongStateLength');
  const tampered = { ...state, z: state.z.map((v, g) => (g === 0 ? v + 1n : v)) };
  await revertsWith(submit(address, { x, state: tampered, signatures: sig0, periodsPerChunk: 1 }), 'AdmmCoordinatorStateMismatch');
  // every local value at the int64 maximum: over-relaxation (alpha = 1.5) pushes z past int64
  const huge = x.map((v) => v.map(() => int64Max));
  await revertsWith(submit(address, { x: huge, signatures: await signAll(address, 0n, huge, 0, 1), periodsPerChunk: 1 }), 'AdmmCoordinatorValueOutOfRange');
  await submit(address, { x, signatures: sig0, periodsPerChunk: 1 });
  await revertsWith(submit(address, { x, signatures: sig0, periodsPerChunk: 1 }), 'AdmmCoordinatorDuplicateChunk');
});

test('finalization: not before convergence, then once; no iteration after convergence', async () => {
  const address = await deployed();
  const state = initialFixedPointState(layout, testParams.rho0);
  const slices: FinalSlice[] = busAccounts.map((a, b) => ({ bus: b, participant: a.address, netInjection: [BigInt(b) * 1000n, -5n], dlmp: [40n * 10n ** 9n, 41n * 10n ** 9n] }));
  const sliceSignatures = await Promise.all(slices.map((slice, b) => signFinalSlice({ account: busAccounts[b]!, chainId: 31337, coordinator: address, slice })));
  await revertsWith(finalizeSchedule({ clients, account: operator, address, slices, signatures: sliceSignatures }), 'AdmmCoordinatorNotConverged');
  // every bus reports z^0 itself: zero residuals, converged after one step
  const x = layout.copyMap.map((map) => Array.from(map, (g) => state.z[g]!));
  await submit(address, { x, signatures: await signAll(address, 0n, x) });
  const after1 = await readCoordinatorState(clients.publicClient, address);
  assert.equal(after1.converged, true);
  await revertsWith(submit(address, { iteration: 1n, x, state: after1, signatures: await signAll(address, 1n, x) }), 'AdmmCoordinatorAlreadyConverged');
  const swapped = [slices[1]!, slices[0]!, slices[2]!];
  await revertsWith(finalizeSchedule({ clients, account: operator, address, slices: swapped, signatures: sliceSignatures }), 'AdmmCoordinatorWrongParticipant');
  await revertsWith(finalizeSchedule({ clients, account: operator, address, slices, signatures: [sliceSignatures[1]!, sliceSignatures[0]!, sliceSignatures[2]!] }), 'AdmmCoordinatorWrongSigner');
  const short = slices.map((s, b) => (b === 2 ? { ...s, dlmp: s.dlmp.slice(0, 1) } : s));
  await revertsWith(finalizeSchedule({ clients, account: operator, address, slices: short, signatures: sliceSignatures }), 'AdmmCoordinatorWrongPeriodCount');
  await finalizeSchedule({ clients, account: operator, address, slices, signatures: sliceSignatures });
  const final = await readCoordinatorState(clients.publicClient, address);
  assert.equal(final.finalized, true);
  await revertsWith(finalizeSchedule({ clients, account: operator, address, slices, signatures: sliceSignatures }), 'AdmmCoordinatorAlreadyFinal');
});

test('a layout too large for one transaction is chunked, and every chunk fits the EIP-7825 cap and its gas bound', async () => {
  // 120 buses x 24 periods: about 2.2 times the SCE-56 payload; choosePeriodsPerChunk splits it.
  const big = buildCouplingLayout([-1, ...Array.from({ length: 119 }, (_, k) => Math.floor(k / 2))], 24);
  const d = await deployAdmmCoordinator({ clients, account: operator, layout: big, params: testParams });
  const ranges = chunkRanges(big.periods, d.periodsPerChunk);
  assert.ok(ranges.length >= 2, `${ranges.length} chunk(s)`);
  const accounts = big.copyMap.map((_, b) => agentAccount(b % 60).address);
  // Several buses share a key here (Anvil funds 64 accounts); provenance is by index, so that is fine for gas.
  await registerBuses({ clients, account: operator, address: d.address, layout: big, accounts });
  const state = initialFixedPointState(big, testParams.rho0);
  const x = big.copyMap.map((map) => Array.from(map, (g) => state.z[g]! + 1000n));
  for (let c = 0; c < ranges.length; c++) {
    const signatures = await Promise.all(x.map(async (v, b) => (await signLocalCopy({
      account: agentAccount(b % 60), chainId: 31337, coordinator: d.address, iteration: 0n, bus: b, chunk: c, values: chunkLocalVector(big, b, v, ranges[c]!),
    })).signature));
    // gas omitted would default to the cap; the node enforces the cap (--enable-tx-gas-limit)
    const receipt = await submitIteration({ clients, account: agentAccount(61), address: d.address, layout: big, periodsPerChunk: d.periodsPerChunk, chunk: c, iteration: 0n, localVectors: x, state, signatures });
    assert.ok(receipt.gasUsed < 16_777_216n, `chunk ${c}: ${receipt.gasUsed} gas`);
    const bound = estimateChunkGas(big, ranges[c]![1] - ranges[c]![0]);
    assert.ok(receipt.gasUsed <= BigInt(bound), `chunk ${c}: ${receipt.gasUsed} gas, bound ${bound}`);
  }
  const after1 = await readCoordinatorState(clients.publicClient, d.address);
  assert.equal(after1.iteration, 1n);
});
