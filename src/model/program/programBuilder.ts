/**
 * Assembles a conic program (src/conic/types.ts form: min ½x'Px + q'x, Ax + s = b, s ∈ K) from
 * named variable blocks and named row blocks, so that every primal value and every dual is a
 * lookup by name. A row block is a family of rows of one cone type with one name and an index,
 * e.g. `balance.p[3]` indexed by period: row `balance.p[3][7]` is index 7 of that block. Rows are
 * kept in one group per cone type and laid out zero → nonnegative → second-order cones at build
 * time (the order SCS also needs).
 *
 * Speed (issue 3: the build must stay a small part of a one-shot `gridconsensus opf`): whole row
 * blocks are added at once as column-handle "runs" (row k of the block gets coef·x[cols[k]]), with
 * right-hand sides written by TypedArray fill/set, so that adding rows costs O(blocks) JavaScript
 * and no string, object or boxed number per row or nonzero. All per-nonzero work happens in
 * build(), in a few small loops that V8 compiles once; spreading it over many row functions made
 * a fresh process spend more CPU compiling them than running them.
 */
import { InternalError } from '../../core/errors.js';
import type { ConeSpec, ConicProblem, CscMatrix } from '../../conic/types.js';

/** Columns [start, start + count) of one named variable block. */
export interface VariableBlock {
  name: string;
  start: number;
  count: number;
}

/** Where a row landed in the built problem: first row index and number of rows (1, or the cone's dim). */
export interface RowLocation {
  row: number;
  dim: number;
}

/** A sparse linear expression Σ coef·x[col], as parallel arrays. */
export interface LinearTerms {
  cols: ArrayLike<number>;
  coefs: ArrayLike<number>;
}

/**
 * One term of every row of a row block: row k gets coef·x[cols[k]], nothing where cols[k] < 0
 * (e.g. a column handle per period; a shifted handle for x(t − 1)). An Int32Array `cols` is kept
 * by reference and read in build(), so it must not change after the block is added.
 */
export interface BlockTerm {
  cols: ArrayLike<number>;
  /** The same coefficient in every row, or one per row. */
  coef: number | ArrayLike<number>;
}

/** The rows of one named row block in the built problem. */
export class RowBlock {
  /** @internal Dense blocks: index i ∈ [firstIndex, firstIndex + count) is at row first + (i − firstIndex)·dim. */
  constructor(
    readonly name: string,
    /** Rows per index: 1, or the dim of each of the block's cones. */
    readonly dim: number,
    private readonly firstIndex: number,
    private readonly count: number,
    private readonly first: number,
    /** Sparse blocks (rows added one by one): first row per index, −1 where none. */
    private readonly sparse: Int32Array | null,
  ) {}

  /** First row of index `index`, −1 when the block has no row there (e.g. outside a device's window). */
  row(index: number): number {
    if (this.sparse !== null) return index >= 0 && index < this.sparse.length ? this.sparse[index]! : -1;
    const k = index - this.firstIndex;
    return k >= 0 && k < this.count ? this.first + k * this.dim : -1;
  }

  /** Number of indices that have a row (or cone). */
  get rowCount(): number {
    if (this.sparse === null) return this.count;
    let count = 0;
    for (const r of this.sparse) if (r >= 0) count++;
    return count;
  }
}

/** The built program's row blocks by name, with lookups of single rows by (name, index). */
export class RowBlocks {
  constructor(private readonly blocks: ReadonlyMap<string, RowBlock>) {}

  /** Number of named row blocks. */
  get size(): number {
    return this.blocks.size;
  }

  /** Number of rows or cones findable by (name, index). */
  get tagCount(): number {
    let count = 0;
    for (const block of this.blocks.values()) count += block.rowCount;
    return count;
  }

  block(name: string): RowBlock | undefined {
    return this.blocks.get(name);
  }

