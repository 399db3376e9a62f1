/**
 * Assembles a conic program (src/conic/types.ts form: min ½x'Px + q'x, Ax + s = b, s ∈ K) from
 * named variable blocks and tagged constraint rows, so that every primal value and every dual is
 * a lookup by name or tag. Rows are kept in one group per cone type and laid out
 * zero → nonnegative → second-order cones at build time (the order SCS also needs).
 * Hot paths store triplets in flat number arrays; no object per nonzero.
 */
import { InternalError } from '../../core/errors.js';
import type { ConeSpec, ConicProblem, CscMatrix } from '../../conic/types.js';

/** Columns [start, start + count) of one named variable block. */
export interface VariableBlock {
  name: string;
  start: number;
  count: number;
}

/** Where a tagged row landed in the built problem: first row index and number of rows (1, or the cone's dim). */
export interface RowLocation {
  row: number;
  dim: number;
}

export interface BuiltProgram {
  problem: ConicProblem;
  /** Constant cost term (not part of the conic problem's objective). */
  constantCost: number;
  /** Variable blocks by name. */
  columns: Map<string, VariableBlock>;
  /** Row location by tag. */
  rows: Map<string, RowLocation>;
  /** Number of rows per cone family, in layout order. */
  rowCounts: { zero: number; nonnegative: number; secondOrder: number };
}

/** One family of rows of the same cone type: triplets with rows local to the family. */
class RowGroup {
  rowCount = 0;
  readonly tagRows: number[] = [];
  readonly tagDims: number[] = [];
  readonly tags: string[] = [];
  readonly rows: number[] = [];
  readonly cols: number[] = [];
  readonly vals: number[] = [];
  readonly rhs: number[] = [];

  /** Appends `dim` rows under one tag; returns the first local row. */
  open(tag: string, dim: number): number {
    const first = this.rowCount;
    this.tags.push(tag);
    this.tagRows.push(first);
    this.tagDims.push(dim);
    for (let k = 0; k < dim; k++) this.rhs.push(0);
    this.rowCount += dim;
    return first;
  }

  entry(row: number, col: number, val: number): void {
    if (val === 0) return;
    this.rows.push(row);
    this.cols.push(col);
    this.vals.push(val);
  }
}

/** A sparse linear expression Σ coef·x[col] + constant, as parallel arrays. */
export interface LinearTerms {
  cols: ArrayLike<number>;
  coefs: ArrayLike<number>;
}

export class ProgramBuilder {
  private columnCount = 0;
  private readonly blocks = new Map<string, VariableBlock>();
  private readonly zero = new RowGroup();
  private readonly nonneg = new RowGroup();
  private readonly soc = new RowGroup();
  private readonly socDims: number[] = [];
  private readonly linearCost: number[] = [];
  private readonly quadRows: number[] = [];
  private readonly quadCols: number[] = [];
  private readonly quadVals: number[] = [];
  private constant = 0;

  get variableCount(): number {
    return this.columnCount;
  }

  /** Adds `count` free variables under a unique block name; returns the block. */
  addVariables(name: string, count: number): VariableBlock {
    if (this.blocks.has(name)) throw new InternalError(`variable block '${name}' declared twice`);
    const block = { name, start: this.columnCount, count };
    this.blocks.set(name, block);
    this.columnCount += count;
    for (let k = 0; k < count; k++) this.linearCost.push(0);
    return block;
  }

  /** Σ coefs·x[cols] = rhs. Returns the tag for dual lookup. */
  addEquality(tag: string, cols: ArrayLike<number>, coefs: ArrayLike<number>, rhs: number): string {
    const row = this.zero.open(tag, 1);
    for (let k = 0; k < cols.length; k++) this.zero.entry(row, cols[k]!, coefs[k]!);
    this.zero.rhs[row] = rhs;
    return tag;
  }

