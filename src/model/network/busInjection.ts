/**
 * The net injection of one bus, p_i(t) and q_i(t) (model.md §Devices: generation minus
 * withdrawal), collected as linear terms plus a constant per period. Devices add to it; the
 * bus's balance rows consume it.
 */
export interface BusInjection {
  periods: number;
  pCols: number[][];
  pCoefs: number[][];
  qCols: number[][];
  qCoefs: number[][];
  /** Fixed part of the injection (e.g. −load, +uncurtailable PV), p.u. */
  pConstant: Float64Array;
  qConstant: Float64Array;
}

export function createBusInjection(periods: number): BusInjection {
  const lists = () => Array.from({ length: periods }, (): number[] => []);
  return {
    periods,
    pCols: lists(), pCoefs: lists(), qCols: lists(), qCoefs: lists(),
    pConstant: new Float64Array(periods), qConstant: new Float64Array(periods),
  };
}

/** p_i(t) += coef·x[col]. */
export function addActiveTerm(injection: BusInjection, t: number, col: number, coef: number): void {
  injection.pCols[t]!.push(col);
  injection.pCoefs[t]!.push(coef);
}

/** q_i(t) += coef·x[col]. */
export function addReactiveTerm(injection: BusInjection, t: number, col: number, coef: number): void {
  injection.qCols[t]!.push(col);
  injection.qCoefs[t]!.push(coef);
}
