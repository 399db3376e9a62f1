/**
 * Seeded random instances shaped like our DistFlow OPF, for the solver benchmark and tests
 * before (and independently of) the real model: a random radial feeder over T periods with
 * the receiving-end branch flow rows, one rotated cone l * v_parent >= P^2 + Q^2 per line and
 * period, batteries (time-coupled energy), shapable EV loads and a quadratic generator cost.
 * Also a per-bus ADMM-like subproblem (its line, devices, and copies of neighbour variables
 * with a rho/2 ||copy - reference||^2 penalty) whose linear cost changes between re-solves.
 */
import { cscFromTriplets } from '../src/conic/sparse/cscFromTriplets.js';
import type { ConeSpec, ConicProblem } from '../src/conic/types.js';

/** Small deterministic generator (mulberry32); benchmarks must be reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  cols: number[];
  vals: number[];
  b: number;
}

/** Collects variables and rows by cone type, then emits them in the order zero, nonnegative, cones. */
class ProblemSketch {
  variables = 0;
  quadratic = new Map<number, number>();
  linear: number[] = [];
  equalities: Row[] = [];
  inequalities: Row[] = [];
  rotatedCones: Row[][] = [];

  variable(cost = 0, quadratic = 0): number {
    const j = this.variables++;
    this.linear.push(cost);
    if (quadratic !== 0) this.quadratic.set(j, quadratic);
    return j;
  }

  /** sum vals * x = b */
  equal(cols: number[], vals: number[], b: number): void {
    this.equalities.push({ cols, vals, b });
  }

  /** sum vals * x <= b */
  atMost(cols: number[], vals: number[], b: number): void {
    this.inequalities.push({ cols, vals, b });
  }

  /** lo <= x <= hi */
  bound(j: number, lo: number, hi: number): void {
    this.atMost([j], [-1], -lo);
    this.atMost([j], [1], hi);
  }

  /** 2 u v >= w1^2 + w2^2 with u = x[u], v = scaleV * x[v], w = x[w1], x[w2]. */
  rotated(u: number, v: number, scaleV: number, w1: number, w2: number): void {
    this.rotatedCones.push([
      { cols: [u], vals: [-1], b: 0 },
      { cols: [v], vals: [-scaleV], b: 0 },
      { cols: [w1], vals: [-1], b: 0 },
      { cols: [w2], vals: [-1], b: 0 },
    ]);
  }

  build(): ConicProblem {
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    const b: number[] = [];
    const cones: ConeSpec[] = [];
    const emit = (list: Row[]): void => {
      for (const row of list) {
        for (let k = 0; k < row.cols.length; k++) {
          rows.push(b.length);
          cols.push(row.cols[k]!);
          vals.push(row.vals[k]!);
        }
        b.push(row.b);
      }
    };
    emit(this.equalities);
    if (this.equalities.length > 0) cones.push({ type: 'zero', dim: this.equalities.length });
    emit(this.inequalities);
    if (this.inequalities.length > 0) cones.push({ type: 'nonnegative', dim: this.inequalities.length });
    for (const cone of this.rotatedCones) {
      emit(cone);
      cones.push({ type: 'rotatedSecondOrder', dim: cone.length });
    }
    const n = this.variables;
    const pj = [...this.quadratic.keys()];
    return {
      P: cscFromTriplets(n, n, pj, pj, pj.map((j) => this.quadratic.get(j)!)),
      q: Float64Array.from(this.linear),
      A: cscFromTriplets(b.length, n, rows, cols, vals),
      b: Float64Array.from(b),
      cones,
    };
  }
}

export interface DistFlowOptions {
  buses: number;
  periods: number;
  seed: number;
}

