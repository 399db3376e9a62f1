/**
 * Seeded stress families for the conic solver (bench/conicStress.ts and the regression tests of
 * its fixes): shapes the small generated problems of generatedProblems.ts do not reach.
 * Feasible families are built from chosen KKT points (x*, s*, z*: s* in K, z* in K*, s*'z* = 0;
 * b = A x* + s*, q = -P x* - A'z*), so the optimal value 1/2 x*'P x* + q'x* is known exactly;
 * infeasible ones from a chosen certificate. All matrices are sparse triplets.
 */
import { cscMulAdd, cscTransposeMulAdd, symmetricUpperMulAdd } from '../sparse/cscMatVec.js';
import { cscFromTriplets } from '../sparse/cscFromTriplets.js';
import type { ConeSpec, ConicProblem } from '../types.js';
import { type Random, randomFromSeed } from './generatedProblems.js';

export type StressExpectation = 'solved' | 'primalInfeasible' | 'dualInfeasible' | 'infeasible';

export interface StressProblem {
  problem: ConicProblem;
  expected: StressExpectation;
  /** Known optimal value (solved families only). */
  objective?: number;
}

const between = (rand: Random, lo: number, hi: number): number => lo + (hi - lo) * rand();
const whole = (rand: Random, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const decades = (rand: Random, lo: number, hi: number): number => 10 ** between(rand, lo, hi);

/** Sparse m x n matrix as triplets; `add` sums duplicates when turned into CSC. */
class Triplets {
  readonly rows: number[] = [];
  readonly cols: number[] = [];
  readonly vals: number[] = [];
  constructor(readonly nrows: number, readonly ncols: number) {}
  add(i: number, j: number, v: number): void {
    this.rows.push(i);
    this.cols.push(j);
    this.vals.push(v);
  }
  csc() {
    return cscFromTriplets(this.nrows, this.ncols, this.rows, this.cols, this.vals);
  }
}

/** Each row gets `perRow` random entries in [-1, 1]; every column gets at least one entry somewhere in `rowsFrom..rowsTo`. */
function randomRows(rand: Random, A: Triplets, rowsFrom: number, rowsTo: number, columns: number[], perRow: number): void {
  if (rowsTo <= rowsFrom || columns.length === 0) return;
  for (let i = rowsFrom; i < rowsTo; i++) {
    for (let k = 0; k < Math.min(perRow, columns.length); k++) A.add(i, columns[whole(rand, 0, columns.length - 1)]!, between(rand, -1, 1));
  }
  for (const j of columns) if (rand() < 0.5) A.add(whole(rand, rowsFrom, rowsTo - 1), j, between(rand, -1, 1));
}

/** P = scale * M'M for a random sparse M with `rank` rows over `columns`, as upper-triangle triplets of n x n. */
function lowRankPsd(rand: Random, n: number, columns: number[], rank: number, scale: number, perRow = 4): Triplets {
  const P = new Triplets(n, n);
  for (let r = 0; r < rank; r++) {
    const entries = new Map<number, number>();
    for (let k = 0; k < Math.min(perRow, columns.length); k++) entries.set(columns[whole(rand, 0, columns.length - 1)]!, between(rand, -1, 1));
    for (const [i, a] of entries) for (const [j, c] of entries) if (i <= j) P.add(i, j, scale * a * c);
  }
  return P;
}

/** (t, r) <-> (u, v) of a rotated block (its own inverse). */
function rotatePair(v: number[], o: number): void {
  const a = v[o]!;
  const c = v[o + 1]!;
  v[o] = (a + c) / Math.SQRT2;
  v[o + 1] = (a - c) / Math.SQRT2;
}

type PairMode = 'strict' | 'degenerate' | 'sBoundary' | 'zBoundary' | 'rotatedZeroSide';

/**
 * A complementary (s, z) for one block, written into s, z at row o. strict: strictly
 * complementary (nonnegative rows: one of the two positive; cones: both on the boundary, or one
 * interior and the other 0); degenerate: also s = z = 0 rows; sBoundary / zBoundary: one on
 * the cone boundary, the other 0 (the optimal face is not a point); rotatedZeroSide: a rotated
 * cone with u = 0 or v = 0 at the optimum, s = (a, 0, 0...) and z = (0, c, 0...) or swapped.
 */
function complementaryBlock(rand: Random, cone: ConeSpec, mode: PairMode, s: number[], z: number[], o: number): void {
  const d = cone.dim;
  if (cone.type === 'zero') {
    for (let k = 0; k < d; k++) z[o + k] = between(rand, -1, 1);
    return;
  }
  if (cone.type === 'nonnegative') {
    for (let k = 0; k < d; k++) {
      const r = rand();
      const both = mode === 'degenerate' && r < 0.3;
      if (both) continue;
      if (r < 0.6) s[o + k] = between(rand, 0.1, 2);
      else z[o + k] = between(rand, 0.1, 2);
    }
    return;
  }
  if (cone.type === 'rotatedSecondOrder' && mode === 'rotatedZeroSide') {
    const a = between(rand, 0.2, 2);
    const c = rand() < 0.8 ? between(rand, 0.2, 2) : 0;
    const first = rand() < 0.5 ? s : z;
    const second = first === s ? z : s;
    const side = rand() < 0.5 ? 0 : 1;
    first[o + side] = a;
    second[o + 1 - side] = c;
    return;
  }
  // second-order form (rotated blocks are rotated at the end)
  const u = Array.from({ length: d - 1 }, () => between(rand, -1, 1));
  const un = Math.hypot(...u);
  const alpha = between(rand, 0.2, 2);
  const beta = between(rand, 0.2, 2);
  const r = rand();
  let kind: 'both' | 'sOnly' | 'zOnly' | 'interiorS' | 'interiorZ' | 'none';
  if (mode === 'sBoundary') kind = 'sOnly';
  else if (mode === 'zBoundary') kind = 'zOnly';
  else if (d === 1) kind = r < 0.5 ? 'interiorS' : 'interiorZ';
  else if (mode === 'degenerate' && r < 0.2) kind = 'none';
  else kind = r < 0.6 ? 'both' : r < 0.8 ? 'interiorS' : 'interiorZ';
  if (kind === 'both' || kind === 'sOnly') {
    s[o] = alpha * un;
    for (let k = 1; k < d; k++) s[o + k] = alpha * u[k - 1]!;
  }
  if (kind === 'both' || kind === 'zOnly') {
    z[o] = beta * un;
    for (let k = 1; k < d; k++) z[o + k] = -beta * u[k - 1]!;
  }
  if (kind === 'interiorS' || kind === 'interiorZ') {
    const w = kind === 'interiorS' ? s : z;
    w[o] = un + between(rand, 0.1, 1);
    for (let k = 1; k < d; k++) w[o + k] = u[k - 1]!;
  }
  if (cone.type === 'rotatedSecondOrder') {
    rotatePair(s, o);
    rotatePair(z, o);
  }
}

/** b = A x + s, q = -P x - A'z and the optimal value, from a KKT point. */
function fromKktPoint(A: Triplets, P: Triplets, cones: ConeSpec[], x: number[], s: number[], z: number[]): StressProblem {
  const Acsc = A.csc();
  const Pcsc = P.csc();
  const xv = Float64Array.from(x);
  const b = Float64Array.from(s);
  cscMulAdd(Acsc, xv, b, 1, 1);
  const Px = new Float64Array(x.length);
  symmetricUpperMulAdd(Pcsc, xv, Px, 1, 0);
  const q = new Float64Array(x.length);
  cscTransposeMulAdd(Acsc, Float64Array.from(z), q, -1, 0);
  for (let j = 0; j < x.length; j++) q[j]! -= Px[j]!;
  let objective = 0;
  for (let j = 0; j < x.length; j++) objective += 0.5 * x[j]! * Px[j]! + q[j]! * x[j]!;
  return { problem: { P: Pcsc, q, A: Acsc, b, cones }, expected: 'solved', objective };
}

function rowCount(cones: ConeSpec[]): number {
  return cones.reduce((a, c) => a + c.dim, 0);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

/** KKT point for the cones with the given modes per block, then the problem. */
function knownOptimum(rand: Random, n: number, cones: ConeSpec[], A: Triplets, P: Triplets, modeOf: (cone: ConeSpec) => PairMode, xScale = 1): StressProblem {
  const m = rowCount(cones);
  const s = new Array<number>(m).fill(0);
  const z = new Array<number>(m).fill(0);
  let o = 0;
  for (const cone of cones) {
    complementaryBlock(rand, cone, modeOf(cone), s, z, o);
    o += cone.dim;
  }
  const x = Array.from({ length: n }, () => between(rand, -1, 1) * xScale);
  return fromKktPoint(A, P, cones, x, s, z);
}

/** One second-order or rotated cone of dimension 64-500 with the optimum on its boundary, plus a few linear rows. */
export function largeConeBoundaryProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const d = whole(rand, 64, 500);
  const n = Math.max(4, Math.round(d * between(rand, 0.2, 1.1)));
  const cones: ConeSpec[] = [
    { type: 'zero', dim: whole(rand, 0, 3) },
    { type: 'nonnegative', dim: whole(rand, 0, 10) },
    { type: rand() < 0.5 ? 'secondOrder' : 'rotatedSecondOrder', dim: d },
  ].filter((c) => c.dim > 0) as ConeSpec[];
  const m = rowCount(cones);
  const A = new Triplets(m, n);
  randomRows(rand, A, 0, m, range(0, n), whole(rand, 2, 6));
  const P = lowRankPsd(rand, n, range(0, n), whole(rand, 0, Math.floor(n / 3)), decades(rand, -1, 1));
  const r = rand();
  const bigMode: PairMode = r < 0.6 ? 'strict' : r < 0.8 ? 'sBoundary' : 'zBoundary';
  return largeConeKktProblem(rand, n, cones, A, P, d, bigMode);
}

/** A KKT point with the big cone's pair both on the boundary (strict), or one on it and the other 0. */
function largeConeKktProblem(rand: Random, n: number, cones: ConeSpec[], A: Triplets, P: Triplets, d: number, bigMode: PairMode): StressProblem {
  const m = rowCount(cones);
  const s = new Array<number>(m).fill(0);
  const z = new Array<number>(m).fill(0);
  let o = 0;
  for (const cone of cones) {
    if (cone.dim === d && cone.type !== 'zero' && cone.type !== 'nonnegative') {
      const u = Array.from({ length: d - 1 }, () => between(rand, -1, 1));
      const un = Math.hypot(...u);
      const alpha = between(rand, 0.2, 2) / un;
      const beta = between(rand, 0.2, 2) / un;
      if (bigMode !== 'zBoundary') {
        s[o] = alpha * un;
        for (let k = 1; k < d; k++) s[o + k] = alpha * u[k - 1]!;
      }
      if (bigMode !== 'sBoundary') {
        z[o] = beta * un;
        for (let k = 1; k < d; k++) z[o + k] = -beta * u[k - 1]!;
      }
      if (cone.type === 'rotatedSecondOrder') {
        rotatePair(s, o);
        rotatePair(z, o);
      }
    } else complementaryBlock(rand, cone, 'strict', s, z, o);
    o += cone.dim;
  }
  const x = Array.from({ length: n }, () => between(rand, -1, 1));
  return fromKktPoint(A, P, cones, x, s, z);
}

/**
 * A least-squares-like large cone: 5-60 variables that every row of one second-order or rotated
 * cone of dimension 64-500 touches (half of them per row), optimum on the cone's boundary.
 */
export function largeConeDenseRowsProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const d = whole(rand, 64, 500);
  const n = whole(rand, 5, 60);
  const cones: ConeSpec[] = [
    { type: 'nonnegative', dim: whole(rand, 1, 10) },
    { type: rand() < 0.5 ? 'secondOrder' : 'rotatedSecondOrder', dim: d },
  ];
  const m = rowCount(cones);
  const A = new Triplets(m, n);
  randomRows(rand, A, 0, m, range(0, n), Math.ceil(n / 2));
  const P = lowRankPsd(rand, n, range(0, n), whole(rand, 0, Math.floor(n / 3)), 1);
  return largeConeKktProblem(rand, n, cones, A, P, d, 'strict');
}

