/**
 * The settlement vocabulary shared by the bill reference model, the billing actions and
 * contracts/src/Billing.sol. All quantities are fixed point at scale 1e9 (bigint), as on chain:
 * energies in p.u.·h, powers in p.u., prices in currency per p.u.·h. Money is in token base units
 * (18 decimals, so 1 currency unit = 1e18 = nano-energy × nano-price). Rules: docs/billing.md.
 */

/** Fixed-point scale of energies, powers and prices (nano units). */
export const FIXED_POINT_SCALE = 1_000_000_000n;

/** Token decimals of the settlement currency: energy·1e9 × price·1e9 is exactly one base unit. */
export const TOKEN_DECIMALS = 18;

/** One meter's signed day reading (the EIP-712 `MeterReading` struct). */
export interface MeterReading {
  bus: number;
  day: number;
  /** Strictly increasing per meter key; a reading with a used nonce is a replay. */
  nonce: bigint;
  /** Metered energy per period, p.u.·h × 1e9, positive = exported to the grid. */
  energy: readonly bigint[];
}

/** One leaf of S1's final schedule commitment: the slice the participant is billed against. */
export interface ScheduleSlice {
  bus: number;
  /** 0x-prefixed 20-byte address of the participant billed for this bus. */
  participant: `0x${string}`;
  /** Scheduled net injection per period, p.u. × 1e9, positive = the bus injects. */
  netInjection: readonly bigint[];
  /** DLMP per period, currency per p.u.·h × 1e9. */
  dlmp: readonly bigint[];
}

/** The settlement rule's parameters (immutables of the deployed Billing contract). */
export interface BillingRule {
  /** Number of periods in a day reading. */
  periods: number;
  /** Period length in hours × 1e9 (1e9 for hourly periods). */
  periodHoursNano: bigint;
  /** Deviation penalty, token base units per (p.u.·h × 1e9) of |metered − scheduled|. */
  penaltyRateNano: bigint;
  /** Largest accepted |energy| per period in a reading, p.u.·h × 1e9. */
  maxAbsEnergy: bigint;
}

/** One participant-day's bill; positive amounts are credits to the participant. */
export interface ParticipantDayBill {
  day: number;
  bus: number;
  participant: `0x${string}`;
  /** Σ_t dlmp_t × scheduled_t (token base units). */
  scheduledValue: bigint;
  /** Σ_t dlmp_t × (metered_t − scheduled_t). */
  deviationValue: bigint;
  /** penaltyRate × Σ_t |metered_t − scheduled_t| (always ≥ 0, paid to the surplus account). */
  penalty: bigint;
  /** scheduledValue + deviationValue − penalty: the participant's balance change. */
  net: bigint;
}

/** One participant-day to settle: the meter's reading and the participant's schedule slice. */
export interface SettlementInput {
  reading: MeterReading;
  slice: ScheduleSlice;
}
