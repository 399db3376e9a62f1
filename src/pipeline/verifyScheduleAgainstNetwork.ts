/**
 * The final schedule against the public network model (no I/O): the consensus z (line flows
 * P, Q and squared voltages v per bus and period, receiving-end convention) and the signed net
 * injections of the final slices, checked with the branch-flow equations and an AC power flow of
 * docs/model.md §Network.
 */
import type { CouplingLayout, CouplingQuantity } from '../model/coupling/couplingLayout.js';
import { solveRadialPowerFlow } from '../model/network/powerFlow.js';
import type { Scenario } from '../scenario/types.js';

/** The largest discrepancy of one kind, and where it is. */
export interface NetworkDiscrepancy {
  /** Largest |difference| (p.u. for powers, p.u.² for squared voltages). */
  largest: number;
  bus: number;
  period: number;
  /** The first bus/period over tolerance (null when none is). */
  firstViolation: { bus: number; period: number; value: number; limit: number } | null;
}

export interface NetworkCheckResult {
  /** slice p_i(t) against p_i(t) = P_i + r_i·l_i − Σ_k P_k of z, l_i = (P_i² + Q_i²)/v_π(i). */
  balance: NetworkDiscrepancy;
  /** AC power flow voltages (slice p, z-derived q, z's substation voltage) against z's v. */
  voltage: NetworkDiscrepancy;
  /** The power flow's substation (slack) injection against the root's slice p_0. */
  substation: NetworkDiscrepancy;
  /** Power-flow v outside [v_min, v_max] of the case, by how much. */
  limits: NetworkDiscrepancy;
  /** Σ r·l of the power flow per period, p.u. (reported). */
  lossesPerPeriod: number[];
  minVoltageSq: number;
  maxVoltageSq: number;
}

export interface NetworkTolerances {
  /**
   * How far a local copy may be from z, per coupling entry, p.u. (the final primal residual over
   * the entry's transport scale). The balance of bus i may then be off by twice the sum over
   * the entries it reads (P_i, Q_i, v_π(i), the children's P_k, Q_k): the triangle inequality,
   * doubled for the l_i term, plus `absolute`.
   */
  entryError: ArrayLike<number>;
  absolute: number;
  /** Allowed |v_powerflow − v_z| and limit excess, p.u.². */
  voltage: number;
}

/**
 * `z` in p.u. (transport scale already removed), global order entry·T + t; `sliceP[b][t]` in p.u.
 * The caller has checked that the layout's tree is the scenario's.
 */
export function checkScheduleAgainstNetwork(
  scenario: Scenario, layout: CouplingLayout, z: ArrayLike<number>, sliceP: readonly (readonly number[])[], tol: NetworkTolerances,
): NetworkCheckResult {
  const n = scenario.buses.length;
  const T = layout.periods;
  const parent = scenario.buses.map((b) => b.parent);
  const r = scenario.buses.map((b) => b.r);
  const x = scenario.buses.map((b) => b.x);
  const children: number[][] = Array.from({ length: n }, () => []);
  for (let k = 1; k < n; k++) children[parent[k]!]!.push(k);
  const value = (bus: number, q: CouplingQuantity, t: number): number => {
    const e = q === 'pFlow' ? layout.pFlowEntry[bus]! : q === 'qFlow' ? layout.qFlowEntry[bus]! : layout.voltageSqEntry[bus]!;
    return e < 0 ? 0 : z[e * T + t]!;
  };
  const empty = (): NetworkDiscrepancy => ({ largest: 0, bus: 0, period: 0, firstViolation: null });
  const balance = empty();
  const voltage = empty();
  const substation = empty();
  const limits = empty();
  const note = (d: NetworkDiscrepancy, diff: number, limit: number, bus: number, period: number) => {
    const a = Math.abs(diff);
    if (a > d.largest || Number.isNaN(a)) { d.largest = a; d.bus = bus; d.period = period; }
    if ((a > limit || Number.isNaN(a)) && !d.firstViolation) d.firstViolation = { bus, period, value: diff, limit };
  };
  const entryError = (bus: number, q: CouplingQuantity): number => {
    const e = q === 'pFlow' ? layout.pFlowEntry[bus]! : q === 'qFlow' ? layout.qFlowEntry[bus]! : layout.voltageSqEntry[bus]!;
    return e < 0 ? 0 : tol.entryError[e]!;
  };
  const balanceTolerance = scenario.buses.map((_, i) => {
    let sum = i > 0 ? entryError(i, 'pFlow') + entryError(i, 'qFlow') + entryError(parent[i]!, 'voltageSq') : 0;
    for (const k of children[i]!) sum += entryError(k, 'pFlow') + entryError(k, 'qFlow');
    return 2 * sum + tol.absolute;
  });
  const lossesPerPeriod: number[] = [];
  let minVoltageSq = Infinity;
  let maxVoltageSq = -Infinity;
  for (let t = 0; t < T; t++) {
    const p = new Float64Array(n);
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let pz = 0;
      let qz = 0;
      if (i > 0) {
        const P = value(i, 'pFlow', t);
        const Q = value(i, 'qFlow', t);
        // l_i from the cone at equality: the exact AC relation l·v_π = P² + Q² (model.md §Network).
        const l = (P * P + Q * Q) / value(parent[i]!, 'voltageSq', t);
        pz = P + r[i]! * l;
        qz = Q + x[i]! * l;
      }
      for (const k of children[i]!) { pz -= value(k, 'pFlow', t); qz -= value(k, 'qFlow', t); }
      const ps = sliceP[i]![t]!;
      note(balance, ps - pz, balanceTolerance[i]!, i, t);
      p[i] = ps;
      q[i] = qz;
    }
    const flow = solveRadialPowerFlow({ parent, r, x, p, q, rootVoltage: Math.sqrt(value(0, 'voltageSq', t)) });
    lossesPerPeriod.push(flow.lossP);
    note(substation, flow.rootP - sliceP[0]![t]!, balanceTolerance[0]!, 0, t);
    for (let i = 0; i < n; i++) {
      const v = flow.voltageSq[i]!;
      minVoltageSq = Math.min(minVoltageSq, v);
      maxVoltageSq = Math.max(maxVoltageSq, v);
      note(voltage, v - value(i, 'voltageSq', t), tol.voltage, i, t);
      const bus = scenario.buses[i]!;
      const excess = v < bus.voltageSqMin ? v - bus.voltageSqMin : v > bus.voltageSqMax ? v - bus.voltageSqMax : 0;
      note(limits, excess, tol.voltage, i, t);
    }
  }
  return { balance, voltage, substation, limits, lossesPerPeriod, minVoltageSq, maxVoltageSq };
}