/**
 * Box-constrained least squares in epigraph form: minimize t subject to ||F x - g|| <= t (one
 * cone of dimension 64-500, F half dense) and |x_j| <= 0.1 for every other j. No closed-form
 * optimum: judged by the KKT checks (and CVXOPT in the harness).
 */
export function largeConeLeastSquaresProblem(seed: number, minDim = 64, maxDim = 500): StressProblem {
  const rand = randomFromSeed(seed);
  const n = whole(rand, 5, 64);
  const d = whole(rand, minDim, maxDim);
  const rows: number[] = [0];
  const cols: number[] = [n];
  const vals: number[] = [-1];
  const b: number[] = [0];
  for (let i = 1; i < d; i++) {
    for (let j = 0; j < n; j++) if (rand() < 0.5) { rows.push(i); cols.push(j); vals.push(-between(rand, -1, 1)); }
    b.push(-between(rand, -1, 1));
  }
  let m = d;
  for (let j = 0; j < n; j += 2) {
    rows.push(m, m + 1);
    cols.push(j, j);
    vals.push(1, -1);
    b.push(0.1, 0.1);
    m += 2;
  }
  const q = new Float64Array(n + 1);
  q[n] = 1;
  return {
    problem: {
      P: cscFromTriplets(n + 1, n + 1, [], [], []), q, A: cscFromTriplets(m, n + 1, rows, cols, vals), b: Float64Array.from(b),
      cones: [{ type: 'secondOrder', dim: d }, { type: 'nonnegative', dim: m - d }],
    },
    expected: 'solved',
  };
}

