import { cscFromTriplets } from '../sparse/cscFromTriplets.js';
import type { CscMatrix } from '../types.js';

/** Growable (row, column, value) lists, the form every reader collects entries in. */
export interface Triplets {
  rows: number[];
  cols: number[];
  vals: number[];
}

export function emptyTriplets(): Triplets {
  return { rows: [], cols: [], vals: [] };
}

export function pushTriplet(t: Triplets, row: number, col: number, val: number): void {
  t.rows.push(row);
  t.cols.push(col);
  t.vals.push(val);
}

/** CSC form (duplicates summed, explicit zeros kept) through the solver's own builder. */
export function cscOfTriplets(nrows: number, ncols: number, t: Triplets): CscMatrix {
  return cscFromTriplets(nrows, ncols, t.rows, t.cols, t.vals);
}
