/**
 * The net injection of one bus, p_i(t) and q_i(t) (model.md §Devices: generation minus
 * withdrawal), collected as linear terms plus a constant per period. Devices add to it; the
 * bus's balance rows consume it. A term is a column handle over the periods (one column per
 * period, −1 where the term is absent) with one coefficient, so the balance rows take it whole.
 */
import { InternalError } from '../../core/errors.js';

/** coef·x[cols[t]] in period t, nothing where cols[t] < 0. */
export interface InjectionTerm {
  cols: Int32Array;
  coef: number;
}

export interface BusInjection {
  periods: number;
  active: InjectionTerm[];
  reactive: InjectionTerm[];
  /** Fixed part of the injection (e.g. −load, +uncurtailable PV), p.u. */
  pConstant: Float64Array;
  qConstant: Float64Array;
}

export function createBusInjection(periods: number): BusInjection {
  return { periods, active: [], reactive: [], pConstant: new Float64Array(periods), qConstant: new Float64Array(periods) };
}

/** p_i(t) += coef·x[cols[t]] for every period t with cols[t] ≥ 0. */
export function addActiveTerms(injection: BusInjection, cols: Int32Array, coef: number): void {
  if (cols.length !== injection.periods) throw new InternalError(`an injection term needs ${injection.periods} columns, got ${cols.length}`);
  injection.active.push({ cols, coef });
}

/** q_i(t) += coef·x[cols[t]] for every period t with cols[t] ≥ 0. */
export function addReactiveTerms(injection: BusInjection, cols: Int32Array, coef: number): void {
  if (cols.length !== injection.periods) throw new InternalError(`an injection term needs ${injection.periods} columns, got ${cols.length}`);
  injection.reactive.push({ cols, coef });
}

/** The injection's value per period at a primal point x (variable terms plus the constant). */
export function injectionValues(terms: readonly InjectionTerm[], constant: Float64Array, x: ArrayLike<number>): Float64Array {
  const values = Float64Array.from(constant);
  for (const { cols, coef } of terms) {
    for (let t = 0; t < cols.length; t++) if (cols[t]! >= 0) values[t]! += coef * x[cols[t]!]!;
  }
  return values;
}