/** 100-400 second-order and rotated cones of dimension 2-6 (and some nonnegative rows). */
export function manySmallConesProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const count = whole(rand, 100, 400);
  const cones: ConeSpec[] = [{ type: 'zero', dim: whole(rand, 1, 10) }, { type: 'nonnegative', dim: whole(rand, 1, 30) }];
  for (let k = 0; k < count; k++) cones.push({ type: rand() < 0.5 ? 'secondOrder' : 'rotatedSecondOrder', dim: whole(rand, 2, 6) });
  const n = whole(rand, Math.floor(count / 2), count);
  const m = rowCount(cones);
  const A = new Triplets(m, n);
  randomRows(rand, A, 0, m, range(0, n), 3);
  const P = lowRankPsd(rand, n, range(0, n), whole(rand, 0, Math.floor(n / 2)), 1);
  return knownOptimum(rand, n, cones, A, P, () => 'strict');
}

/** Rotated cones of dimension 2-10 with u = 0 or v = 0 at the optimum (w = 0 then too). */
export function rotatedZeroSideProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const cones: ConeSpec[] = [{ type: 'nonnegative', dim: whole(rand, 0, 6) }];
  const count = whole(rand, 1, 12);
  for (let k = 0; k < count; k++) cones.push({ type: 'rotatedSecondOrder', dim: whole(rand, 2, 10) });
  const live = cones.filter((c) => c.dim > 0);
  const m = rowCount(live);
  const n = whole(rand, 2, Math.max(2, m));
  const A = new Triplets(m, n);
  randomRows(rand, A, 0, m, range(0, n), 3);
  const P = lowRankPsd(rand, n, range(0, n), whole(rand, 0, n), 1);
  return knownOptimum(rand, n, live, A, P, (cone) => (cone.type === 'rotatedSecondOrder' && rand() < 0.8 ? 'rotatedZeroSide' : 'strict'));
}

