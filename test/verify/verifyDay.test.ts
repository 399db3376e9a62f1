import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAbiParameters, keccak256, numberToHex, pad, type Address, type Hex } from 'viem';
import { startAnvil, type AnvilNode } from '../../src/chain/node/startAnvil.js';
import { createChainClients, type ChainClients } from '../../src/chain/clients.js';
import { admmCoordinatorAbi } from '../../src/chain/artifacts/AdmmCoordinator.js';
import { billingAbi } from '../../src/chain/artifacts/Billing.js';
import { createConicSolver } from '../../src/conic/index.js';
import { formatCaseFile } from '../../src/scenario/formatCaseFile.js';
import { toScenario } from '../../src/scenario/toScenario.js';
import { verifyDay } from '../../src/pipeline/verifyDay.js';
import { runVerifyCommand } from '../../src/cli/commands/verify.js';
import { runDayOnChain, type DayOnChain } from './dayOnChain.js';
import { tinyVerifyCase } from './tinyCase.js';

let node: AnvilNode;
let clients: ChainClients;
let day: DayOnChain;
let dir: string;
let caseFile: string;
const scenario = toScenario(tinyVerifyCase());
/** The test day's ADMM settings (dayOnChain.ts): no dual warm start, plain local updates. */
const dayAdmm = { dualWarmStart: false, proximal: 0, localPenalty: { ownFlow: 1, ownVoltage: 1, parentVoltage: 1, childFlow: 1 } };

before(async () => {
  node = await startAnvil({ accounts: 8 });
  clients = createChainClients(node.rpcUrl);
  dir = mkdtempSync(join(tmpdir(), 'gc-verify-'));
  caseFile = join(dir, 'tiny.json');
  writeFileSync(caseFile, formatCaseFile(tinyVerifyCase()));
  day = await runDayOnChain({ clients, scenario, createSolver: createConicSolver });
});
after(async () => { await node?.stop(); if (dir) rmSync(dir, { recursive: true, force: true }); });

/** Runs `body` on a snapshot of the chain and reverts it afterwards. */
async function onSnapshot(body: () => Promise<void>): Promise<void> {
  const id = await clients.testClient.snapshot();
  try { await body(); } finally { await clients.testClient.revert({ id }); }
}

/** The storage slot of a value: scans the first slots for `probe(slot)` holding `expected`. */
async function findSlot(address: Address, expected: bigint, probe: (slot: bigint) => Hex): Promise<Hex> {
  for (let s = 0n; s < 32n; s++) {
    const slot = probe(s);
    const value = await clients.publicClient.getStorageAt({ address, slot });
    if (value !== undefined && BigInt(value) === expected && expected !== 0n) return slot;
  }
  throw new Error('slot not found');
}

test('a real day on chain verifies: every step, the convergence, the schedule and the bills', async () => {
  assert.ok(day.iterations > 1, `ADMM took ${day.iterations} iterations`);
  const result = await verifyDay({ rpcUrl: node.rpcUrl, coordinator: day.coordinator, caseOrScenario: scenario, billing: day.billing, admm: dayAdmm });

  const failed = result.checks.filter((c) => c.status === 'fail');
  assert.deepEqual(failed, [], failed.map((c) => `${c.id}: ${c.detail}`).join('\n'));
  assert.equal(result.ok, true);
  assert.equal(result.iterations, day.iterations);
  for (const id of ['network.layout', 'aggregator.inputs', 'aggregator.provenance', 'aggregator.steps', 'aggregator.finalState', 'aggregator.convergence',
    'schedule.root', 'schedule.balance', 'schedule.powerFlow', 'schedule.substation', 'schedule.voltageLimits', 'schedule.injectionLimits', 'schedule.prices',
    'billing.day', 'billing.readings', 'billing.slices', 'billing.bills', 'billing.coverage', 'billing.ledger', 'billing.conservation']) {
    assert.ok(result.checks.some((c) => c.id === id), `check ${id} ran`);
  }
  assert.equal(result.bills.length, scenario.buses.length);
});

test('a tampered chunk state hash in S1 storage fails the stored-state check', async () => {
  await onSnapshot(async () => {
    const stored = await clients.publicClient.readContract({ address: day.coordinator, abi: admmCoordinatorAbi, functionName: 'chunkStateHash', args: [0n] });
    // chunkStateHash is a dynamic array: element 0 lives at keccak(slot of the array).
    const slot = await findSlot(day.coordinator, BigInt(stored), (s) => keccak256(pad(numberToHex(s), { size: 32 })));
    await clients.testClient.setStorageAt({ address: day.coordinator, index: slot, value: pad(numberToHex(BigInt(stored) ^ 1n), { size: 32 }) });
    const result = await verifyDay({ rpcUrl: node.rpcUrl, coordinator: day.coordinator, caseOrScenario: scenario, checkSignatures: false, admm: dayAdmm });
    assert.equal(result.ok, false);
    assert.equal(result.firstFailure?.id, 'aggregator.finalState');
    assert.equal(result.firstFailure?.at?.field, 'chunkStateHash');
  });
});

