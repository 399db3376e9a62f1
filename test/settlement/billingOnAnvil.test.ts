import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak256, toHex } from 'viem';
import type { LocalAccount } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { HDAccount } from 'viem/accounts';
import { readContract } from 'viem/actions';
import { computeBills, computeParticipantDayBill, ledgerTotal } from '../../src/settlement/computeBills.js';
import { simulateMeterReadings } from '../../src/settlement/simulateMeterReadings.js';
import type { BillingRule, MeterReading, ScheduleSlice } from '../../src/settlement/types.js';
import { bindDay } from '../../src/settlement/actions/bindDay.js';
import { billingAbi } from '../../src/chain/artifacts/Billing.js';
import { gridTokenAbi } from '../../src/chain/artifacts/GridToken.js';
import type { BillingClient } from '../../src/settlement/actions/billingTransaction.js';
import { BillingRevertError } from '../../src/settlement/actions/billingTransaction.js';
import { deployBilling } from '../../src/settlement/actions/deployBilling.js';
import { deployGridToken } from '../../src/settlement/actions/deployGridToken.js';
import { depositFunds } from '../../src/settlement/actions/depositFunds.js';
import { readBills, readLedger } from '../../src/settlement/actions/readBills.js';
import { registerMeter, revokeMeter } from '../../src/settlement/actions/registerMeter.js';
import { settleParticipantDay } from '../../src/settlement/actions/settleParticipantDay.js';
import { signMeterReading } from '../../src/settlement/actions/signMeterReading.js';
import { withdraw, withdrawSurplus } from '../../src/settlement/actions/withdraw.js';
import { agentAccount, createChainClients } from '../../src/chain/clients.js';
import type { ChainClients } from '../../src/chain/clients.js';
import { startAnvil } from '../../src/chain/node/startAnvil.js';
import { finalScheduleDay } from './finalScheduleDay.js';
import { readFinalSchedule } from '../../src/settlement/actions/readFinalSchedule.js';
import { scheduleLeaf } from '../../src/settlement/actions/scheduleTree.js';

const S = 1_000_000_000n;
const TOKEN = 10n ** 18n;
const PERIODS = 24;
const BUSES = 10;
const rule: BillingRule = { periods: PERIODS, periodHoursNano: S, penaltyRateNano: 3n * S, maxAbsEnergy: 50n * S };
let stopNode: () => Promise<void> = async () => {};
let clients: ChainClients;
let operator: BillingClient;
let participants: BillingClient[];
let busAccounts: HDAccount[];
let meters: LocalAccount[];
let token: `0x${string}`;
let billing: `0x${string}`;
const deposits = 1_000_000n * TOKEN;

function clientFor(index: number): BillingClient {
  return clients.walletFor(agentAccount(index));
}

/** A day schedule: even buses produce, odd buses consume at DLMPs 10 higher (a positive surplus). */
function daySlices(day: number): ScheduleSlice[] {
  return Array.from({ length: BUSES }, (_, bus) => ({
    bus,
    participant: participants[bus]!.account.address,
    netInjection: Array.from({ length: PERIODS }, (_, t) => (bus % 2 === 0 ? 1n : -1n) * BigInt(((bus * 31 + t * 17 + day * 7) % 90) + 10) * (S / 100n)),
    dlmp: Array.from({ length: PERIODS }, (_, t) => BigInt(((bus * 13 + t * 5 + day) % 40) + 20 + (bus % 2) * 10) * S + BigInt(bus) * (S / 7n)),
  }));
}

/** Run S1 to a final root over the day's slices and bind the day on Billing. */
async function openDay(day: number, slices: readonly ScheduleSlice[], accounts: readonly HDAccount[] = busAccounts) {
  const final = await finalScheduleDay({ clients, operator: agentAccount(0), busAccounts: accounts, slices });
  await bindDay(operator, { billing, day, scheduleSource: final.coordinator });
  return final;
}

async function signed(reading: MeterReading, meter: LocalAccount = meters[reading.bus]!) {
  return signMeterReading({ meter, reading, billing, chainId: clients.chain.id });
}

async function expectRevert(promise: Promise<unknown>, errorName: string) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof BillingRevertError, `expected BillingRevertError, got ${String(e)}`);
    assert.equal(e.errorName, errorName);
    return true;
  });
}