  /** Location of row (or cone) `index` of block `name`; undefined when there is none. */
  get(name: string, index = 0): RowLocation | undefined {
    const block = this.blocks.get(name);
    const row = block ? block.row(index) : -1;
    return row >= 0 ? { row, dim: block!.dim } : undefined;
  }
}

export interface BuiltProgram {
  problem: ConicProblem;
  /** Constant cost term (not part of the conic problem's objective). */
  constantCost: number;
  /** Variable blocks by name. */
  columns: Map<string, VariableBlock>;
  /** Row blocks by name. */
  rows: RowBlocks;
  /** Number of rows per cone family, in layout order. */
  rowCounts: { zero: number; nonnegative: number; secondOrder: number };
}

/** columnNumbers[c] = c, grown on demand: column handles are slices of it. */
let columnNumbers = new Int32Array(0);

function grownInt32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, 2 * a.length));
  b.set(a);
  return b;
}

function grownFloat64(a: Float64Array<ArrayBuffer>, need: number): Float64Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, 2 * a.length));
  b.set(a);
  return b;
}

/** Growable (row, col, value) triplets in typed arrays, for rows added one at a time. */
class Triplets {
  count = 0;
  rows = new Int32Array(64);
  cols = new Int32Array(64);
  vals = new Float64Array(64);

  push(row: number, col: number, val: number): void {
    const k = this.count;
    if (k === this.vals.length) {
      this.rows = grownInt32(this.rows, 2 * k);
      this.cols = grownInt32(this.cols, 2 * k);
      this.vals = grownFloat64(this.vals, 2 * k);
    }
    this.rows[k] = row;
    this.cols[k] = col;
    this.vals[k] = val;
    this.count = k + 1;
  }
}

/**
 * Entries coef(k)·x[cols[k]] in rows firstRow + k·rowStep (local to the group), k < cols.length;
 * skipped where cols[k] < 0 or the coefficient is 0.
 */
interface Run {
  firstRow: number;
  rowStep: number;
  cols: Int32Array;
  /** The coefficient of every entry, used when coefs is null. */
  coef: number;
  coefs: Float64Array | null;
}

type ConeFamily = 'zero' | 'nonnegative' | 'secondOrder';

/** One family of rows of the same cone type: runs and single triplets with rows local to the family. */
class RowGroup {
  rowCount = 0;
  readonly runs: Run[] = [];
  readonly triplets = new Triplets();
  rhs = new Float64Array(1024);

  constructor(readonly family: ConeFamily) {}

  /** Appends `count` rows with right-hand side 0; returns the first local row. */
  open(count: number): number {
    const first = this.rowCount;
    this.rowCount += count;
    if (this.rowCount > this.rhs.length) this.rhs = grownFloat64(this.rhs, this.rowCount);
    return first;
  }

  entry(row: number, col: number, val: number): void {
    if (val !== 0) this.triplets.push(row, col, val);
  }

  /** Adds sign·coef(k)·x[cols[k]] to row firstRow + k·rowStep for every k. */
  addRun(firstRow: number, rowStep: number, term: BlockTerm, sign: number): void {
    const cols = term.cols instanceof Int32Array ? term.cols : Int32Array.from(term.cols);
    if (typeof term.coef === 'number') {
      if (term.coef !== 0) this.runs.push({ firstRow, rowStep, cols, coef: sign * term.coef, coefs: null });
    } else {
      const coefs = Float64Array.from(term.coef);
      if (sign !== 1) for (let k = 0; k < coefs.length; k++) coefs[k] = sign * coefs[k]!;
      this.runs.push({ firstRow, rowStep, cols, coef: 0, coefs });
    }
  }

  /** Writes rhs(k) into rows first..first + count − 1. */
  setRhs(first: number, count: number, rhs: number | ArrayLike<number>): void {
    if (typeof rhs === 'number') {
      if (rhs !== 0) this.rhs.fill(rhs, first, first + count);
    } else {
      if (rhs.length !== count) throw new InternalError(`a row block of ${count} rows got ${rhs.length} right-hand sides`);
      this.rhs.set(rhs, first);
    }
  }
}