test('a forged balance in Billing fails the ledger check naming the account and its bus', async () => {
  await onSnapshot(async () => {
    const victim = day.busAccounts[2]!.address;
    const balance = await clients.publicClient.readContract({ address: day.billing, abi: billingAbi, functionName: 'balanceOf', args: [victim] });
    const slot = await findSlot(day.billing, balance, (s) => keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [victim, s])));
    await clients.testClient.setStorageAt({ address: day.billing, index: slot, value: pad(numberToHex(balance + 10n ** 18n), { size: 32 }) });
    const result = await verifyDay({ rpcUrl: node.rpcUrl, coordinator: day.coordinator, caseOrScenario: scenario, billing: day.billing, checkSignatures: false, admm: dayAdmm });
    assert.equal(result.ok, false);
    assert.equal(result.firstFailure?.id, 'billing.ledger');
    assert.equal(result.firstFailure?.at?.bus, 2);
    assert.match(result.firstFailure!.detail, new RegExp(victim, 'i'));
    assert.equal(result.checks.find((c) => c.id === 'billing.conservation')?.status, 'fail');
  });
});

test('a case file whose line differs from the network the day ran on fails the schedule check at that bus', async () => {
  const edited = { ...scenario, buses: scenario.buses.map((b, i) => (i === 2 ? { ...b, r: b.r * 10, x: b.x * 10 } : b)) };
  const result = await verifyDay({ rpcUrl: node.rpcUrl, coordinator: day.coordinator, caseOrScenario: edited, checkSignatures: false, admm: dayAdmm });
  assert.equal(result.ok, false);
  assert.equal(result.firstFailure?.id, 'schedule.balance');
  assert.equal(result.firstFailure?.at?.bus, 2);
});

test('a DLMP other than the price the final duals imply fails the price check at the bus', async () => {
  // Verified as if the run had used the default dual warm start: the implied prices shift by the public forecast.
  const result = await verifyDay({ rpcUrl: node.rpcUrl, coordinator: day.coordinator, caseOrScenario: scenario, checkSignatures: false });
  assert.equal(result.firstFailure?.id, 'schedule.prices');
  assert.equal(result.firstFailure?.at?.bus, 0);
  assert.equal(result.firstFailure?.at?.field, 'dlmp');
  assert.equal(result.checks.find((c) => c.id === 'schedule.injectionLimits')?.status, 'pass');
});

test('an injection the bus\'s devices cannot deliver fails the injection-limit check at that bus and period', async () => {
  // Bus 3's load raised by 50 kW in the case: the committed injection is now 0.05 p.u. above what its devices allow.
  const edited = { ...scenario, buses: scenario.buses.map((b, i) => (i === 3 ? { ...b, devices: b.devices.map((d) => (d.kind === 'fixedLoad' ? { ...d, p: d.p.map((p) => p + 0.05) } : d)) } : b)) };
  const result = await verifyDay({ rpcUrl: node.rpcUrl, coordinator: day.coordinator, caseOrScenario: edited, checkSignatures: false, admm: dayAdmm });
  assert.equal(result.firstFailure?.id, 'schedule.injectionLimits');
  assert.equal(result.firstFailure?.at?.bus, 3);
  assert.equal(result.firstFailure?.at?.period, 0);
  assert.match(result.firstFailure!.detail, /above what the bus's devices can inject by 5\.000e-2 p\.u\./);
});

test('the verify command prints every check and exits non-zero naming the first discrepancy', async () => {
  let out = '';
  const ok = await runVerifyCommand({ rpcUrl: node.rpcUrl, coordinator: day.coordinator, case: caseFile, billing: day.billing, admmOptions: JSON.stringify(dayAdmm) }, (s) => { out += s; });
  assert.equal(ok, 0, out);
  assert.match(out, /PASS\s+every coordinator step re-derived/);
  await onSnapshot(async () => {
    const root = await clients.publicClient.readContract({ address: day.coordinator, abi: admmCoordinatorAbi, functionName: 'scheduleRoot' });
    const slot = await findSlot(day.coordinator, BigInt(root), (s) => pad(numberToHex(s), { size: 32 }));
    await clients.testClient.setStorageAt({ address: day.coordinator, index: slot, value: pad(numberToHex(BigInt(root) ^ 1n), { size: 32 }) });
    let json = '';
    const code = await runVerifyCommand({ rpcUrl: node.rpcUrl, coordinator: day.coordinator, case: caseFile, json: true, signatures: false, admmOptions: JSON.stringify(dayAdmm) }, (s) => { json += s; });
    assert.equal(code, 1);
    const parsed = JSON.parse(json) as { ok: boolean; firstFailure: { id: string } };
    assert.equal(parsed.ok, false);
    assert.equal(parsed.firstFailure.id, 'schedule.root');
  });
});
