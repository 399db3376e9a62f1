import { GridError } from '../core/errors.js';
import { FIXED_POINT_SCALE } from './types.js';
import type { BillingRule, ParticipantDayBill, SettlementInput } from './types.js';

/** Balances of every account plus the signed surplus account, in token base units. */
export interface Ledger {
  /** Keyed by lower-case participant address. */
  balances: Map<string, bigint>;
  surplus: bigint;
}

export interface ComputeBillsResult {
  bills: ParticipantDayBill[];
  ledger: Ledger;
}

/**
 * The bill of one participant-day, exactly as Billing.sol's `_charges` computes it
 * (docs/billing.md §Rule): per period, scheduled energy s = trunc(p·dt / 1e9), deviation
 * d = metered − s; the schedule settles at the DLMP, the deviation at the DLMP, and
 * penaltyRate·|d| goes to the surplus account. bigint `/` truncates toward zero like Solidity.
 */
export function computeParticipantDayBill(input: SettlementInput, rule: BillingRule): ParticipantDayBill {
  const { reading, slice } = input;
  checkShape(input, rule);
  let scheduledValue = 0n;
  let deviationValue = 0n;
  let absDeviation = 0n;
  for (let t = 0; t < rule.periods; t++) {
    const metered = reading.energy[t]!;
    if (metered > rule.maxAbsEnergy || metered < -rule.maxAbsEnergy) {
      throw new GridError(`metered energy ${metered} is out of range (|e| ≤ ${rule.maxAbsEnergy})`, {
        field: `reading.energy[${t}]`,
        fix: ['check the meter scaling: energies are p.u.·h × 1e9', 'or deploy Billing with a larger maxAbsEnergy'],
      });
    }
    const price = slice.dlmp[t]!;
    const power = slice.netInjection[t]!;
    const scheduled = rule.periodHoursNano === FIXED_POINT_SCALE ? power : (power * rule.periodHoursNano) / FIXED_POINT_SCALE;
    const deviation = metered - scheduled;
    scheduledValue += price * scheduled;
    deviationValue += price * deviation;
    absDeviation += deviation < 0n ? -deviation : deviation;
  }
  const penalty = absDeviation * rule.penaltyRateNano;
  return {
    day: reading.day,
    bus: slice.bus,
    participant: slice.participant,
    scheduledValue,
    deviationValue,
    penalty,
    net: scheduledValue + deviationValue - penalty,
  };
}

/**
 * Settle participant-days in order against a ledger, as the contract would: each bill moves
 * `net` from the surplus account to the participant, so Σ balances + surplus never changes.
 * Throws when a participant cannot pay (the contract's BillingInsufficientBalance) or a
 * bus-day appears twice (BillingAlreadySettled).
 */
export function computeBills(inputs: readonly SettlementInput[], rule: BillingRule, opening?: Ledger): ComputeBillsResult {
  const balances = new Map(opening?.balances ?? []);
  let surplus = opening?.surplus ?? 0n;
  const seen = new Set<string>();
  const bills: ParticipantDayBill[] = [];
  for (const [i, input] of inputs.entries()) {
    const key = `${input.reading.day}/${input.slice.bus}`;
    if (seen.has(key)) {
      throw new GridError(`bus ${input.slice.bus} is settled twice for day ${input.reading.day}`, {
        field: `inputs[${i}]`,
        fix: ['settle each bus-day once'],
      });
    }
    seen.add(key);
    const bill = computeParticipantDayBill(input, rule);
    const account = bill.participant.toLowerCase();
    const balance = balances.get(account) ?? 0n;
    if (balance + bill.net < 0n) {
      throw new GridError(`participant ${bill.participant} owes ${-bill.net} but holds ${balance}`, {
        field: `inputs[${i}].slice.participant`,
        fix: ['deposit more funds before settlement'],
      });
    }
    balances.set(account, balance + bill.net);
    surplus -= bill.net;
    bills.push(bill);
  }
  return { bills, ledger: { balances, surplus } };
}

/** Σ balances + surplus: constant under settlement (money conservation). */
export function ledgerTotal(ledger: Ledger): bigint {
  let total = ledger.surplus;
  for (const b of ledger.balances.values()) total += b;
  return total;
}

function checkShape({ reading, slice }: SettlementInput, rule: BillingRule): void {
  if (reading.bus !== slice.bus) {
    throw new GridError(`reading is for bus ${reading.bus} but the schedule slice is for bus ${slice.bus}`, {
      field: 'reading.bus',
      fix: ['pair each reading with the schedule slice of the same bus'],
    });
  }
  for (const [field, values] of [
    ['reading.energy', reading.energy],
    ['slice.netInjection', slice.netInjection],
    ['slice.dlmp', slice.dlmp],
  ] as const) {
    if (values.length !== rule.periods) {
      throw new GridError(`${values.length} periods, expected ${rule.periods}`, {
        field,
        fix: [`give one value per period (${rule.periods})`],
      });
    }
  }
}