/** A row block while building: its group and either one dense range of rows or rows placed one by one. */
class PendingRowBlock {
  dim = 0;
  /** Dense: indices firstIndex.. at rows first.. (local), count of them; count −1: not dense. */
  firstIndex = 0;
  count = -1;
  first = 0;
  sparse: Int32Array | null = null;

  constructor(readonly name: string, readonly group: RowGroup) {}

  /** Indices firstIndex..firstIndex + count − 1 at local rows first, first + dim, … */
  placeRange(firstIndex: number, count: number, first: number, dim: number): void {
    if (this.count >= 0 || this.sparse !== null) throw new InternalError(`row tag '${this.name}' used twice (two blocks of rows under one name)`);
    this.firstIndex = firstIndex;
    this.count = count;
    this.first = first;
    this.dim = dim;
  }

  /** Records that `index` starts at local row `row`. @throws InternalError when the index already has a row. */
  place(index: number, row: number, dim: number): void {
    if (!(index >= 0 && Number.isInteger(index))) throw new InternalError(`row block '${this.name}' got index ${index}; indices are integers ≥ 0`);
    if (this.count >= 0) throw new InternalError(`row tag '${this.name}[${index}]' used twice (the name already holds a block of rows)`);
    if (this.dim !== 0 && dim !== this.dim) throw new InternalError(`row block '${this.name}' mixes cones of dim ${this.dim} and ${dim}`);
    this.dim = dim;
    const old = this.sparse ?? new Int32Array(0);
    if (index >= old.length) {
      this.sparse = new Int32Array(Math.max(index + 1, 2 * old.length, 4)).fill(-1);
      this.sparse.set(old);
    }
    if (this.sparse![index]! >= 0) throw new InternalError(`row tag '${this.name}[${index}]' used twice`);
    this.sparse![index] = row;
  }

  /** The built block, rows shifted by the group's offset in the layout. */
  built(offset: number): RowBlock {
    if (this.sparse === null) return new RowBlock(this.name, this.dim, this.firstIndex, Math.max(this.count, 0), this.first + offset, null);
    const rows = this.sparse.slice();
    for (let i = 0; i < rows.length; i++) if (rows[i]! >= 0) rows[i]! += offset;
    return new RowBlock(this.name, this.dim, 0, 0, 0, rows);
  }
}

/** The `.min`, `.max` and `.fixed` row blocks of one bounded variable family. */
interface BoundBlocks {
  min: PendingRowBlock | null;
  max: PendingRowBlock | null;
  fixed: PendingRowBlock | null;
}

export class ProgramBuilder {
  private columnCount = 0;
  private readonly blocks = new Map<string, VariableBlock>();
  private readonly zero = new RowGroup('zero');
  private readonly nonneg = new RowGroup('nonnegative');
  private readonly soc = new RowGroup('secondOrder');
  private readonly socDims: number[] = [];
  private readonly rowBlocks = new Map<string, PendingRowBlock>();
  private readonly boundBlocks = new Map<string, BoundBlocks>();
  private linearCost = new Float64Array(256);
  private readonly quadratic = new Triplets();
  private constant = 0;
  private built = false;

  get variableCount(): number {
    return this.columnCount;
  }

  /** Adds `count` free variables under a unique block name; returns the block. */
  addVariables(name: string, count: number): VariableBlock {
    if (this.blocks.has(name)) throw new InternalError(`variable block '${name}' declared twice`);
    const block = { name, start: this.columnCount, count };
    this.blocks.set(name, block);
    this.columnCount += count;
    if (this.columnCount > this.linearCost.length) this.linearCost = grownFloat64(this.linearCost, this.columnCount);
    return block;
  }