before(async () => {
  const node = await startAnvil({ accounts: BUSES + 2 });
  stopNode = node.stop;
  clients = createChainClients(node.rpcUrl);
  operator = clientFor(0);
  busAccounts = Array.from({ length: BUSES }, (_, b) => agentAccount(b + 1));
  participants = busAccounts.map((_, b) => clientFor(b + 1));
  meters = Array.from({ length: BUSES }, (_, b) => privateKeyToAccount(keccak256(toHex(`gridconsensus test meter ${b}`))));
  token = await deployGridToken(operator, { mint: participants.map((p) => ({ to: p.account.address, amount: 2n * deposits })) });
  billing = await deployBilling(operator, { token, rule });
  for (const p of participants) await depositFunds(p, { billing, token, amount: deposits });
  for (let b = 0; b < BUSES; b++) {
    await registerMeter(operator, { billing, meter: meters[b]!.address, bus: b, participant: participants[b]!.account.address });
  }
});

after(async () => stopNode());

test('signatures: valid settles, wrong signer, tampered value and malformed signature are refused', async () => {
  const slices = daySlices(100);
  const tree = await openDay(100, slices);
  const reading: MeterReading = { bus: 1, day: 100, nonce: 1n, energy: slices[1]!.netInjection };
  const base = { billing, meter: meters[1]!.address, reading, slice: slices[1]!, proof: tree.proof(1) };
  await expectRevert(settleParticipantDay(participants[0]!, { ...base, signature: await signed(reading, meters[2]) }), 'BillingWrongSigner');
  const tampered = { ...reading, energy: reading.energy.map((e, t) => (t === 5 ? e + 1n : e)) };
  await expectRevert(settleParticipantDay(participants[0]!, { ...base, reading: tampered, signature: await signed(reading) }), 'BillingWrongSigner');
  await expectRevert(settleParticipantDay(participants[0]!, { ...base, signature: `0x${'11'.repeat(64)}` }), 'BillingBadSignature');
  await expectRevert(settleParticipantDay(participants[0]!, { ...base, meter: meters[2]!.address, signature: await signed(reading, meters[2]) }), 'BillingMeterNotForBus');
  const stranger = privateKeyToAccount(keccak256(toHex('not a meter')));
  await expectRevert(settleParticipantDay(participants[0]!, { ...base, meter: stranger.address, signature: await signed(reading, stranger) }), 'BillingUnknownMeter');
  const contractLeaf = await readContract(operator, { address: billing, abi: billingAbi, functionName: 'scheduleLeaf', args: [{ ...slices[1]!, netInjection: [...slices[1]!.netInjection], dlmp: [...slices[1]!.dlmp] }] });
  assert.equal(contractLeaf, scheduleLeaf(slices[1]!));
  const { bill } = await settleParticipantDay(participants[0]!, { ...base, signature: await signed(reading) });
  assert.deepEqual(bill, computeParticipantDayBill({ reading, slice: slices[1]! }, rule));
  assert.equal(bill.penalty, 0n);
});

test('replays, second settlements and bad proofs are refused by name', async () => {
  const slices = daySlices(101);
  const tree = await openDay(101, slices);
  const reading: MeterReading = { bus: 3, day: 101, nonce: 5n, energy: slices[3]!.netInjection };
  const signature = await signed(reading);
  const base = { billing, meter: meters[3]!.address, slice: slices[3]!, proof: tree.proof(3) };
  await expectRevert(settleParticipantDay(operator, { ...base, reading, signature, proof: tree.proof(4) }), 'BillingBadProof');
  const badPrice = { ...slices[3]!, dlmp: slices[3]!.dlmp.map((p, t) => (t === 0 ? p - 1n : p)) };
  await expectRevert(settleParticipantDay(operator, { ...base, reading, signature, slice: badPrice }), 'BillingBadProof');
  await settleParticipantDay(operator, { ...base, reading, signature });
  await expectRevert(settleParticipantDay(operator, { ...base, reading, signature }), 'BillingReplayedReading');
  const again = { ...reading, nonce: 6n };
  await expectRevert(settleParticipantDay(operator, { ...base, reading: again, signature: await signed(again) }), 'BillingAlreadySettled');
  assert.equal(await readContract(operator, { address: billing, abi: billingAbi, functionName: 'isSettled', args: [101, 3] }), true);
});

