import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GridError } from '../core/errors.js';
import { computeBills, computeParticipantDayBill, ledgerTotal } from './computeBills.js';
import { simulateMeterReadings } from './simulateMeterReadings.js';
import type { BillingRule, ScheduleSlice } from './types.js';

const S = 1_000_000_000n;
const rule: BillingRule = { periods: 3, periodHoursNano: S, penaltyRateNano: 5n * S, maxAbsEnergy: 100n * S };
const alice = '0x00000000000000000000000000000000000000a1';

test('on-schedule reading settles at the DLMP with no penalty', () => {
  const slice: ScheduleSlice = { bus: 1, participant: alice, netInjection: [S, -2n * S, 0n], dlmp: [10n * S, 20n * S, 30n * S] };
  const bill = computeParticipantDayBill({ slice, reading: { bus: 1, day: 7, nonce: 1n, energy: slice.netInjection } }, rule);
  // 1 p.u.h sold at 10, 2 p.u.h bought at 20: net −30 currency units = −30e18 base units.
  assert.equal(bill.scheduledValue, -30n * 10n ** 18n);
  assert.equal(bill.deviationValue, 0n);
  assert.equal(bill.penalty, 0n);
  assert.equal(bill.net, -30n * 10n ** 18n);
});

test('deviation settles at the DLMP plus the penalty rate on its magnitude', () => {
  const slice: ScheduleSlice = { bus: 1, participant: alice, netInjection: [S, S, S], dlmp: [10n * S, 10n * S, 10n * S] };
  const energy = [S + S / 2n, S - S / 4n, S];
  const bill = computeParticipantDayBill({ slice, reading: { bus: 1, day: 7, nonce: 1n, energy } }, rule);
  assert.equal(bill.deviationValue, 10n * S * (S / 2n - S / 4n));
  assert.equal(bill.penalty, 5n * S * (S / 2n + S / 4n));
  assert.equal(bill.net, bill.scheduledValue + bill.deviationValue - bill.penalty);
});

test('half-hour periods truncate the scheduled energy toward zero', () => {
  const half: BillingRule = { ...rule, periodHoursNano: S / 2n };
  const slice: ScheduleSlice = { bus: 2, participant: alice, netInjection: [3n, -3n, 0n], dlmp: [S, S, S] };
  const bill = computeParticipantDayBill({ slice, reading: { bus: 2, day: 1, nonce: 1n, energy: [1n, -1n, 0n] } }, half);
  assert.equal(bill.scheduledValue, 0n); // trunc(1.5) = 1, trunc(−1.5) = −1
  assert.equal(bill.penalty, 0n);
});

test('reference model refuses mismatched buses, wrong lengths, out-of-range energy and debts', () => {
  const slice: ScheduleSlice = { bus: 1, participant: alice, netInjection: [0n, 0n, 0n], dlmp: [S, S, S] };
  assert.throws(() => computeParticipantDayBill({ slice, reading: { bus: 2, day: 1, nonce: 1n, energy: [0n, 0n, 0n] } }, rule), GridError);
  assert.throws(() => computeParticipantDayBill({ slice, reading: { bus: 1, day: 1, nonce: 1n, energy: [0n] } }, rule), /periods/);
  assert.throws(() => computeParticipantDayBill({ slice, reading: { bus: 1, day: 1, nonce: 1n, energy: [101n * S, 0n, 0n] } }, rule), /out of range/);
  assert.throws(() => computeBills([{ slice, reading: { bus: 1, day: 1, nonce: 1n, energy: [-S, 0n, 0n] } }], rule), /owes/);
});

test('settlement conserves balances plus surplus (property)', () => {
  const price = fc.bigInt({ min: -50n * S, max: 500n * S });
  const power = fc.bigInt({ min: -5n * S, max: 5n * S });
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.array(fc.tuple(power, price), { minLength: 3, maxLength: 3 }), fc.nat(1000)), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 0, max: 2 ** 31 }),
      (buses, seed) => {
        const slices: ScheduleSlice[] = buses.map(([periods], bus) => ({
          bus,
          participant: `0x${(bus + 1).toString(16).padStart(40, '0')}`,
          netInjection: periods.map(([p]) => p),
          dlmp: periods.map(([, l]) => l),
        }));
        const readings = simulateMeterReadings(slices, 3, 1n, { seed, relative: 0.1, absoluteNano: S / 100n });
        const opening = new Map(slices.map((s) => [s.participant, 10n ** 40n]));
        const inputs = slices.map((slice, k) => ({ slice, reading: readings[k]! }));
        const { ledger, bills } = computeBills(inputs, rule, { balances: opening, surplus: 0n });
        assert.equal(ledgerTotal(ledger), BigInt(slices.length) * 10n ** 40n);
        const penalties = bills.reduce((sum, b) => sum + b.penalty, 0n);
        const netPaid = bills.reduce((sum, b) => sum - b.net, 0n);
        assert.equal(ledger.surplus, netPaid);
        assert.ok(penalties >= 0n);
      },
    ),
    { numRuns: 100, seed: 42 },
  );
});

test('simulated readings are reproducible from the seed and exact at zero deviation', () => {
  const slices: ScheduleSlice[] = [{ bus: 0, participant: alice, netInjection: [S, -S, 7n], dlmp: [S, S, S] }];
  const a = simulateMeterReadings(slices, 1, 1n, { seed: 9, relative: 0.05 });
  const b = simulateMeterReadings(slices, 1, 1n, { seed: 9, relative: 0.05 });
  assert.deepEqual(a, b);
  assert.deepEqual(simulateMeterReadings(slices, 1, 1n, { seed: 9 })[0]!.energy, slices[0]!.netInjection);
  for (const [t, e] of a[0]!.energy.entries()) {
    const s = slices[0]!.netInjection[t]!;
    const bound = ((s < 0n ? -s : s) * 50_000n) / 1_000_000n;
    assert.ok(e - s <= bound && s - e <= bound);
  }
});