/**
 * LPs with multiple optima and redundant rows: s = z = 0 on some rows (the optimal face is not
 * a point), equality rows repeated or equal to the sum of two others, inequality rows repeated.
 */
export function degenerateLpProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const n = whole(rand, 5, 60);
  const eq = whole(rand, 1, Math.max(1, Math.floor(n / 3)));
  const redundantEq = whole(rand, 1, 4);
  const ineq = whole(rand, n, 3 * n);
  const repeatedIneq = whole(rand, 1, 5);
  const cones: ConeSpec[] = [{ type: 'zero', dim: eq + redundantEq }, { type: 'nonnegative', dim: ineq + repeatedIneq }];
  const m = rowCount(cones);
  const rowsOf: Array<Map<number, number>> = Array.from({ length: m }, () => new Map());
  const put = (i: number, j: number, v: number): void => { rowsOf[i]!.set(j, (rowsOf[i]!.get(j) ?? 0) + v); };
  for (let i = 0; i < eq; i++) for (let k = 0; k < 4; k++) put(i, whole(rand, 0, n - 1), between(rand, -1, 1));
  for (let i = eq; i < eq + redundantEq; i++) {
    const a = whole(rand, 0, eq - 1);
    const c = whole(rand, 0, eq - 1);
    for (const [j, v] of rowsOf[a]!) put(i, j, v);
    if (rand() < 0.5) for (const [j, v] of rowsOf[c]!) put(i, j, 2 * v);
  }
  const i0 = eq + redundantEq;
  for (let i = i0; i < i0 + ineq; i++) for (let k = 0; k < 3; k++) put(i, whole(rand, 0, n - 1), between(rand, -1, 1));
  // every variable bounded below by a row so the LP stays bounded for most directions
  for (let j = 0; j < n; j++) put(i0 + (j % ineq), j, -between(rand, 0.5, 1));
  const repeatedFrom: number[] = [];
  for (let i = i0 + ineq; i < m; i++) {
    const from = whole(rand, i0, i0 + ineq - 1);
    repeatedFrom.push(from);
    for (const [j, v] of rowsOf[from]!) put(i, j, v);
  }
  const A = new Triplets(m, n);
  rowsOf.forEach((row, i) => row.forEach((v, j) => A.add(i, j, v)));
  const s = new Array<number>(m).fill(0);
  const z = new Array<number>(m).fill(0);
  complementaryBlock(rand, cones[0]!, 'strict', s, z, 0);
  complementaryBlock(rand, { type: 'nonnegative', dim: ineq }, 'degenerate', s, z, i0);
  // a repeated row has the same slack; its dual share is free to be zero or positive only where the slack is 0
  repeatedFrom.forEach((from, k) => {
    s[i0 + ineq + k] = s[from]!;
    if (s[from] === 0 && rand() < 0.5) {
      const share = rand() * z[from]!;
      z[i0 + ineq + k] = share;
      z[from]! -= share;
    }
  });
  // equality duals: only rows with independent content carry one (the redundant ones get 0 or a share)
  const x = Array.from({ length: n }, () => between(rand, -1, 1));
  return fromKktPoint(A, new Triplets(n, n), cones, x, s, z);
}

/**
 * Free variables: a third to half of the columns appear only in equality rows and P, and a few
 * appear nowhere at all (zero column of A and P, zero cost: free and irrelevant).
 */