test('days without a final schedule, bad values and unfunded debtors are refused', async () => {
  const slices = daySlices(102);
  // Converged but not finalized: S1 has no root yet.
  const tree = await finalScheduleDay({ clients, operator: agentAccount(0), busAccounts, slices, finalize: false });
  const notFinal = tree.coordinator;
  await expectRevert(bindDay(operator, { billing, day: 102, scheduleSource: notFinal }), 'BillingScheduleNotFinal');
  const reading: MeterReading = { bus: 0, day: 102, nonce: 10n, energy: slices[0]!.netInjection };
  const base = { billing, meter: meters[0]!.address, slice: slices[0]!, proof: tree.proof(0) };
  await expectRevert(settleParticipantDay(operator, { ...base, reading, signature: await signed(reading) }), 'BillingScheduleNotFinal');
  await expectRevert(bindDay(participants[0]!, { billing, day: 102, scheduleSource: notFinal }), 'BillingNotOperator');
  await openDay(102, slices);
  await expectRevert(openDay(102, slices), 'BillingDayAlreadyBound');
  const huge = { ...reading, energy: reading.energy.map((e, t) => (t === 2 ? 51n * S : e)) };
  await expectRevert(settleParticipantDay(operator, { ...base, reading: huge, signature: await signed(huge) }), 'BillingValueOutOfRange');
  const short = { ...reading, energy: reading.energy.slice(1) };
  await expectRevert(settleParticipantDay(operator, { ...base, reading: short, signature: await signed(short) }), 'BillingWrongPeriodCount');
  // Consumer bus 1 billed to an account that never deposited (its meter re-registered for it).
  const brokeAccount = agentAccount(BUSES + 1);
  const brokeMeter = privateKeyToAccount(keccak256(toHex('broke meter')));
  const brokeSlices = daySlices(103).map((x) => (x.bus === 1 ? { ...x, participant: brokeAccount.address } : x));
  const brokeDay = await openDay(103, brokeSlices, busAccounts.map((a, b) => (b === 1 ? brokeAccount : a)));
  await registerMeter(operator, { billing, meter: brokeMeter.address, bus: 1, participant: brokeAccount.address });
  const owed: MeterReading = { bus: 1, day: 103, nonce: 1n, energy: brokeSlices[1]!.netInjection };
  await expectRevert(
    settleParticipantDay(operator, { billing, meter: brokeMeter.address, reading: owed, signature: await signed(owed, brokeMeter), slice: brokeSlices[1]!, proof: brokeDay.proof(1) }),
    'BillingInsufficientBalance',
  );
  await registerMeter(operator, { billing, meter: meters[1]!.address, bus: 1, participant: slices[1]!.participant });
});

test('key rotation and revocation: the old key is refused', async () => {
  const slices = daySlices(104);
  const tree = await openDay(104, slices);
  const newKey = privateKeyToAccount(keccak256(toHex('rotated meter 7')));
  await registerMeter(operator, { billing, meter: newKey.address, bus: 7, participant: slices[7]!.participant });
  const reading: MeterReading = { bus: 7, day: 104, nonce: 1n, energy: slices[7]!.netInjection };
  const base = { billing, reading, slice: slices[7]!, proof: tree.proof(7) };
  await expectRevert(settleParticipantDay(operator, { ...base, meter: meters[7]!.address, signature: await signed(reading, meters[7]) }), 'BillingUnknownMeter');
  await expectRevert(revokeMeter(operator, { billing, meter: meters[7]!.address }), 'BillingUnknownMeter');
  await settleParticipantDay(operator, { ...base, meter: newKey.address, signature: await signed(reading, newKey) });
  await revokeMeter(operator, { billing, meter: newKey.address });
  await registerMeter(operator, { billing, meter: meters[7]!.address, bus: 7, participant: slices[7]!.participant });
});