  /** Σ coefs·x[cols] ≤ rhs (a nonnegative slack row; its dual is ≥ 0). */
  addLessEqual(tag: string, cols: ArrayLike<number>, coefs: ArrayLike<number>, rhs: number): string {
    const row = this.nonneg.open(tag, 1);
    for (let k = 0; k < cols.length; k++) this.nonneg.entry(row, cols[k]!, coefs[k]!);
    this.nonneg.rhs[row] = rhs;
    return tag;
  }

  /** lo ≤ x[col] ≤ hi as rows `${tag}.min` / `${tag}.max` (infinite sides are skipped, lo = hi becomes one equality `${tag}.fixed`). */
  addBounds(tag: string, col: number, lo: number, hi: number): void {
    if (lo > hi) throw new InternalError(`bounds of '${tag}' are crossed (${lo} > ${hi})`);
    // Direct single-entry rows: bounds are most rows of a day-ahead problem.
    if (lo === hi) {
      const row = this.zero.open(`${tag}.fixed`, 1);
      this.zero.entry(row, col, 1);
      this.zero.rhs[row] = lo;
      return;
    }
    if (Number.isFinite(lo)) {
      const row = this.nonneg.open(`${tag}.min`, 1);
      this.nonneg.entry(row, col, -1);
      this.nonneg.rhs[row] = -lo;
    }
    if (Number.isFinite(hi)) {
      const row = this.nonneg.open(`${tag}.max`, 1);
      this.nonneg.entry(row, col, 1);
      this.nonneg.rhs[row] = hi;
    }
  }

  /**
   * Second-order cone (t, w) with t ≥ ‖w‖: component k is the affine expression
   * Σ terms[k] + constants[k]. Stored as rows A = −coefs, b = constants so that s = (t, w).
   */
  addSecondOrderCone(tag: string, terms: LinearTerms[], constants?: ArrayLike<number>): string {
    const dim = terms.length;
    const first = this.soc.open(tag, dim);
    this.socDims.push(dim);
    for (let k = 0; k < dim; k++) {
      const { cols, coefs } = terms[k]!;
      for (let j = 0; j < cols.length; j++) this.soc.entry(first + k, cols[j]!, -coefs[j]!);
      this.soc.rhs[first + k] = constants ? constants[k]! : 0;
    }
    return tag;
  }

  /** Adds c·x[col] to the objective. */
  addLinearCost(col: number, c: number): void {
    this.linearCost[col]! += c;
  }

  /** Adds ½·h·x[i]·x[j] (i = j) or h·x[i]·x[j] (i ≠ j) to the objective, i.e. entry h of P. */
  addQuadraticCost(i: number, j: number, h: number): void {
    if (h === 0) return;
    this.quadRows.push(Math.min(i, j));
    this.quadCols.push(Math.max(i, j));
    this.quadVals.push(h);
  }

  addConstantCost(c: number): void {
    this.constant += c;
  }

