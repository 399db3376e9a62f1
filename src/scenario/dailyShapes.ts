/**
 * Daily profile shapes (docs/scenario.md): our own stylized average load shape, a clear-sky
 * solar shape and the generator's time-of-day cost schedule. Hourly tables are step functions
 * over the hours of the day; a period takes their average over its own time span, so any
 * dtHours works and dtHours = 1 returns the table itself.
 */

/** Average uncontrollable load per hour of day as a fraction of the bus's peak (evening peak at 18:00). */
export const averageLoadShape: readonly number[] = [
  0.56, 0.52, 0.50, 0.49, 0.50, 0.54, 0.62, 0.70, 0.74, 0.75, 0.75, 0.74,
  0.73, 0.73, 0.74, 0.77, 0.84, 0.93, 1.00, 0.98, 0.92, 0.83, 0.72, 0.62,
];

/** Linear generation cost per hour of day, currency per MWh: off-peak 40, day 50, evening peak 60. */
export const timeOfDayCostLinear: readonly number[] = [
  40, 40, 40, 40, 40, 40, 40, 50, 50, 50, 50, 50,
  50, 50, 50, 50, 50, 60, 60, 60, 60, 60, 40, 40,
];

/** Clear-sky day: the sun rises at 6:00 and sets at 19:00. */
export const solarDay = { sunriseHour: 6, sunsetHour: 19 } as const;

/** Average of an hourly step table over [startHour, endHour), wrapping past midnight. */
export function averageOfHourly(hourly: readonly number[], startHour: number, endHour: number): number {
  if (endHour <= startHour) return hourly[((Math.floor(startHour) % 24) + 24) % 24]!;
  let total = 0;
  for (let h = startHour; h < endHour - 1e-12; ) {
    const next = Math.min(Math.floor(h + 1e-12) + 1, endHour);
    total += hourly[((Math.floor(h + 1e-12) % 24) + 24) % 24]! * (next - h);
    h = next;
  }
  return total / (endHour - startHour);
}

/** An hourly table sampled at each period of a horizon starting at midnight. */
export function periodsOfHourly(hourly: readonly number[], periods: number, dtHours: number): number[] {
  return Array.from({ length: periods }, (_, t) => averageOfHourly(hourly, t * dtHours, (t + 1) * dtHours));
}

/**
 * Clear-sky PV output as a fraction of rating, averaged over each period:
 * sin(pi·(h − sunrise)/(sunset − sunrise)) between sunrise and sunset, 0 at night.
 */
export function solarProfile(periods: number, dtHours: number): number[] {
  const { sunriseHour: rise, sunsetHour: set } = solarDay;
  const w = Math.PI / (set - rise);
  // Integral of sin(w·(h − rise)) from a to b, clipped to daylight (days repeat every 24 h).
  const daylightIntegral = (a: number, b: number): number => {
    const lo = Math.max(a, rise);
    const hi = Math.min(b, set);
    return hi > lo ? (Math.cos(w * (lo - rise)) - Math.cos(w * (hi - rise))) / w : 0;
  };
  return Array.from({ length: periods }, (_, t) => {
    const start = t * dtHours;
    const end = start + dtHours;
    let total = 0;
    for (let day = Math.floor(start / 24); day * 24 < end; day++) total += daylightIntegral(start - day * 24, end - day * 24);
    return roundTo(Math.min(1, Math.max(0, total / dtHours)), 6);
  });
}

export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