export function freeVariablesProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const n = whole(rand, 6, 40);
  const free = whole(rand, Math.floor(n / 3), Math.floor(n / 2));
  const nowhere = whole(rand, 0, 2);
  const boundColumns = range(free, n);
  const freeColumns = range(nowhere, free);
  const cones: ConeSpec[] = [
    { type: 'zero', dim: whole(rand, 1, Math.max(1, Math.floor(free / 2))) },
    { type: 'nonnegative', dim: whole(rand, 1, 2 * boundColumns.length) },
    { type: 'secondOrder', dim: whole(rand, 2, 8) },
    { type: 'rotatedSecondOrder', dim: whole(rand, 2, 6) },
  ];
  const m = rowCount(cones);
  const eqRows = cones[0]!.dim;
  const A = new Triplets(m, n);
  randomRows(rand, A, 0, eqRows, [...freeColumns, ...boundColumns], 4);
  randomRows(rand, A, eqRows, m, boundColumns, 3);
  const P = lowRankPsd(rand, n, freeColumns.length > 0 ? freeColumns : boundColumns, whole(rand, 0, free), 1);
  const pb = lowRankPsd(rand, n, boundColumns, whole(rand, 0, 3), 1);
  pb.rows.forEach((r, k) => P.add(r, pb.cols[k]!, pb.vals[k]!));
  const problem = knownOptimum(rand, n, cones, A, P, () => 'strict');
  return problem;
}

/** Entries spread over 1e-6..1e6 (row and column scales of three decades each), a cost scale 1e-3..1e3. */
export function badlyScaledProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const n = whole(rand, 3, 30);
  const cones: ConeSpec[] = [{ type: 'zero', dim: whole(rand, 0, 3) }, { type: 'nonnegative', dim: whole(rand, 1, 2 * n) }];
  const count = whole(rand, 0, 4);
  for (let k = 0; k < count; k++) cones.push({ type: rand() < 0.5 ? 'secondOrder' : 'rotatedSecondOrder', dim: whole(rand, 2, 8) });
  const live = cones.filter((c) => c.dim > 0);
  const m = rowCount(live);
  const base = new Triplets(m, n);
  randomRows(rand, base, 0, m, range(0, n), 3);
  const colScale = Array.from({ length: n }, () => decades(rand, -3, 3));
  const rowScale = new Array<number>(m);
  let o = 0;
  for (const cone of live) {
    // one scale per cone block keeps the block a cone; nonnegative and zero rows one each
    const shared = decades(rand, -3, 3);
    for (let k = 0; k < cone.dim; k++) rowScale[o + k] = cone.type === 'secondOrder' || cone.type === 'rotatedSecondOrder' ? shared : decades(rand, -3, 3);
    o += cone.dim;
  }
  const A = new Triplets(m, n);
  base.rows.forEach((i, k) => A.add(i, base.cols[k]!, base.vals[k]! * rowScale[i]! * colScale[base.cols[k]!]!));
  const costScale = decades(rand, -3, 3);
  const Pbase = lowRankPsd(rand, n, range(0, n), whole(rand, 0, n), 1);
  const P = new Triplets(n, n);
  Pbase.rows.forEach((i, k) => { const j = Pbase.cols[k]!; P.add(i, j, costScale * Pbase.vals[k]! * colScale[i]! * colScale[j]!); });
  const s = new Array<number>(m).fill(0);
  const z = new Array<number>(m).fill(0);
  o = 0;
  for (const cone of live) {
    complementaryBlock(rand, cone, 'strict', s, z, o);
    for (let k = 0; k < cone.dim; k++) {
      s[o + k]! *= rowScale[o + k]!;
      z[o + k]! *= costScale / rowScale[o + k]!;
    }
    o += cone.dim;
  }
  const x = Array.from({ length: n }, (_, j) => between(rand, -1, 1) / colScale[j]!);
  return fromKktPoint(A, P, live, x, s, z);
}

/** QPs with a singular P (rank 1..n-1) over all cone types, some with a non-unique minimizer. */
export function singularQpProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const n = whole(rand, 4, 60);
  const cones: ConeSpec[] = [{ type: 'zero', dim: whole(rand, 0, 4) }, { type: 'nonnegative', dim: whole(rand, 2, n) }];
  const count = whole(rand, 1, 6);
  for (let k = 0; k < count; k++) cones.push({ type: rand() < 0.5 ? 'secondOrder' : 'rotatedSecondOrder', dim: whole(rand, 2, 12) });
  const live = cones.filter((c) => c.dim > 0);
  const m = rowCount(live);
  const A = new Triplets(m, n);
  randomRows(rand, A, 0, m, range(0, n), 3);
  const P = lowRankPsd(rand, n, range(0, n), whole(rand, 1, n - 1), decades(rand, -1, 2), 6);
  return knownOptimum(rand, n, live, A, P, () => (rand() < 0.5 ? 'degenerate' : 'strict'));
}

/**
 * No interior: some inequality rows come with their negation (implicit equalities), and some
 * cones with s* on the boundary get the row -zbar's >= 0 (zbar = (|w|, -w) at s* = (|w|, w))
 * that leaves only the ray through s*. 'point' seeds pin every variable that way.
 */