  build(): BuiltProgram {
    const n = this.columnCount;
    const zeroRows = this.zero.rowCount;
    const nonnegRows = this.nonneg.rowCount;
    const socRows = this.soc.rowCount;
    const m = zeroRows + nonnegRows + socRows;
    const groups: Array<[RowGroup, number]> = [[this.zero, 0], [this.nonneg, zeroRows], [this.soc, zeroRows + nonnegRows]];

    let nnz = 0;
    for (const [g] of groups) nnz += g.vals.length;
    const rowIdx = new Int32Array(nnz);
    const colIdx = new Int32Array(nnz);
    const vals = new Float64Array(nnz);
    const b = new Float64Array(m);
    const rows = new Map<string, RowLocation>();
    let k = 0;
    for (const [g, offset] of groups) {
      for (let e = 0; e < g.vals.length; e++, k++) {
        rowIdx[k] = g.rows[e]! + offset;
        colIdx[k] = g.cols[e]!;
        vals[k] = g.vals[e]!;
      }
      for (let r = 0; r < g.rowCount; r++) b[r + offset] = g.rhs[r]!;
      for (let t = 0; t < g.tags.length; t++) {
        const tag = g.tags[t]!;
        if (rows.has(tag)) throw new InternalError(`row tag '${tag}' used twice`);
        rows.set(tag, { row: g.tagRows[t]! + offset, dim: g.tagDims[t]! });
      }
    }

    const cones: ConeSpec[] = [];
    if (zeroRows > 0) cones.push({ type: 'zero', dim: zeroRows });
    if (nonnegRows > 0) cones.push({ type: 'nonnegative', dim: nonnegRows });
    for (const dim of this.socDims) cones.push({ type: 'secondOrder', dim });

    const problem: ConicProblem = {
      P: tripletsToCsc(n, n, Int32Array.from(this.quadRows), Int32Array.from(this.quadCols), Float64Array.from(this.quadVals)),
      q: Float64Array.from(this.linearCost),
      A: tripletsToCsc(m, n, rowIdx, colIdx, vals),
      b,
      cones,
    };
    return {
      problem,
      constantCost: this.constant,
      columns: new Map(this.blocks),
      rows,
      rowCounts: { zero: zeroRows, nonnegative: nonnegRows, secondOrder: socRows },
    };
  }
}

/** Triplets → CSC with rows sorted inside each column and duplicates summed (counting sort, O(nnz + n + m)). */
export function tripletsToCsc(nrows: number, ncols: number, rows: Int32Array, cols: Int32Array, vals: Float64Array): CscMatrix {
  const nnz = vals.length;
  // Pass 1: bucket by row so that pass 2 (bucket by column, stable) leaves rows sorted.
  const rowCount = new Int32Array(nrows + 1);
  for (let e = 0; e < nnz; e++) rowCount[rows[e]! + 1]!++;
  for (let r = 0; r < nrows; r++) rowCount[r + 1]! += rowCount[r]!;
  const byRow = new Int32Array(nnz);
  const rowNext = rowCount.slice(0, nrows);
  for (let e = 0; e < nnz; e++) byRow[rowNext[rows[e]!]!++] = e;

  const colCount = new Int32Array(ncols + 1);
  for (let e = 0; e < nnz; e++) colCount[cols[e]! + 1]!++;
  for (let c = 0; c < ncols; c++) colCount[c + 1]! += colCount[c]!;
  const colNext = colCount.slice(0, ncols);
  const order = new Int32Array(nnz);
  for (let k = 0; k < nnz; k++) {
    const e = byRow[k]!;
    order[colNext[cols[e]!]!++] = e;
  }

  const colptr = new Int32Array(ncols + 1);
  const rowval = new Int32Array(nnz);
  const nzval = new Float64Array(nnz);
  let out = 0;
  for (let c = 0; c < ncols; c++) {
    colptr[c] = out;
    let lastRow = -1;
    for (let k = colCount[c]!; k < colCount[c + 1]!; k++) {
      const e = order[k]!;
      const r = rows[e]!;
      if (r === lastRow) {
        nzval[out - 1]! += vals[e]!;
      } else {
        rowval[out] = r;
        nzval[out] = vals[e]!;
        out++;
        lastRow = r;
      }
    }
  }
  colptr[ncols] = out;
  return { nrows, ncols, colptr, rowval: rowval.slice(0, out), nzval: nzval.slice(0, out) };
}

/** First row of a tagged row (or cone block). @throws InternalError when no row has that tag. */
export function rowIndex(program: BuiltProgram, tag: string): number {
  const loc = program.rows.get(tag);
  if (!loc) throw new InternalError(`no row tagged '${tag}'`);
  return loc.row;
}

/** The dual of a tagged row, or 0 when the row does not exist (e.g. an infinite bound). */
export function rowDualOr0(program: BuiltProgram, y: ArrayLike<number>, tag: string): number {
  const loc = program.rows.get(tag);
  return loc ? y[loc.row]! : 0;
}
