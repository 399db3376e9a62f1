/**
 * Random conic problems whose answer is known by construction, for property tests.
 * Optimal: pick x*, complementary s* in K and z* in K* (s*'z* = 0), then b = A x* + s* and
 * q = -P x* - A'z* make (x*, s*, z*) satisfy the KKT conditions, so the optimal value is
 * 1/2 x*'P x* + q'x*. Infeasible: project the data so a chosen certificate satisfies its
 * defining equalities exactly.
 */
import { cscFromTriplets } from '../sparse/cscFromTriplets.js';
import type { ConeSpec, ConicProblem } from '../types.js';

export type Random = () => number;

/** mulberry32: tests derive every number from one fast-check seed. */
export function randomFromSeed(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (rand: Random, lo: number, hi: number): number => lo + (hi - lo) * rand();
const whole = (rand: Random, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const spread = (rand: Random, decades: number): number => 10 ** between(rand, -decades, decades);

export interface KnownOptimumProblem {
  problem: ConicProblem;
  objective: number;
  x: Float64Array;
}

function randomCones(rand: Random, maxConeDim = 4): ConeSpec[] {
  const cones: ConeSpec[] = [];
  const count = whole(rand, 1, 4);
  for (let k = 0; k < count; k++) {
    const kind = whole(rand, 0, 3);
    if (kind === 0) cones.push({ type: 'zero', dim: whole(rand, 1, 3) });
    else if (kind === 1) cones.push({ type: 'nonnegative', dim: whole(rand, 1, 5) });
    else if (kind === 2) cones.push({ type: 'secondOrder', dim: whole(rand, 1, maxConeDim) });
    else cones.push({ type: 'rotatedSecondOrder', dim: whole(rand, 2, maxConeDim) });
  }
  return cones;
}

/** (t, r, w) in SOC form to the rotated (u, v, w) form and back (the map is its own inverse). */
function rotatePair(v: number[]): void {
  const a = v[0]!;
  const b = v[1]!;
  v[0] = (a + b) / Math.SQRT2;
  v[1] = (a - b) / Math.SQRT2;
}

/** A complementary pair (s, z) for one cone block. */
function complementaryPair(rand: Random, cone: ConeSpec): { s: number[]; z: number[] } {
  const d = cone.dim;
  if (cone.type === 'zero') return { s: new Array<number>(d).fill(0), z: Array.from({ length: d }, () => between(rand, -1, 1)) };
  if (cone.type === 'nonnegative') {
    const s: number[] = [];
    const z: number[] = [];
    for (let k = 0; k < d; k++) {
      const mode = rand();
      s.push(mode < 0.45 ? between(rand, 0.1, 2) : 0);
      z.push(mode >= 0.45 && mode < 0.9 ? between(rand, 0.1, 2) : 0);
    }
    return { s, z };
  }
  const u = Array.from({ length: d - 1 }, () => between(rand, -1, 1));
  const un = Math.hypot(...u);
  const mode = rand();
  let s: number[];
  let z: number[];
  if (mode < 0.3 || d === 1) {
    s = [un + between(rand, 0.1, 1), ...u];
    z = new Array<number>(d).fill(0);
    if (rand() < 0.5) [s, z] = [z, s];
  } else if (mode < 0.9) {
    const alpha = between(rand, 0.2, 2);
    const beta = between(rand, 0.2, 2);
    s = [alpha * un, ...u.map((x) => alpha * x)];
    z = [beta * un, ...u.map((x) => -beta * x)];
  } else {
    s = new Array<number>(d).fill(0);
    z = new Array<number>(d).fill(0);
  }
  if (cone.type === 'rotatedSecondOrder') {
    rotatePair(s);
    rotatePair(z);
  }
  return { s, z };
}

function denseRandom(rand: Random, rows: number, cols: number, density: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rand() < density ? between(rand, -1, 1) : 0)));
}

function toProblem(Pd: number[][], q: number[], Ad: number[][], b: number[], cones: ConeSpec[]): ConicProblem {
  const n = q.length;
  const pr: number[] = [], pc: number[] = [], pv: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) if (Pd[i]![j] !== 0) { pr.push(i); pc.push(j); pv.push(Pd[i]![j]!); }
  const ar: number[] = [], ac: number[] = [], av: number[] = [];
  Ad.forEach((row, i) => row.forEach((v, j) => { if (v !== 0) { ar.push(i); ac.push(j); av.push(v); } }));
  return {
    P: cscFromTriplets(n, n, pr, pc, pv),
    q: Float64Array.from(q),
    A: cscFromTriplets(b.length, n, ar, ac, av),
    b: Float64Array.from(b),
    cones,
  };
}