export function noInteriorProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const n = whole(rand, 2, 25);
  const point = rand() < 0.3;
  const pairs = point ? n : whole(rand, 1, n);
  const socCount = whole(rand, point ? 0 : 1, 4);
  const socDims = Array.from({ length: socCount }, () => whole(rand, 2, 8));
  const faceRows = socCount;
  const slackRows = whole(rand, 0, n);
  const cones: ConeSpec[] = [{ type: 'nonnegative', dim: 2 * pairs + slackRows + faceRows }];
  for (const d of socDims) cones.push({ type: 'secondOrder', dim: d });
  const m = rowCount(cones);
  const rowsOf: Array<Map<number, number>> = Array.from({ length: m }, () => new Map());
  const put = (i: number, j: number, v: number): void => { rowsOf[i]!.set(j, (rowsOf[i]!.get(j) ?? 0) + v); };
  // pinned pairs: row p and its negation (for 'point', the pairs' rows span all variables)
  for (let p = 0; p < pairs; p++) {
    if (point) put(2 * p, p, between(rand, 0.5, 1.5));
    for (let k = 0; k < 3; k++) put(2 * p, whole(rand, 0, n - 1), between(rand, -1, 1));
    for (const [j, v] of rowsOf[2 * p]!) put(2 * p + 1, j, -v);
  }
  for (let i = 2 * pairs; i < 2 * pairs + slackRows; i++) for (let k = 0; k < 3; k++) put(i, whole(rand, 0, n - 1), between(rand, -1, 1));
  const socStart = 2 * pairs + slackRows + faceRows;
  let o = socStart;
  for (const d of socDims) {
    for (let r = 0; r < d; r++) for (let k = 0; k < 2; k++) put(o + r, whole(rand, 0, n - 1), between(rand, -1, 1));
    o += d;
  }
  const s = new Array<number>(m).fill(0);
  const z = new Array<number>(m).fill(0);
  for (let p = 0; p < pairs; p++) {
    z[2 * p] = rand() < 0.7 ? between(rand, 0, 2) : 0;
    z[2 * p + 1] = rand() < 0.7 ? between(rand, 0, 2) : 0;
  }
  for (let i = 2 * pairs; i < 2 * pairs + slackRows; i++) {
    if (rand() < 0.5) s[i] = between(rand, 0.1, 2);
    else z[i] = between(rand, 0.1, 2);
  }
  const x = Array.from({ length: n }, () => between(rand, -1, 1));
  const Ad = new Triplets(m, n);
  o = socStart;
  socDims.forEach((d, c) => {
    // s* on the boundary, zbar = (|w|, -w); the face row is (zbar' A_c) x + s_f = zbar' b_c, i.e. s_f = -zbar's >= 0
    const w = Array.from({ length: d - 1 }, () => between(rand, -1, 1));
    const wn = Math.hypot(...w);
    const size = between(rand, 0.2, 2);
    s[o] = size * wn;
    for (let k = 1; k < d; k++) s[o + k] = size * w[k - 1]!;
    const zbar = [wn, ...w.map((v) => -v)];
    const beta = rand() < 0.7 ? between(rand, 0.2, 2) : 0;
    for (let k = 0; k < d; k++) z[o + k] = beta * zbar[k]!;
    const face = 2 * pairs + slackRows + c;
    for (let k = 0; k < d; k++) for (const [j, v] of rowsOf[o + k]!) put(face, j, zbar[k]! * v);
    z[face] = rand() < 0.7 ? between(rand, 0, 2) : 0;
    o += d;
  });
  rowsOf.forEach((row, i) => row.forEach((v, j) => Ad.add(i, j, v)));
  // face rows' b must be zbar'b_c: fromKktPoint sets b = A x + s with s_f = 0, which is exactly that
  const P = lowRankPsd(rand, n, range(0, n), whole(rand, 0, n), 1);
  return fromKktPoint(Ad, P, cones, x, s, z);
}

/** Dense m x n rows (as maps) with `perRow` random entries. */
function randomRowMaps(rand: Random, m: number, n: number, perRow: number): Array<Map<number, number>> {
  return Array.from({ length: m }, () => {
    const row = new Map<number, number>();
    for (let k = 0; k < perRow; k++) row.set(whole(rand, 0, n - 1), between(rand, -1, 1));
    return row;
  });
}