  /** Adds `count` variables as addVariables does; returns their columns start..start + count − 1 (a column handle). */
  addVariableColumns(name: string, count: number): Int32Array {
    const { start } = this.addVariables(name, count);
    if (start + count > columnNumbers.length) {
      const grown = new Int32Array(Math.max(start + count, 2 * columnNumbers.length, 1024));
      for (let c = 0; c < grown.length; c++) grown[c] = c;
      columnNumbers = grown;
    }
    // A copy (TypedArray slice, no JavaScript loop), so no two handles share memory.
    return columnNumbers.slice(start, start + count);
  }

  /** Σ coefs·x[cols] = rhs as row `index` of block `name`. */
  addEquality(name: string, index: number, cols: ArrayLike<number>, coefs: ArrayLike<number>, rhs: number): void {
    this.addRow(this.zero, name, index, cols, coefs, rhs);
  }

  /** Σ coefs·x[cols] ≤ rhs as row `index` of block `name` (a nonnegative slack row; its dual is ≥ 0). */
  addLessEqual(name: string, index: number, cols: ArrayLike<number>, coefs: ArrayLike<number>, rhs: number): void {
    this.addRow(this.nonneg, name, index, cols, coefs, rhs);
  }

  /**
   * lo ≤ x[col] ≤ hi as row `index` of the blocks `${name}.min` and `${name}.max` (infinite sides
   * are skipped; lo = hi becomes one equality in `${name}.fixed`).
   */
  addBounds(name: string, index: number, col: number, lo: number, hi: number): void {
    if (lo > hi) throw new InternalError(`bounds of '${name}[${index}]' are crossed (${lo} > ${hi})`);
    const bounds = this.boundBlocksOf(name);
    if (lo === hi) {
      bounds.fixed ??= this.rowBlock(`${name}.fixed`, this.zero);
      const row = this.zero.open(1);
      bounds.fixed.place(index, row, 1);
      this.zero.entry(row, col, 1);
      this.zero.rhs[row] = lo;
      return;
    }
    if (Number.isFinite(lo)) {
      bounds.min ??= this.rowBlock(`${name}.min`, this.nonneg);
      const row = this.nonneg.open(1);
      bounds.min.place(index, row, 1);
      this.nonneg.entry(row, col, -1);
      this.nonneg.rhs[row] = -lo;
    }
    if (Number.isFinite(hi)) {
      bounds.max ??= this.rowBlock(`${name}.max`, this.nonneg);
      const row = this.nonneg.open(1);
      bounds.max.place(index, row, 1);
      this.nonneg.entry(row, col, 1);
      this.nonneg.rhs[row] = hi;
    }
  }

  /**
   * Second-order cone (t, w) with t ≥ ‖w‖ as cone `index` of block `name`: component k is the
   * affine expression Σ terms[k] + constants[k]. Stored as rows A = −coefs, b = constants so
   * that s = (t, w).
   */
  addSecondOrderCone(name: string, index: number, terms: LinearTerms[], constants?: ArrayLike<number>): void {
    const dim = terms.length;
    const first = this.soc.open(dim);
    this.rowBlock(name, this.soc).place(index, first, dim);
    this.socDims.push(dim);
    for (let k = 0; k < dim; k++) {
      const { cols, coefs } = terms[k]!;
      for (let j = 0; j < cols.length; j++) this.soc.entry(first + k, cols[j]!, -coefs[j]!);
      this.soc.rhs[first + k] = constants ? constants[k]! : 0;
    }
  }

  /** Rows 0..count−1 of block `name`, row k: Σ_terms coef(k)·x[cols[k]] = rhs(k). */
  addEqualityBlock(name: string, count: number, terms: readonly BlockTerm[], rhs: number | ArrayLike<number>): void {
    this.addRowBlock(this.zero, name, count, terms, rhs);
  }

