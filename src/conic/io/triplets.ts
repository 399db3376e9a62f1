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

/**
 * Compressed sparse column form of triplets: duplicates are summed, rows sorted within each
 * column, and entries that sum to exactly zero are kept (the pattern stays what the file gave).
 */
export function cscFromTriplets(nrows: number, ncols: number, t: Triplets): CscMatrix {
  const nnzIn = t.vals.length;
  const counts = new Int32Array(ncols + 1);
  for (let k = 0; k < nnzIn; k++) counts[t.cols[k]! + 1]! += 1;
  for (let j = 0; j < ncols; j++) counts[j + 1]! += counts[j]!;
  const order = new Int32Array(nnzIn);
  const next = counts.slice(0, ncols);
  for (let k = 0; k < nnzIn; k++) order[next[t.cols[k]!]!++] = k;
  const colptr = new Int32Array(ncols + 1);
  const rowval: number[] = [];
  const nzval: number[] = [];
  for (let j = 0; j < ncols; j++) {
    const ks = Array.from(order.subarray(counts[j]!, counts[j + 1]!)).sort((a, b) => t.rows[a]! - t.rows[b]!);
    for (const k of ks) {
      const r = t.rows[k]!;
      if (rowval.length > colptr[j]! && rowval[rowval.length - 1] === r) nzval[nzval.length - 1]! += t.vals[k]!;
      else {
        rowval.push(r);
        nzval.push(t.vals[k]!);
      }
    }
    colptr[j + 1] = rowval.length;
  }
  return { nrows, ncols, colptr, rowval: Int32Array.from(rowval), nzval: Float64Array.from(nzval) };
}
