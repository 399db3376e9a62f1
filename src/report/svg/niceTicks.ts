/**
 * Axis ticks at "nice" values: steps of 1, 2 or 5 times a power of ten, covering the data range,
 * and labels formatted with just enough decimals for the step (deterministic, no locale).
 */
import { InternalError } from '../../core/errors.js';
import { ReportError } from '../reportError.js';

export interface NiceTicks {
  /** First and last tick: the axis domain, which contains the data range. */
  start: number;
  stop: number;
  step: number;
  values: number[];
}

/** Smallest step of the form {1, 2, 5}·10^k that is at least `rawStep`. */
export function niceStep(rawStep: number): number {
  const power = Math.pow(10, Math.floor(Math.log10(rawStep)));
  for (const m of [1, 2, 5, 10]) {
    // Relative slack so that 0.30000000000000004 still counts as 0.3.
    if (m * power >= rawStep * (1 - 1e-9)) return m * power;
  }
  return 10 * power;
}

/**
 * Ticks covering [min, max] with about `targetCount` intervals. A degenerate range (min = max)
 * is widened around the value so a constant series still gets a readable axis.
 * @throws ReportError when min or max is not finite, or min > max.
 */
export function niceTicks(min: number, max: number, targetCount = 5): NiceTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new ReportError(`axis range [${min}, ${max}] is not finite`, { field: 'axis.domain', fix: ['drop NaN and infinite values before drawing'] });
  }
  if (min > max) throw new ReportError(`axis range [${min}, ${max}] is reversed`, { field: 'axis.domain', fix: ['give the smaller bound first'] });
  let lo = min;
  let hi = max;
  if (isDegenerateRange(lo, hi)) {
    const pad = Math.abs(lo) < 1e-200 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const count = Math.max(1, Math.round(targetCount));
  const step = niceStep((hi - lo) / count);
  // Integer tick indices keep the values free of accumulated rounding error.
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  if (!(step > 0) || !(last - first <= 10 * count + 10)) {
    throw new InternalError(`no tick step for [${min}, ${max}] (step ${step}, ${last - first} intervals)`);
  }
  const values: number[] = [];
  for (let k = first; k <= last; k++) values.push(cleanFloat(k * step));
  return { start: values[0]!, stop: values[values.length - 1]!, step, values };
}

/** True when [lo, hi] is too narrow to divide into ticks (a constant series, a single point). */
export function isDegenerateRange(lo: number, hi: number): boolean {
  return hi - lo <= Math.max(Math.abs(hi), Math.abs(lo)) * 1e-12 || hi - lo < 1e-200;
}

/** Rounds away binary noise (0.1·3 → 0.3); twelve significant digits are far finer than a step. */
function cleanFloat(value: number): number {
  const out = Number(value.toPrecision(12));
  return out === 0 ? 0 : out;
}

/** Decimals needed to tell apart ticks `step` apart. */
export function decimalsForStep(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/**
 * A tick label: thousands written as k / M for large magnitudes, otherwise fixed decimals.
 * `step` sets the decimals; pass 0 to format a lone value with up to 3 significant decimals.
 */
export function formatTick(value: number, step: number): string {
  const magnitude = Math.max(Math.abs(value), step);
  if (value === 0 && step >= 1e3 && magnitude >= 1e4) return '0';
  if (magnitude >= 1e6 && step >= 1e5) return `${trimZeros((value / 1e6).toFixed(decimalsForStep(step / 1e6)))}M`;
  if (magnitude >= 1e4 && step >= 1e3) return `${trimZeros((value / 1e3).toFixed(decimalsForStep(step / 1e3)))}k`;
  const decimals = step > 0 ? decimalsForStep(step) : 3;
  const text = value.toFixed(Math.min(decimals, 12));
  return Number(text) === 0 ? text.replace(/^-/, '') : text;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** A number for tables and notes: sensible significant digits, no locale, no exponent below 1e-3. */
export function formatValue(value: number, significant = 4): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'n/a' : value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e9) {
    const [mantissa, exponent] = value.toExponential(Math.max(0, significant - 1)).split('e') as [string, string];
    return `${trimZeros(mantissa)}e${exponent.replace('+', '')}`;
  }
  const decimals = Math.max(0, significant - 1 - Math.floor(Math.log10(magnitude)));
  const text = value.toFixed(Math.min(decimals, 12));
  return trimZeros(text);
}

/** Powers of ten covering [min, max] (both > 0), for a log axis. */
export function logTicks(min: number, max: number): NiceTicks {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new ReportError(`log axis range [${min}, ${max}] must be positive and finite`, {
      field: 'axis.domain',
      fix: ['drop zero, negative and non-finite values before a log axis, or use a linear axis'],
    });
  }
  let first = Math.floor(Math.log10(min) + 1e-9);
  let last = Math.ceil(Math.log10(max) - 1e-9);
  if (first === last) {
    first -= 1;
    last += 1;
  }
  const values: number[] = [];
  for (let k = first; k <= last; k++) values.push(Number(`1e${k}`));
  return { start: values[0]!, stop: values[values.length - 1]!, step: 10, values };
}
