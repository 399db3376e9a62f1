/**
 * The verifier's checks of S2 (Billing) for one S1 day: every bill re-computed from the signed
 * reading and the final slice in its settlement transaction's calldata (the bigint reference
 * model src/settlement/computeBills.ts), every reading's meter signature and registration, and
 * the ledger replayed from all of Billing's money events against the balances it stores and the
 * tokens it holds (docs/billing.md §The surplus account and conservation).
 */
import { decodeFunctionData, erc20Abi, recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { billingAbi } from '../chain/artifacts/Billing.js';
import { computeParticipantDayBill } from '../settlement/computeBills.js';
import { meterReadingTypedData } from '../settlement/meterReadingTypedData.js';
import type { BillingRule, MeterReading, ParticipantDayBill, ScheduleSlice } from '../settlement/types.js';
import type { VerifyClient } from './verifyChainData.js';
import type { VerifyCheck } from './verifyTypes.js';

export interface BillingVerification {
  checks: VerifyCheck[];
  /** Bills booked for the day(s) bound to the coordinator, re-derived and as booked. */
  bills: ParticipantDayBill[];
  days: number[];
}

type Position = { blockNumber: bigint; logIndex: number };
const before = (a: Position, b: Position) => a.blockNumber < b.blockNumber || (a.blockNumber === b.blockNumber && a.logIndex < b.logIndex);
const sameSlice = (a: ScheduleSlice, b: ScheduleSlice) =>
  a.bus === b.bus && a.participant.toLowerCase() === b.participant.toLowerCase() &&
  a.netInjection.length === b.netInjection.length && a.netInjection.every((v, t) => v === b.netInjection[t]) &&
  a.dlmp.length === b.dlmp.length && a.dlmp.every((v, t) => v === b.dlmp[t]);

/** Checks Billing at `billing` for the days bound to `coordinator`, whose final slices are `slices` (index = bus). */
export async function verifyBilling(
  client: VerifyClient,
  o: { billing: Address; coordinator: Address; scheduleRoot: Hex; slices: readonly ScheduleSlice[]; chainId: number; fromBlock?: bigint; busName?: (bus: number) => string },
): Promise<BillingVerification> {
  const fromBlock = o.fromBlock ?? 0n;
  const name = o.busName ?? ((b: number) => `bus ${b}`);
  const checks: VerifyCheck[] = [];
  // One block for every read: settlements still arriving cannot make events and balances disagree.
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  const read = <F extends 'periods' | 'periodHoursNano' | 'penaltyRateNano' | 'maxAbsEnergy' | 'token' | 'surplus'>(functionName: F) =>
    client.readContract({ address: o.billing, abi: billingAbi, functionName, blockNumber } as never) as Promise<unknown>;
  const rule: BillingRule = {
    periods: Number(await read('periods') as bigint),
    periodHoursNano: await read('periodHoursNano') as bigint,
    penaltyRateNano: await read('penaltyRateNano') as bigint,
    maxAbsEnergy: await read('maxAbsEnergy') as bigint,
  };
  const events = <E extends 'DayBound' | 'ParticipantDaySettled' | 'Deposited' | 'Withdrawn' | 'SurplusWithdrawn' | 'MeterRegistered'>(eventName: E) =>
    client.getContractEvents({ address: o.billing, abi: billingAbi, eventName, fromBlock, toBlock: blockNumber, strict: true });
  const [bound, settled, deposited, withdrawn, surplusOut, meters] = await Promise.all([
    events('DayBound'), events('ParticipantDaySettled'), events('Deposited'), events('Withdrawn'), events('SurplusWithdrawn'), events('MeterRegistered'),
  ]);

  // 1. Which days settle against this coordinator, and did Billing copy its root?
  const ours = bound.filter((e) => (e.args.source as Address).toLowerCase() === o.coordinator.toLowerCase());
  const days = ours.map((e) => Number(e.args.day));
  const wrongRoot = ours.find((e) => e.args.root !== o.scheduleRoot);
  checks.push(ours.length === 0
    ? { id: 'billing.day', title: 'Billing day bound to this coordinator', status: 'fail', detail: `no DayBound event of ${o.billing} names ${o.coordinator}`, at: { field: 'DayBound.source' } }
    : wrongRoot
      ? { id: 'billing.day', title: 'Billing day bound to this coordinator', status: 'fail', detail: `day ${wrongRoot.args.day} was bound with root ${wrongRoot.args.root}, S1 committed ${o.scheduleRoot}`, at: { field: `dayRoot[${wrongRoot.args.day}]` } }
      : { id: 'billing.day', title: 'Billing day bound to this coordinator', status: 'pass', detail: `day ${days.join(', ')} bound with S1's schedule root` });

  // 2. Each settlement of those days: slice = S1's, reading signed by the bus's registered meter, bill = reference model.
  const bills: ParticipantDayBill[] = [];
  let sliceFailure: VerifyCheck | null = null;
  let readingFailure: VerifyCheck | null = null;
  let billFailure: VerifyCheck | null = null;
  const settledBuses = new Set<number>();
  for (const e of settled.filter((s) => days.includes(Number(s.args.day)))) {
    const booked = e.args as unknown as ParticipantDayBill;
    const tx = await client.getTransaction({ hash: e.transactionHash });
    const call = tx.to?.toLowerCase() === o.billing.toLowerCase() ? decodeFunctionData({ abi: billingAbi, data: tx.input }) : null;
    const where = { bus: booked.bus, busName: name(booked.bus), field: `day ${booked.day}` };
    if (!call || call.functionName !== 'settleParticipantDay') {
      readingFailure ??= { id: 'billing.readings', title: 'meter readings signed by the registered meters', status: 'fail', detail: `the settlement of ${name(booked.bus)} (tx ${e.transactionHash}) was not a direct settleParticipantDay call; its reading cannot be read`, at: where };
      continue;
    }
    const [meter, rawReading, signature, rawSlice] = call.args as unknown as [Address, MeterReading, Hex, ScheduleSlice];
    const reading: MeterReading = { bus: rawReading.bus, day: rawReading.day, nonce: rawReading.nonce, energy: [...rawReading.energy] };
    const slice: ScheduleSlice = { bus: rawSlice.bus, participant: rawSlice.participant, netInjection: [...rawSlice.netInjection], dlmp: [...rawSlice.dlmp] };
    settledBuses.add(slice.bus);
    const s1 = o.slices[slice.bus];
    if (!s1 || !sameSlice(s1, slice)) {
      const t = s1 ? slice.netInjection.findIndex((v, i) => v !== s1.netInjection[i] || slice.dlmp[i] !== s1.dlmp[i]) : -1;
      sliceFailure ??= { id: 'billing.slices', title: 'bills use S1\'s final slices', status: 'fail', detail: `${name(slice.bus)} was settled against a slice that differs from S1's final slice${t >= 0 ? ` at period ${t}` : ''}`, at: { ...where, ...(t >= 0 ? { period: t } : {}) } };
    }
    const signer = await recoverTypedDataAddress({ ...meterReadingTypedData(reading, o.billing, o.chainId), signature });
    const registration = meters.filter((m) => (m.args.meter as Address).toLowerCase() === meter.toLowerCase() && before(m as Position, e as Position)).at(-1);
    if (signer.toLowerCase() !== meter.toLowerCase()) {
      readingFailure ??= { id: 'billing.readings', title: 'meter readings signed by the registered meters', status: 'fail', detail: `${name(slice.bus)}'s reading is signed by ${signer}, not by meter ${meter}`, at: where };
    } else if (!registration || Number(registration.args.bus) !== reading.bus || (registration.args.participant as Address).toLowerCase() !== slice.participant.toLowerCase()) {
      readingFailure ??= { id: 'billing.readings', title: 'meter readings signed by the registered meters', status: 'fail', detail: `meter ${meter} was not registered for ${name(slice.bus)} and ${slice.participant} when the reading settled`, at: where };
    }
    const expected = computeParticipantDayBill({ reading, slice: s1 ?? slice }, rule);
    bills.push(expected);
    for (const field of ['scheduledValue', 'deviationValue', 'penalty', 'net'] as const) {
      if (expected[field] !== booked[field] || expected.participant.toLowerCase() !== booked.participant.toLowerCase()) {
        billFailure ??= { id: 'billing.bills', title: 'bills equal schedule × DLMP + deviations − penalty', status: 'fail', detail: `${name(slice.bus)}: booked ${field} ${booked[field]}, recomputed ${expected[field]} (token base units)`, at: { ...where, field: `${field}, day ${booked.day}` } };
        break;
      }
    }
  }
  checks.push(readingFailure ?? { id: 'billing.readings', title: 'meter readings signed by the registered meters', status: 'pass', detail: `${bills.length} readings, each EIP-712-signed by the meter registered for its bus and participant` });
  checks.push(sliceFailure ?? { id: 'billing.slices', title: 'bills use S1\'s final slices', status: 'pass', detail: `${bills.length} settlements against the committed slices` });
  checks.push(billFailure ?? { id: 'billing.bills', title: 'bills equal schedule × DLMP + deviations − penalty', status: 'pass', detail: `${bills.length} bills recomputed to the base unit (penalty ${rule.penaltyRateNano} per nano-p.u.·h)` });
  const unsettled = o.slices.map((s) => s.bus).filter((b) => !settledBuses.has(b));
  checks.push({ id: 'billing.coverage', title: 'buses settled', status: 'info', detail: unsettled.length === 0 ? `all ${o.slices.length} buses settled` : `${unsettled.length} of ${o.slices.length} buses not settled yet: ${unsettled.slice(0, 10).map(name).join(', ')}${unsettled.length > 10 ? ', …' : ''}` });

  // 3. The ledger: replay every money event of the contract and compare with its storage and tokens.
  const expectedBalance = new Map<string, bigint>();
  const add = (account: string, amount: bigint) => expectedBalance.set(account.toLowerCase(), (expectedBalance.get(account.toLowerCase()) ?? 0n) + amount);
  let expectedSurplus = 0n;
  let expectedHeld = 0n;
  for (const e of deposited) { add(e.args.account as string, e.args.amount as bigint); expectedHeld += e.args.amount as bigint; }
  for (const e of withdrawn) { add(e.args.account as string, -(e.args.amount as bigint)); expectedHeld -= e.args.amount as bigint; }
  for (const e of surplusOut) { expectedSurplus -= e.args.amount as bigint; expectedHeld -= e.args.amount as bigint; }
  for (const e of settled) { add(e.args.participant as string, e.args.net as bigint); expectedSurplus -= e.args.net as bigint; }
  let ledgerFailure: VerifyCheck | null = null;
  let storedTotal = 0n;
  for (const [account, expected] of expectedBalance) {
    const stored = await client.readContract({ address: o.billing, abi: billingAbi, functionName: 'balanceOf', args: [account as Address], blockNumber });
    storedTotal += stored;
    if (stored !== expected) {
      const bus = o.slices.find((s) => s.participant.toLowerCase() === account)?.bus;
      ledgerFailure ??= { id: 'billing.ledger', title: 'balances equal deposits − withdrawals + bills', status: 'fail', detail: `Billing stores balance ${stored} for ${account}, its events add up to ${expected} (difference ${stored - expected})`, at: { field: `balanceOf[${account}]`, ...(bus === undefined ? {} : { bus, busName: name(bus) }) } };
    }
  }
  const storedSurplus = await read('surplus') as bigint;
  if (!ledgerFailure && storedSurplus !== expectedSurplus) {
    ledgerFailure = { id: 'billing.ledger', title: 'balances equal deposits − withdrawals + bills', status: 'fail', detail: `Billing stores surplus ${storedSurplus}, its events add up to ${expectedSurplus}`, at: { field: 'surplus' } };
  }
  checks.push(ledgerFailure ?? { id: 'billing.ledger', title: 'balances equal deposits − withdrawals + bills', status: 'pass', detail: `${expectedBalance.size} balances and the surplus (${storedSurplus}) match the replayed events` });
  const token = await read('token') as Address;
  const held = await client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [o.billing], blockNumber });
  const conserved = held === storedTotal + storedSurplus && held === expectedHeld;
  checks.push({
    id: 'billing.conservation', title: 'money conserved (tokens held = Σ balances + surplus)', status: conserved ? 'pass' : 'fail',
    detail: conserved
      ? `${held} token base units held = Σ balances ${storedTotal} + surplus ${storedSurplus}`
      : `tokens held ${held}, Σ stored balances + surplus ${storedTotal + storedSurplus}, deposits − withdrawals ${expectedHeld}`,
    ...(conserved ? {} : { at: { field: 'token.balanceOf(billing)' } }),
  });
  return { checks, bills, days };
}