  /**
   * lo(k) ≤ x[cols[k]] ≤ hi(k) as index firstIndex + k of the blocks `${name}.min` and
   * `${name}.max`, or `${name}.fixed` where lo = hi (infinite sides skipped), as addBounds does
   * row by row. Every cols[k] must be a column (≥ 0).
   */
  addBoundsBlock(name: string, cols: ArrayLike<number>, lo: number | ArrayLike<number>, hi: number | ArrayLike<number>, firstIndex = 0): void {
    const count = cols.length;
    for (let k = 0; k < count; k++) if (!(cols[k]! >= 0)) throw new InternalError(`bounds block '${name}' has no column at index ${firstIndex + k}`);
    if (typeof lo !== 'number' || typeof hi !== 'number') {
      // Limits that vary per index may meet (lo = hi, a fixed row) at some indices only: row by row.
      for (let k = 0; k < count; k++) this.addBounds(name, firstIndex + k, cols[k]!, typeof lo === 'number' ? lo : lo[k]!, typeof hi === 'number' ? hi : hi[k]!);
      return;
    }
    if (lo > hi) throw new InternalError(`bounds of '${name}' are crossed (${lo} > ${hi})`);
    if (count === 0) return;
    const bounds = this.boundBlocksOf(name);
    const side = (group: RowGroup, suffix: 'min' | 'max' | 'fixed', coef: number, rhs: number): PendingRowBlock => {
      const block = this.rowBlock(`${name}.${suffix}`, group);
      const first = group.open(count);
      block.placeRange(firstIndex, count, first, 1);
      group.addRun(first, 1, { cols, coef }, 1);
      group.setRhs(first, count, rhs);
      return block;
    };
    if (lo === hi) {
      bounds.fixed = side(this.zero, 'fixed', 1, lo);
      return;
    }
    if (Number.isFinite(lo)) bounds.min = side(this.nonneg, 'min', -1, -lo);
    if (Number.isFinite(hi)) bounds.max = side(this.nonneg, 'max', 1, hi);
  }

  /**
   * Cones 0..count−1 of block `name`, each of dim components.length: component j of cone k is
   * Σ_{term ∈ components[j]} coef(k)·x[cols[k]] (constant parts 0), (t, w) with t ≥ ‖w‖. Stored
   * as rows A = −coef so that s = (t, w).
   */
  addSecondOrderConeBlock(name: string, count: number, components: ReadonlyArray<readonly BlockTerm[]>): void {
    const dim = components.length;
    for (const term of components.flat()) {
      if (term.cols.length !== count) throw new InternalError(`a term of cone block '${name}' has ${term.cols.length} columns for ${count} cones`);
    }
    const first = this.soc.open(count * dim);
    this.rowBlock(name, this.soc).placeRange(0, count, first, dim);
    for (let k = 0; k < count; k++) this.socDims.push(dim);
    for (let j = 0; j < dim; j++) for (const term of components[j]!) this.soc.addRun(first + j, dim, term, -1);
  }

  /** Adds c·x[col] to the objective. */
  addLinearCost(col: number, c: number): void {
    this.linearCost[col]! += c;
  }

  /** Adds ½·h·x[i]·x[j] (i = j) or h·x[i]·x[j] (i ≠ j) to the objective, i.e. entry h of P. */
  addQuadraticCost(i: number, j: number, h: number): void {
    if (h === 0) return;
    this.quadratic.push(Math.min(i, j), Math.max(i, j), h);
  }

  addConstantCost(c: number): void {
    this.constant += c;
  }