/** A y in K* for the blocks (zero rows free; some nonnegative entries 0, some cones on their boundary). */
function dualConePoint(rand: Random, cones: ConeSpec[], support: (cone: ConeSpec) => boolean): number[] {
  const y: number[] = [];
  for (const cone of cones) {
    const d = cone.dim;
    if (!support(cone)) {
      y.push(...new Array<number>(d).fill(0));
      continue;
    }
    if (cone.type === 'zero') y.push(...Array.from({ length: d }, () => between(rand, -1, 1)));
    else if (cone.type === 'nonnegative') y.push(...Array.from({ length: d }, () => (rand() < 0.3 ? 0 : between(rand, 0.1, 1))));
    else {
      const w = Array.from({ length: d - 1 }, () => between(rand, -1, 1));
      const block = [Math.hypot(...w) + (rand() < 0.3 ? 0 : between(rand, 0.1, 0.5)), ...w];
      if (cone.type === 'rotatedSecondOrder') rotatePair(block, 0);
      y.push(...block);
    }
  }
  return y;
}

function mixedCones(rand: Random, maxDim: number, withZero: boolean): ConeSpec[] {
  const cones: ConeSpec[] = [];
  if (withZero) cones.push({ type: 'zero', dim: whole(rand, 1, 5) });
  cones.push({ type: 'nonnegative', dim: whole(rand, 1, 10) });
  const count = whole(rand, 1, 5);
  for (let k = 0; k < count; k++) cones.push({ type: rand() < 0.5 ? 'secondOrder' : 'rotatedSecondOrder', dim: whole(rand, 2, maxDim) });
  return cones;
}

/** Makes y'A = 0 by subtracting y (y'A)/|y|^2 from the rows (changes only rows where y != 0). */
function projectOutCertificate(rows: Array<Map<number, number>>, y: number[], n: number): void {
  const yy = y.reduce((a, v) => a + v * v, 0);
  const ya = new Array<number>(n).fill(0);
  rows.forEach((row, i) => row.forEach((v, j) => { ya[j]! += y[i]! * v; }));
  rows.forEach((row, i) => {
    if (y[i] === 0) return;
    for (let j = 0; j < n; j++) if (ya[j] !== 0) row.set(j, (row.get(j) ?? 0) - (y[i]! * ya[j]!) / yy);
  });
}

/** Makes A d = -sd by adding ((-sd_i - a_i'd) / |d|^2) d' to each row. */
function forceDirection(rows: Array<Map<number, number>>, d: number[], sd: number[]): void {
  const dd = d.reduce((a, v) => a + v * v, 0);
  rows.forEach((row, i) => {
    let ad = 0;
    row.forEach((v, j) => { ad += v * d[j]!; });
    const c = (-sd[i]! - ad) / dd;
    if (c === 0) return;
    d.forEach((dj, j) => { if (dj !== 0) row.set(j, (row.get(j) ?? 0) + c * dj); });
  });
}

function tripletsOf(rows: Array<Map<number, number>>, n: number): Triplets {
  const A = new Triplets(rows.length, n);
  rows.forEach((row, i) => row.forEach((v, j) => A.add(i, j, v)));
  return A;
}

/** Primal infeasible with equality rows and cones up to dimension 120: a Farkas certificate y on some blocks. */
export function primalInfeasibleStressProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const cones = mixedCones(rand, rand() < 0.3 ? 120 : 10, rand() < 0.7);
  const m = rowCount(cones);
  const n = whole(rand, 2, Math.max(2, Math.min(60, m)));
  const rows = randomRowMaps(rand, m, n, 3);
  const y = dualConePoint(rand, cones, () => rand() < 0.6);
  if (!y.some((v) => v !== 0)) {
    const last = cones[cones.length - 1]!;
    const start = m - last.dim;
    y[start] = 1;
    if (last.type === 'rotatedSecondOrder') y[start + 1] = 1;
  }
  projectOutCertificate(rows, y, n);
  const b = Array.from({ length: m }, () => between(rand, -1, 1));
  const yy = y.reduce((a, v) => a + v * v, 0);
  const by = b.reduce((a, v, i) => a + v * y[i]!, 0);
  for (let i = 0; i < m; i++) b[i]! -= ((by + between(rand, 0.01, 1)) * y[i]!) / yy;
  // P positive definite: no unbounded direction, so the Farkas certificate is the only answer
  const P = lowRankPsd(rand, n, range(0, n), whole(rand, 0, n), 1);
  for (let j = 0; j < n; j++) P.add(j, j, 0.1);
  const q = Array.from({ length: n }, () => between(rand, -1, 1));
  return { problem: { P: P.csc(), q: Float64Array.from(q), A: tripletsOf(rows, n).csc(), b: Float64Array.from(b), cones }, expected: 'primalInfeasible' };
}