/** P = c M'M with rank(M) = r <= n (r = 0: an LP). */
function randomPsd(rand: Random, n: number, rank: number, scale: number, nullDirection?: number[]): number[][] {
  const M = denseRandom(rand, rank, n, 0.7);
  if (nullDirection) {
    const dd = nullDirection.reduce((a, v) => a + v * v, 0);
    for (const row of M) {
      const md = row.reduce((a, v, j) => a + v * nullDirection[j]!, 0);
      for (let j = 0; j < n; j++) row[j]! -= (md * nullDirection[j]!) / dd;
    }
  }
  const P = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const row of M) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) P[i]![j]! += scale * row[i]! * row[j]!;
  return P;
}

/** A feasible, bounded problem with optimum at a chosen x* (free variables, singular P, repeated rows, scaling spread 1e-3..1e3). */
export function knownOptimumProblem(seed: number, maxConeDim = 4): KnownOptimumProblem {
  const rand = randomFromSeed(seed);
  const n = whole(rand, 1, 8);
  const cones = randomCones(rand, maxConeDim);
  const m = cones.reduce((a, c) => a + c.dim, 0);
  const A = denseRandom(rand, m, n, 0.6);
  // a repeated equality row (redundant constraints)
  let row = 0;
  for (const cone of cones) {
    if (cone.type === 'zero' && cone.dim >= 2 && rand() < 0.5) A[row + 1] = A[row]!.slice();
    row += cone.dim;
  }
  const rowScale = Array.from({ length: m }, () => spread(rand, 1.5));
  const colScale = Array.from({ length: n }, () => spread(rand, 1.5));
  row = 0;
  for (const cone of cones) {
    // one scale per cone block keeps the generated s*, z* valid for that block
    const blockScale = rowScale[row]!;
    for (let k = 0; k < cone.dim; k++) A[row + k] = A[row + k]!.map((v, j) => v * blockScale * colScale[j]!);
    row += cone.dim;
  }
  const P = randomPsd(rand, n, whole(rand, 0, n), spread(rand, 1.5));
  const x = Array.from({ length: n }, () => between(rand, -1, 1) * spread(rand, 1));
  const s: number[] = [];
  const z: number[] = [];
  for (const cone of cones) {
    const pair = complementaryPair(rand, cone);
    s.push(...pair.s);
    z.push(...pair.z);
  }
  const b = A.map((r, i) => r.reduce((a, v, j) => a + v * x[j]!, 0) + s[i]!);
  const q = x.map((_, j) => -P[j]!.reduce((a, v, k) => a + v * x[k]!, 0) - A.reduce((a, r, i) => a + r[j]! * z[i]!, 0));
  let objective = 0;
  for (let i = 0; i < n; i++) {
    objective += q[i]! * x[i]!;
    for (let j = 0; j < n; j++) objective += 0.5 * x[i]! * P[i]![j]! * x[j]!;
  }
  return { problem: toProblem(P, q, A, b, cones), objective, x: Float64Array.from(x) };
}