test('contract bills equal computeBills exactly and money is conserved over 50 random participant-days', async () => {
  const accounts = participants.map((p) => p.account.address);
  const ledgerBefore = await readLedger(operator, { billing, accounts });
  let model = ledgerBefore;
  const tokenHeld = async () => readContract(operator, { address: token, abi: gridTokenAbi, functionName: 'balanceOf', args: [billing] });
  for (let day = 1; day <= 5; day++) {
    const slices = daySlices(day);
    const opened = await openDay(day, slices);
    // The settler's view: slices and proofs rebuilt from S1's events, checked against its root.
    const tree = await readFinalSchedule(operator, { coordinator: opened.coordinator });
    assert.deepEqual(tree.slices, slices);
    // Nonce 1000 + day stays above every nonce the other tests used.
    const readings = simulateMeterReadings(slices, day, 1000n + BigInt(day), { seed: 7 * day, relative: 0.08, absoluteNano: S / 50n, exactShare: 0.2 });
    const order = slices.map((_, k) => k).sort((a, b) => ((a * 7 + day) % BUSES) - ((b * 7 + day) % BUSES));
    for (const k of order) {
      const reading = readings[k]!;
      await settleParticipantDay(participants[k]!, {
        billing, meter: meters[k]!.address, reading, signature: await signed(reading), slice: slices[k]!, proof: tree.proof(k),
      });
    }
    const expected = computeBills(order.map((k) => ({ reading: readings[k]!, slice: slices[k]! })), rule, model);
    model = expected.ledger;
    assert.deepEqual(await readBills(operator, { billing, day }), expected.bills);
    const onChain = await readLedger(operator, { billing, accounts });
    assert.deepEqual(onChain, model);
    assert.equal(ledgerTotal(onChain), ledgerTotal(ledgerBefore));
    assert.equal(ledgerTotal(onChain), await tokenHeld());
  }
});

test('withdrawals pay out balances and a positive surplus, never more', async () => {
  const p = participants[2]!;
  const tokenOf = async (a: `0x${string}`) => readContract(p, { address: token, abi: gridTokenAbi, functionName: 'balanceOf', args: [a] });
  const before = await tokenOf(p.account.address);
  const ledger = await readLedger(p, { billing, accounts: [p.account.address] });
  const balance = ledger.balances.get(p.account.address.toLowerCase())!;
  await expectRevert(withdraw(p, { billing, amount: balance + 1n }), 'BillingInsufficientBalance');
  await withdraw(p, { billing, amount: balance });
  assert.equal(await tokenOf(p.account.address), before + balance);
  const { surplus } = await readLedger(p, { billing, accounts: [] });
  assert.ok(surplus > 0n, 'penalties keep the surplus positive');
  await expectRevert(withdrawSurplus(p, { billing, to: p.account.address, amount: 1n }), 'BillingNotOperator');
  await expectRevert(withdrawSurplus(operator, { billing, to: operator.account.address, amount: surplus + 1n }), 'BillingInsufficientBalance');
  await withdrawSurplus(operator, { billing, to: operator.account.address, amount: surplus });
  assert.equal(await tokenOf(operator.account.address), surplus);
});

test('half-hour periods: the contract truncates scheduled energy exactly like the reference model', async () => {
  const halfHour: BillingRule = { ...rule, periodHoursNano: S / 2n, penaltyRateNano: 7n * S };
  const billing2 = await deployBilling(operator, { token, rule: halfHour });
  const slices = daySlices(200).map((x) => ({ ...x, netInjection: x.netInjection.map((p, t) => p + BigInt(t % 2)) }));
  const final = await finalScheduleDay({ clients, operator: agentAccount(0), busAccounts, slices });
  await bindDay(operator, { billing: billing2, day: 200, scheduleSource: final.coordinator });
  const bus = 3;
  await depositFunds(participants[bus]!, { billing: billing2, token, amount: 1_000n * TOKEN });
  await registerMeter(operator, { billing: billing2, meter: meters[bus]!.address, bus, participant: slices[bus]!.participant });
  const [reading] = simulateMeterReadings([slices[bus]!], 200, 1n, { seed: 3, relative: 0.1, periodHoursNano: S / 2n });
  const signature = await signMeterReading({ meter: meters[bus]!, reading: reading!, billing: billing2, chainId: clients.chain.id });
  const { bill } = await settleParticipantDay(operator, { billing: billing2, meter: meters[bus]!.address, reading: reading!, signature, slice: slices[bus]!, proof: final.proof(bus) });
  assert.deepEqual(bill, computeParticipantDayBill({ reading: reading!, slice: slices[bus]! }, halfHour));
  assert.ok(bill.penalty > 0n);
});