  build(): BuiltProgram {
    if (this.built) throw new InternalError('a ProgramBuilder builds once');
    this.built = true;
    const n = this.columnCount;
    const zeroRows = this.zero.rowCount;
    const nonnegRows = this.nonneg.rowCount;
    const socRows = this.soc.rowCount;
    const m = zeroRows + nonnegRows + socRows;
    const groups = [this.zero, this.nonneg, this.soc];
    const offsets = [0, zeroRows, zeroRows + nonnegRows];

    const b = new Float64Array(m);
    for (let g = 0; g < 3; g++) b.set(groups[g]!.rhs.subarray(0, groups[g]!.rowCount), offsets[g]);
    const A = assembleCsc(m, n, groups, offsets);

    const rows = new Map<string, RowBlock>();
    for (const [name, pending] of this.rowBlocks) rows.set(name, pending.built(offsets[groups.indexOf(pending.group)]!));

    const cones: ConeSpec[] = [];
    if (zeroRows > 0) cones.push({ type: 'zero', dim: zeroRows });
    if (nonnegRows > 0) cones.push({ type: 'nonnegative', dim: nonnegRows });
    for (const dim of this.socDims) cones.push({ type: 'secondOrder', dim });

    const quad = this.quadratic;
    const problem: ConicProblem = {
      P: tripletsToCsc(n, n, quad.rows.slice(0, quad.count), quad.cols.slice(0, quad.count), quad.vals.slice(0, quad.count)),
      q: this.linearCost.slice(0, n),
      A,
      b,
      cones,
    };
    return {
      problem,
      constantCost: this.constant,
      columns: new Map(this.blocks),
      rows: new RowBlocks(rows),
      rowCounts: { zero: zeroRows, nonnegative: nonnegRows, secondOrder: socRows },
    };
  }

  private addRow(group: RowGroup, name: string, index: number, cols: ArrayLike<number>, coefs: ArrayLike<number>, rhs: number): void {
    const row = group.open(1);
    this.rowBlock(name, group).place(index, row, 1);
    group.rhs[row] = rhs;
    for (let k = 0; k < cols.length; k++) group.entry(row, cols[k]!, coefs[k]!);
  }

  private addRowBlock(group: RowGroup, name: string, count: number, terms: readonly BlockTerm[], rhs: number | ArrayLike<number>): void {
    const first = group.open(count);
    this.rowBlock(name, group).placeRange(0, count, first, 1);
    group.setRhs(first, count, rhs);
    for (const term of terms) {
      if (term.cols.length !== count) throw new InternalError(`a term of row block '${name}' has ${term.cols.length} columns for ${count} rows`);
      group.addRun(first, 1, term, 1);
    }
  }

  private boundBlocksOf(name: string): BoundBlocks {
    let bounds = this.boundBlocks.get(name);
    if (bounds === undefined) {
      bounds = { min: null, max: null, fixed: null };
      this.boundBlocks.set(name, bounds);
    }
    return bounds;
  }

  /** The row block `name` of `group`, created on first use. @throws InternalError when the name is taken by another cone family. */
  private rowBlock(name: string, group: RowGroup): PendingRowBlock {
    let block = this.rowBlocks.get(name);
    if (block === undefined) {
      block = new PendingRowBlock(name, group);
      this.rowBlocks.set(name, block);
    } else if (block.group !== group) {
      throw new InternalError(`row tag '${name}' used twice (as ${block.group.family} and as ${group.family} rows)`);
    }
    return block;
  }
}

/**
 * A (m × n) from the groups' runs and single triplets (rows local to each group, shifted by
 * offsets[g]): count per column, scatter, then sort each (short) column by row and sum duplicates.
 */
function assembleCsc(m: number, n: number, groups: readonly RowGroup[], offsets: readonly number[]): CscMatrix {
  const colStart = new Int32Array(n + 1);
  for (const g of groups) {
    for (const run of g.runs) countRun(run, colStart, n);
    const { count, cols } = g.triplets;
    for (let e = 0; e < count; e++) {
      const c = cols[e]!;
      if (!(c >= 0 && c < n)) throw new InternalError(`entry in column ${c} of a program with ${n} columns`);
      colStart[c + 1]!++;
    }
  }
  for (let c = 0; c < n; c++) colStart[c + 1]! += colStart[c]!;
  const total = colStart[n]!;
  const next = colStart.slice(0, n);
  const rowval = new Int32Array(total);
  const nzval = new Float64Array(total);
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    const offset = offsets[g]!;
    for (const run of group.runs) scatterRun(run, offset, next, rowval, nzval);
    const { count, rows, cols, vals } = group.triplets;
    for (let e = 0; e < count; e++) {
      const pos = next[cols[e]!]!++;
      rowval[pos] = rows[e]! + offset;
      nzval[pos] = vals[e]!;
    }
  }
  return sortAndMergeColumns(m, n, colStart, rowval, nzval);
}

