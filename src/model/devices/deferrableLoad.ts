/**
 * Deferrable load (appliance, model.md §Devices, eq. 9), with the binary start relaxed:
 * departure process d(t) ∈ [0, 1] nondecreasing, d(t) = 0 before the arrival (d ≤ a),
 * d(t) = 1 from the latest start on (a(t − ζ) ≤ d), and consumption
 * s(t) = Σ_u l(t − u)·(d(u) − d(u − 1)) (Φ applied to the increments of d).
 * The latest start is min(arrival + ζ, T − L) so the whole profile runs inside the day (our
 * choice where the paper is silent). Fixed values of d are substituted, not variables.
 */
import { GridError } from '../../core/errors.js';
import type { DeferrableLoad } from '../../scenario/types.js';
import { addActiveTerms } from '../network/busInjection.js';
import type { DeviceContext } from './deviceContext.js';

export interface DeferrableLoadHandle {
  kind: 'deferrableLoad';
  device: DeferrableLoad;
  /** Column of d(t) for arrival ≤ t < latestStart, −1 where d is fixed. */
  departure: Int32Array;
  latestStart: number;
}

/** Row block names (index: period t). */
export const deferrableTags = {
  monotone: (name: string) => `deferrable.monotone[${name}]`,
};

/** Latest start period: min(arrival + ζ, T − L). */
export function deferrableLatestStart(device: DeferrableLoad, periods: number): number {
  return Math.min(device.arrival + device.maxDelay, periods - device.profile.length);
}

export function addDeferrableLoad(ctx: DeviceContext, device: DeferrableLoad): DeferrableLoadHandle {
  const { builder, periods, injection } = ctx;
  const arrival = device.arrival;
  const latest = deferrableLatestStart(device, periods);
  if (arrival < 0 || latest < arrival) {
    throw new GridError(`deferrable load '${device.name}' cannot run its ${device.profile.length}-period profile inside the day when it arrives at period ${arrival}`, {
      field: `${ctx.field}.arrival`,
      fix: [`make it arrive by period ${periods - device.profile.length}, or shorten its profile`],
    });
  }
  const prefix = `deferrable[${device.name}]`;
  const block = builder.addVariables(`${prefix}.d`, latest - arrival);
  const departure = new Int32Array(periods).fill(-1);
  for (let t = arrival; t < latest; t++) departure[t] = block.start + (t - arrival);

  // d(t) − d(t − 1) ≥ 0 for arrival ≤ t ≤ latest, written d(t−1) − d(t) ≤ (constant part).
  const monotone = deferrableTags.monotone(device.name);
  for (let t = arrival; t <= latest; t++) {
    const cols: number[] = [];
    const coefs: number[] = [];
    let rhs = 0;
    if (departure[t - 1] !== undefined && departure[t - 1]! >= 0) {
      cols.push(departure[t - 1]!);
      coefs.push(1);
    }
    if (t < latest) {
      cols.push(departure[t]!);
      coefs.push(-1);
    } else {
      rhs = 1;
    }
    if (cols.length > 0) builder.addLessEqual(monotone, t, cols, coefs, rhs);
  }

  // Withdrawal s(t) = Σ_u l(t − u)·(d(u) − d(u − 1)), increments only at arrival ≤ u ≤ latest:
  // as terms over t, −l(τ)·d(t − τ) + l(τ)·d(t − τ − 1) for each profile step τ (d's columns are
  // −1 outside arrival ≤ u < latest, so the shifted handles hold exactly the variable increments).
  for (let tau = 0; tau < device.profile.length; tau++) {
    const l = device.profile[tau]!;
    if (l === 0) continue;
    addActiveTerms(injection, shifted(departure, tau), -l);
    addActiveTerms(injection, shifted(departure, tau + 1), l);
  }
  // The fixed values of d (0 before the arrival, 1 from the latest start) go to the constant.
  const fixedValue = (u: number) => (u >= latest ? 1 : 0);
  for (let u = arrival; u <= latest; u++) {
    for (let tau = 0; tau < device.profile.length; tau++) {
      const t = u + tau;
      const l = device.profile[tau]!;
      if (t >= periods || l === 0) continue;
      const now = u < periods ? departure[u]! : -1;
      if (now < 0) injection.pConstant[t]! -= l * fixedValue(u);
      const before = u - 1 >= 0 ? departure[u - 1]! : -1;
      if (before < 0) injection.pConstant[t]! += l * (u - 1 >= latest ? 1 : 0);
    }
  }
  return { kind: 'deferrableLoad', device, departure, latestStart: latest };
}

/** The handle delayed by `lag` periods: column of d(t − lag) at t, −1 where t − lag has no column. */
function shifted(departure: Int32Array, lag: number): Int32Array {
  const cols = new Int32Array(departure.length).fill(-1);
  cols.set(departure.subarray(0, Math.max(0, departure.length - lag)), Math.min(lag, departure.length));
  return cols;
}

/** d(t) from a primal point (fixed values filled in). */
export function deferrableDeparture(handle: DeferrableLoadHandle, x: ArrayLike<number>, periods: number): number[] {
  const d: number[] = [];
  for (let t = 0; t < periods; t++) {
    const col = handle.departure[t]!;
    d.push(col >= 0 ? x[col]! : t >= handle.latestStart ? 1 : 0);
  }
  return d;
}

/** Consumption s(t) = Φ·increments(d), p.u. */
export function deferrableConsumption(device: DeferrableLoad, departure: readonly number[]): number[] {
  const periods = departure.length;
  const s = new Array<number>(periods).fill(0);
  for (let u = 0; u < periods; u++) {
    const inc = departure[u]! - (u > 0 ? departure[u - 1]! : 0);
    if (inc === 0) continue;
    for (let tau = 0; tau < device.profile.length && u + tau < periods; tau++) s[u + tau]! += device.profile[tau]! * inc;
  }
  return s;
}
