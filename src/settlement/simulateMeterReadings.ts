import { GridError } from '../core/errors.js';
import { createRandom } from '../core/random.js';
import { FIXED_POINT_SCALE } from './types.js';
import type { MeterReading, ScheduleSlice } from './types.js';

/** How far simulated meters stray from the schedule. */
export interface MeterDeviationOptions {
  /** Seed of the deviation draws (same seed, same readings). */
  seed: number;
  /** Relative deviation bound: each period draws uniformly within ±relative × |scheduled| (e.g. 0.05). */
  relative?: number;
  /** Absolute deviation bound per period, p.u.·h × 1e9, drawn uniformly within ±absolute. */
  absoluteNano?: bigint;
  /** Share of periods metered exactly on schedule, in [0, 1] (default 0). */
  exactShare?: number;
  /** Period length in hours × 1e9 (default 1e9, hourly). */
  periodHoursNano?: bigint;
}

/**
 * Meter readings of one day: each bus's scheduled energy (trunc(p·dt / 1e9), as Billing.sol)
 * plus seeded random deviations. Every reading carries `nonce` (each meter counts its own
 * readings, so pass the next nonce of the meters, e.g. the day number).
 */
export function simulateMeterReadings(
  slices: readonly ScheduleSlice[],
  day: number,
  nonce: bigint,
  options: MeterDeviationOptions,
): MeterReading[] {
  const relative = options.relative ?? 0;
  const absolute = options.absoluteNano ?? 0n;
  const exactShare = options.exactShare ?? 0;
  const dt = options.periodHoursNano ?? FIXED_POINT_SCALE;
  if (!(relative >= 0 && relative <= 1)) {
    throw new GridError(`relative deviation ${relative} is outside [0, 1]`, { field: 'relative', fix: ['use e.g. 0.05 for ±5 %'] });
  }
  if (absolute < 0n) {
    throw new GridError(`absolute deviation ${absolute} is negative`, { field: 'absoluteNano', fix: ['give a bound ≥ 0'] });
  }
  // The project's one seeded generator (core/random.ts); seeds wrap to uint32 as before.
  const next = createRandom(options.seed >>> 0).next;
  // Relative bounds in parts per million keep the arithmetic in bigint.
  const relativePpm = BigInt(Math.round(relative * 1e6));
  return slices.map((slice) => ({
    bus: slice.bus,
    day,
    nonce,
    energy: slice.netInjection.map((power) => {
      const scheduled = (power * dt) / FIXED_POINT_SCALE;
      if (next() < exactShare) return scheduled;
      const magnitude = scheduled < 0n ? -scheduled : scheduled;
      const bound = (magnitude * relativePpm) / 1_000_000n + absolute;
      return scheduled + drawSymmetric(next, bound);
    }),
  }));
}

/** A uniform integer in [−bound, bound]. */
function drawSymmetric(next: () => number, bound: bigint): bigint {
  if (bound === 0n) return 0n;
  // 64 random bits: the modulo bias is negligible for bounds up to ~1e12 nano-units.
  const u = (BigInt(Math.floor(next() * 2 ** 32)) << 32n) | BigInt(Math.floor(next() * 2 ** 32));
  return (u % (2n * bound + 1n)) - bound;
}