function countRun(run: Run, colCount: Int32Array, n: number): void {
  const { cols, coefs } = run;
  for (let k = 0; k < cols.length; k++) {
    const c = cols[k]!;
    if (c < 0 || (coefs !== null && coefs[k] === 0)) continue;
    if (c >= n) throw new InternalError(`entry in column ${c} of a program with ${n} columns`);
    colCount[c + 1]!++;
  }
}

function scatterRun(run: Run, offset: number, next: Int32Array, rowval: Int32Array, nzval: Float64Array): void {
  const { cols, coefs, coef, rowStep } = run;
  const firstRow = run.firstRow + offset;
  for (let k = 0; k < cols.length; k++) {
    const c = cols[k]!;
    if (c < 0) continue;
    const v = coefs === null ? coef : coefs[k]!;
    if (v === 0) continue;
    const pos = next[c]!++;
    rowval[pos] = firstRow + k * rowStep;
    nzval[pos] = v;
  }
}

/** Sorts each column's entries by row (insertion sort: columns are short) and sums duplicates. */
function sortAndMergeColumns(m: number, n: number, colStart: Int32Array, rowval: Int32Array, nzval: Float64Array): CscMatrix {
  const colptr = new Int32Array(n + 1);
  let out = 0;
  for (let c = 0; c < n; c++) {
    const start = colStart[c]!;
    const end = colStart[c + 1]!;
    for (let k = start + 1; k < end; k++) {
      const r = rowval[k]!;
      if (r >= rowval[k - 1]!) continue;
      const v = nzval[k]!;
      let j = k - 1;
      while (j >= start && rowval[j]! > r) {
        rowval[j + 1] = rowval[j]!;
        nzval[j + 1] = nzval[j]!;
        j--;
      }
      rowval[j + 1] = r;
      nzval[j + 1] = v;
    }
    colptr[c] = out;
    for (let k = start; k < end; k++) {
      if (out > colptr[c]! && rowval[out - 1] === rowval[k]) {
        nzval[out - 1]! += nzval[k]!;
      } else {
        rowval[out] = rowval[k]!;
        nzval[out] = nzval[k]!;
        out++;
      }
    }
  }
  colptr[n] = out;
  const total = colStart[n]!;
  return { nrows: m, ncols: n, colptr, rowval: out === total ? rowval : rowval.slice(0, out), nzval: out === total ? nzval : nzval.slice(0, out) };
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

/** First row of row (or cone) `index` of block `name`. @throws InternalError when there is no such row. */
export function rowIndex(program: BuiltProgram, name: string, index = 0): number {
  const loc = program.rows.get(name, index);
  if (!loc) throw new InternalError(`no row tagged '${name}[${index}]'`);
  return loc.row;
}

/** The dual of row `index` of block `name`, or 0 when the row does not exist (e.g. an infinite bound). */
export function rowDualOr0(program: BuiltProgram, y: ArrayLike<number>, name: string, index = 0): number {
  const loc = program.rows.get(name, index);
  return loc ? y[loc.row]! : 0;
}

/**
 * First row of each index 0..count−1 of block `name`, for reading many duals in a loop.
 * @throws InternalError when the block or one of those rows is missing.
 */
export function blockRows(program: BuiltProgram, name: string, count: number): Int32Array {
  const block = program.rows.block(name);
  const rows = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = block ? block.row(i) : -1;
    if (row < 0) throw new InternalError(`no row tagged '${name}[${i}]'`);
    rows[i] = row;
  }
  return rows;
}