/** A problem with a Farkas certificate y (A'y = 0, b'y = -1, y in K*). */
export function primalInfeasibleProblem(seed: number, maxConeDim = 4): ConicProblem {
  const rand = randomFromSeed(seed);
  const n = whole(rand, 1, 6);
  const cones = randomCones(rand, maxConeDim).filter((c) => c.type !== 'zero');
  if (cones.length === 0) cones.push({ type: 'nonnegative', dim: 2 });
  const m = cones.reduce((a, c) => a + c.dim, 0);
  const y: number[] = [];
  for (const cone of cones) {
    const pair = complementaryPair(rand, { ...cone });
    // an interior dual point: z + e (e = (1, 0, ...) for second-order cones)
    const block = pair.z.length > 0 ? pair.z : [];
    if (cone.type === 'nonnegative') y.push(...block.map((v) => v + 0.5));
    else {
      const u = Array.from({ length: cone.dim - 1 }, () => between(rand, -1, 1));
      const w = [Math.hypot(...u) + 0.5, ...u];
      if (cone.type === 'rotatedSecondOrder') rotatePair(w);
      y.push(...w);
    }
  }
  const yy = y.reduce((a, v) => a + v * v, 0);
  const A = denseRandom(rand, m, n, 0.8);
  for (let j = 0; j < n; j++) {
    const ay = A.reduce((a, r, i) => a + r[j]! * y[i]!, 0);
    for (let i = 0; i < m; i++) A[i]![j]! -= (ay * y[i]!) / yy;
  }
  const b = Array.from({ length: m }, () => between(rand, -1, 1));
  const by = b.reduce((a, v, i) => a + v * y[i]!, 0);
  for (let i = 0; i < m; i++) b[i]! -= ((by + 1) * y[i]!) / yy;
  // P positive definite so the problem cannot also be unbounded
  const P = randomPsd(rand, n, n, 1);
  for (let j = 0; j < n; j++) P[j]![j]! += 0.1;
  const q = Array.from({ length: n }, () => between(rand, -1, 1));
  return toProblem(P, q, A, b, cones);
}

/** An unbounded problem: a direction d with P d = 0, A d + s_d = 0 (s_d in K), q'd = -1, and a feasible point. */
export function dualInfeasibleProblem(seed: number, maxConeDim = 4): ConicProblem {
  const rand = randomFromSeed(seed);
  const n = whole(rand, 2, 6);
  const cones = randomCones(rand, maxConeDim);
  // equality rows alone leave the embedding without a barrier term (a known weak spot, see docs/solver.md)
  if (!cones.some((c) => c.type !== 'zero')) cones.push({ type: 'nonnegative', dim: 1 });
  const m = cones.reduce((a, c) => a + c.dim, 0);
  const d = Array.from({ length: n }, () => between(rand, -1, 1));
  const dd = d.reduce((a, v) => a + v * v, 0);
  const sd: number[] = [];
  for (const cone of cones) {
    if (cone.type === 'zero') sd.push(...new Array<number>(cone.dim).fill(0));
    else if (cone.type === 'nonnegative') sd.push(...Array.from({ length: cone.dim }, () => between(rand, 0, 1)));
    else {
      const u = Array.from({ length: cone.dim - 1 }, () => between(rand, -1, 1));
      const w = [Math.hypot(...u) + between(rand, 0, 0.5), ...u];
      if (cone.type === 'rotatedSecondOrder') rotatePair(w);
      sd.push(...w);
    }
  }
  const A = denseRandom(rand, m, n, 0.7);
  for (let i = 0; i < m; i++) {
    const ad = A[i]!.reduce((a, v, j) => a + v * d[j]!, 0);
    for (let j = 0; j < n; j++) A[i]![j]! += ((-sd[i]! - ad) * d[j]!) / dd;
  }
  // feasible: b = A x0 + s0 with s0 interior
  const x0 = Array.from({ length: n }, () => between(rand, -1, 1));
  const s0: number[] = [];
  for (const cone of cones) {
    if (cone.type === 'zero') s0.push(...new Array<number>(cone.dim).fill(0));
    else if (cone.type === 'nonnegative') s0.push(...new Array<number>(cone.dim).fill(1));
    else s0.push(...[1, ...new Array<number>(cone.dim - 1).fill(0)]);
    if (cone.type === 'rotatedSecondOrder') {
      // (1, 0, ...) in SOC form is (1/sqrt2, 1/sqrt2, 0...) in rotated form: still interior
      const o = s0.length - cone.dim;
      s0[o] = Math.SQRT1_2;
      s0[o + 1] = Math.SQRT1_2;
    }
  }
  const b = A.map((r, i) => r.reduce((a, v, j) => a + v * x0[j]!, 0) + s0[i]!);
  const P = randomPsd(rand, n, whole(rand, 0, n - 1), 1, d);
  const q = Array.from({ length: n }, () => between(rand, -1, 1));
  const qd = q.reduce((a, v, j) => a + v * d[j]!, 0);
  for (let j = 0; j < n; j++) q[j]! -= ((qd + 1) * d[j]!) / dd;
  return toProblem(P, q, A, b, cones);
}