/** Unbounded with equality rows and cones up to dimension 120: d with P d = 0, A d = -s_d (s_d in K), q'd < 0, feasible. */
export function dualInfeasibleStressProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const cones = mixedCones(rand, rand() < 0.3 ? 120 : 10, rand() < 0.7);
  const m = rowCount(cones);
  const n = whole(rand, 2, 40);
  const rows = randomRowMaps(rand, m, n, 3);
  const d = Array.from({ length: n }, () => (rand() < 0.5 ? between(rand, -1, 1) : 0));
  if (!d.some((v) => v !== 0)) d[0] = 1;
  // s_d in K, on the boundary or 0 for some blocks (the direction only touches the cone)
  const sd = dualConePoint(rand, cones, (c) => c.type !== 'zero' && rand() < 0.7);
  forceDirection(rows, d, sd);
  const x0 = Array.from({ length: n }, () => between(rand, -1, 1));
  const s0: number[] = [];
  for (const cone of cones) {
    if (cone.type === 'zero') s0.push(...new Array<number>(cone.dim).fill(0));
    else if (cone.type === 'nonnegative') s0.push(...Array.from({ length: cone.dim }, () => between(rand, 0.1, 1)));
    else {
      const block = [1, ...new Array<number>(cone.dim - 1).fill(0)];
      if (cone.type === 'rotatedSecondOrder') rotatePair(block, 0);
      s0.push(...block);
    }
  }
  const A = tripletsOf(rows, n).csc();
  const b = Float64Array.from(s0);
  cscMulAdd(A, Float64Array.from(x0), b, 1, 1);
  // P with d in its null space: rows of M orthogonal to d
  const P = new Triplets(n, n);
  const rank = whole(rand, 0, n - 1);
  const dd = d.reduce((a, v) => a + v * v, 0);
  for (let r = 0; r < rank; r++) {
    const row = Array.from({ length: n }, () => (rand() < 0.3 ? between(rand, -1, 1) : 0));
    const md = row.reduce((a, v, j) => a + v * d[j]!, 0);
    for (let j = 0; j < n; j++) row[j]! -= (md * d[j]!) / dd;
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) if (row[i] !== 0 && row[j] !== 0) P.add(i, j, row[i]! * row[j]!);
  }
  const q = Array.from({ length: n }, () => between(rand, -1, 1));
  const qd = q.reduce((a, v, j) => a + v * d[j]!, 0);
  const target = -between(rand, 0.01, 1);
  for (let j = 0; j < n; j++) q[j]! += ((target - qd) * d[j]!) / dd;
  return { problem: { P: P.csc(), q: Float64Array.from(q), A, b, cones }, expected: 'dualInfeasible' };
}

/** Primal and dual infeasible at once: a Farkas y with y'A = 0 and a direction d with A d = 0, P d = 0, q'd < 0. */
export function bothInfeasibleProblem(seed: number): StressProblem {
  const rand = randomFromSeed(seed);
  const cones = mixedCones(rand, 10, rand() < 0.7);
  const m = rowCount(cones);
  const n = whole(rand, 2, 30);
  const rows = randomRowMaps(rand, m, n, 3);
  const y = dualConePoint(rand, cones, () => true);
  const d = Array.from({ length: n }, () => between(rand, -1, 1));
  projectOutCertificate(rows, y, n);
  // A d = 0 keeps y'A = 0 (y'A d' terms vanish)
  forceDirection(rows, d, new Array<number>(m).fill(0));
  const b = Array.from({ length: m }, () => between(rand, -1, 1));
  const yy = y.reduce((a, v) => a + v * v, 0);
  const by = b.reduce((a, v, i) => a + v * y[i]!, 0);
  for (let i = 0; i < m; i++) b[i]! -= ((by + between(rand, 0.05, 1)) * y[i]!) / yy;
  const dd = d.reduce((a, v) => a + v * v, 0);
  const q = Array.from({ length: n }, () => between(rand, -1, 1));
  const qd = q.reduce((a, v, j) => a + v * d[j]!, 0);
  for (let j = 0; j < n; j++) q[j]! += ((-between(rand, 0.05, 1) - qd) * d[j]!) / dd;
  return { problem: { P: new Triplets(n, n).csc(), q: Float64Array.from(q), A: tripletsOf(rows, n).csc(), b: Float64Array.from(b), cones }, expected: 'infeasible' };
}

export interface StressFamily {
  name: string;
  make: (seed: number) => StressProblem;
}

export const stressFamilies: StressFamily[] = [
  { name: 'large-cone-boundary', make: largeConeBoundaryProblem },
  { name: 'large-cone-dense-rows', make: largeConeDenseRowsProblem },
  { name: 'large-cone-least-squares', make: (seed) => largeConeLeastSquaresProblem(seed) },
  { name: 'many-small-cones', make: manySmallConesProblem },
  { name: 'rotated-zero-side', make: rotatedZeroSideProblem },
  { name: 'degenerate-lp', make: degenerateLpProblem },
  { name: 'free-variables', make: freeVariablesProblem },
  { name: 'badly-scaled', make: badlyScaledProblem },
  { name: 'singular-qp', make: singularQpProblem },
  { name: 'no-interior', make: noInteriorProblem },
  { name: 'primal-infeasible', make: primalInfeasibleStressProblem },
  { name: 'dual-infeasible', make: dualInfeasibleStressProblem },
  { name: 'both-infeasible', make: bothInfeasibleProblem },
];