/** Central multi-period OPF on a random radial feeder (56 buses x 24 periods: about 12.4k variables). */
export function generateDistFlowProblem(options: DistFlowOptions): ConicProblem {
  const { buses, periods: T, seed } = options;
  const rand = seededRandom(seed);
  const sketch = new ProblemSketch();
  const parent = [-1];
  for (let i = 1; i < buses; i++) parent.push(Math.max(0, i - 1 - Math.floor(rand() * 3)));
  const r = parent.map(() => 0.0005 + 0.0025 * rand());
  const x = parent.map(() => 0.0005 + 0.0025 * rand());
  const children: number[][] = parent.map(() => []);
  for (let i = 1; i < buses; i++) children[parent[i]!]!.push(i);
  const baseLoad = parent.map((_, i) => (i === 0 ? 0 : 0.01 + 0.03 * rand()));
  const hasPv = parent.map((_, i) => i > 0 && rand() < 0.6);
  const hasBattery = parent.map((_, i) => i > 0 && rand() < 0.9);
  const hasEv = parent.map((_, i) => i > 0 && rand() < 0.65);
  const shape = Array.from({ length: T }, (_, t) => 0.6 + 0.4 * Math.sin((Math.PI * (t - 6)) / T) ** 2);
  // per (bus, t) variables
  const v: number[][] = [];
  const P: number[][] = [];
  const Q: number[][] = [];
  const l: number[][] = [];
  const p: number[][] = [];
  const q: number[][] = [];
  for (let i = 0; i < buses; i++) {
    v.push([]); P.push([]); Q.push([]); l.push([]); p.push([]); q.push([]);
    for (let t = 0; t < T; t++) {
      v[i]!.push(sketch.variable());
      p[i]!.push(sketch.variable());
      q[i]!.push(sketch.variable());
      if (i > 0) {
        P[i]!.push(sketch.variable());
        Q[i]!.push(sketch.variable());
        l[i]!.push(sketch.variable(0.01 * r[i]!));
      }
    }
  }
  for (let t = 0; t < T; t++) {
    const price = 40 + 20 * shape[t]!;
    const pg = sketch.variable(price, 20);
    const qg = sketch.variable();
    sketch.bound(pg, 0, 5);
    sketch.bound(qg, -3, 3);
    sketch.equal([p[0]![t]!, pg], [1, -1], 0);
    sketch.equal([q[0]![t]!, qg], [1, -1], 0);
  }
  for (let i = 0; i < buses; i++) {
    for (let t = 0; t < T; t++) {
      // p_i = P_i + r_i l_i - sum_k P_k (receiving-end balance)
      const pc = [p[i]![t]!];
      const pv = [1];
      const qc = [q[i]![t]!];
      const qv = [1];
      if (i > 0) {
        pc.push(P[i]![t]!, l[i]![t]!);
        pv.push(-1, -r[i]!);
        qc.push(Q[i]![t]!, l[i]![t]!);
        qv.push(-1, -x[i]!);
      }
      for (const k of children[i]!) {
        pc.push(P[k]![t]!);
        pv.push(1);
        qc.push(Q[k]![t]!);
        qv.push(1);
      }
      sketch.equal(pc, pv, 0);
      sketch.equal(qc, qv, 0);
      sketch.bound(v[i]![t]!, 0.9025, 1.1025);
      if (i > 0) {
        const a = parent[i]!;
        const z2 = r[i]! * r[i]! + x[i]! * x[i]!;
        sketch.equal([v[i]![t]!, v[a]![t]!, P[i]![t]!, Q[i]![t]!, l[i]![t]!], [1, -1, -2 * r[i]!, -2 * x[i]!, -z2], 0);
        sketch.rotated(l[i]![t]!, v[a]![t]!, 0.5, P[i]![t]!, Q[i]![t]!);
      }
    }
    if (i === 0) continue;
    // injections: p_i = pv - load - ev + discharge - charge
    const evPower: number[] = [];
    if (hasEv[i]) {
      const start = Math.floor(rand() * (T / 2));
      const length = Math.max(2, Math.floor(T / 4 + rand() * (T / 4)));
      const demand = 0.01 * length * (0.3 + 0.5 * rand());
      const energy: number[] = [];
      for (let t = 0; t < T; t++) {
        const s = sketch.variable();
        evPower.push(s);
        if (t >= start && t < start + length) {
          sketch.bound(s, 0, 0.01);
          energy.push(s);
        } else sketch.equal([s], [1], 0);
      }
      sketch.equal(energy, energy.map(() => 1), demand);
    }
    let previousEnergy = -1;
    const capacity = 0.02 + 0.04 * rand();
    for (let t = 0; t < T; t++) {
      const load = baseLoad[i]! * shape[t]!;
      const solar = hasPv[i] ? Math.max(0, Math.sin((Math.PI * (t - 6)) / 12)) * 0.02 : 0;
      const cols = [p[i]![t]!];
      const vals = [1];
      if (evPower.length > 0) {
        cols.push(evPower[t]!);
        vals.push(1);
      }
      if (hasBattery[i]) {
        const charge = sketch.variable(1e-3);
        const discharge = sketch.variable(1e-3);
        const energy = sketch.variable();
        sketch.bound(charge, 0, 0.3 * capacity);
        sketch.bound(discharge, 0, 0.3 * capacity);
        sketch.bound(energy, 0.1 * capacity, capacity);
        cols.push(charge, discharge);
        vals.push(1, -1);
        // E_t = E_{t-1} + 0.95 c - d / 0.95
        if (previousEnergy < 0) sketch.equal([energy, charge, discharge], [1, -0.95, 1 / 0.95], 0.5 * capacity);
        else sketch.equal([energy, previousEnergy, charge, discharge], [1, -1, -0.95, 1 / 0.95], 0);
        previousEnergy = energy;
      }
      sketch.equal(cols, vals, solar - load);
      sketch.equal([q[i]![t]!], [1], -0.3 * load);
    }
    if (previousEnergy >= 0) sketch.atMost([previousEnergy], [-1], -0.45 * capacity);
  }
  return sketch.build();
}

export interface BusSubproblem {
  problem: ConicProblem;
  /** Copy variables that carry the ADMM penalty rho/2 (x - reference)^2 + xi'x. */
  copyColumns: Int32Array;
  rho: number;
}

/**
 * One bus's ADMM local problem over T periods: its line (P, Q, l, v), a copy of the parent's v,
 * copies of `childCount` children's (P, Q), a battery, optionally an EV, and the penalty on
 * copies. `admmLinearCost` gives the q of the next ADMM round.
 */
export function generateBusSubproblem(periods: number, childCount: number, seed: number): BusSubproblem {
  const rand = seededRandom(seed);
  const sketch = new ProblemSketch();
  const rho = 1;
  const T = periods;
  const r = 0.0005 + 0.0025 * rand();
  const xr = 0.0005 + 0.0025 * rand();
  const load = 0.01 + 0.03 * rand();
  const capacity = 0.02 + 0.04 * rand();
  const copies: number[] = [];
  let previousEnergy = -1;
  for (let t = 0; t < T; t++) {
    const shape = 0.6 + 0.4 * Math.sin((Math.PI * (t - 6)) / T) ** 2;
    const P = sketch.variable(0, rho);
    const Q = sketch.variable(0, rho);
    const l = sketch.variable(0.01 * r);
    const v = sketch.variable(0, rho);
    const vParent = sketch.variable(0, rho);
    copies.push(P, Q, v, vParent);
    const pc = [P, l];
    const pv = [-1, -r];
    const qc = [Q, l];
    const qv = [-1, -xr];
    for (let k = 0; k < childCount; k++) {
      const Pk = sketch.variable(0, rho);
      const Qk = sketch.variable(0, rho);
      copies.push(Pk, Qk);
      pc.push(Pk);
      pv.push(1);
      qc.push(Qk);
      qv.push(1);
    }
    const charge = sketch.variable(1e-3);
    const discharge = sketch.variable(1e-3);
    const energy = sketch.variable();
    sketch.bound(charge, 0, 0.3 * capacity);
    sketch.bound(discharge, 0, 0.3 * capacity);
    sketch.bound(energy, 0.1 * capacity, capacity);
    if (previousEnergy < 0) sketch.equal([energy, charge, discharge], [1, -0.95, 1 / 0.95], 0.5 * capacity);
    else sketch.equal([energy, previousEnergy, charge, discharge], [1, -1, -0.95, 1 / 0.95], 0);
    previousEnergy = energy;
    // net injection (discharge - charge - load) balances the line flows
    sketch.equal([...pc, discharge, charge], [...pv, 1, -1], load * shape);
    sketch.equal(qc, qv, 0.3 * load * shape);
    sketch.bound(v, 0.9025, 1.1025);
    sketch.bound(vParent, 0.9025, 1.1025);
    sketch.equal([v, vParent, P, Q, l], [1, -1, -2 * r, -2 * xr, -(r * r + xr * xr)], 0);
    sketch.rotated(l, vParent, 0.5, P, Q);
  }
  sketch.atMost([previousEnergy], [-1], -0.45 * capacity);
  const problem = sketch.build();
  const copyColumns = Int32Array.from(copies);
  problem.q = admmLinearCost(problem.q, copyColumns, rho, seed, 0);
  return { problem, copyColumns, rho };
}

/**
 * q for ADMM round `round`: xi - rho * reference on the copies. Round 0 draws the reference
 * (near a flat start: v ~ 1, flows ~ 0) and xi; each later round moves both by about 2 %, as the
 * consensus iterates do once ADMM has settled (solver-research.md used 2 % per round).
 */
export function admmLinearCost(base: Float64Array, copyColumns: Int32Array, rho: number, seed: number, round: number): Float64Array {
  const rand = seededRandom(seed * 7919);
  const drift = seededRandom(seed * 7919 + 1 + round);
  const q = base.slice();
  for (let k = 0; k < copyColumns.length; k++) {
    const j = copyColumns[k]!;
    const isVoltage = k % 2 === 0 && rand() < 0.5;
    let reference = isVoltage ? 1 + 0.02 * (rand() - 0.5) : 0.02 * (rand() - 0.5);
    let xi = 0.5 * (rand() - 0.5);
    if (round > 0) {
      reference += (isVoltage ? 0.002 : 0.02 * Math.abs(reference) + 2e-4) * (drift() - 0.5);
      xi *= 1 + 0.04 * (drift() - 0.5);
    }
    q[j] = xi - rho * reference;
  }
  return q;
}
