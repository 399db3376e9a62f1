/**
 * A public price forecast used to warm-start the consensus duals without touching the protocol.
 *
 * At the optimum the consensus dual of a line flow equals the parent's real-power price:
 * xi(parent's copy of P_k) = +y_π, xi(k's own copy) = −y_π, with y the balance-row dual
 * (docs/admm.md §Dual warm start). Adding a fixed linear term o_c·x_c to each bus's objective
 * with Σ_{c∈g} o_c = 0 leaves the consensus problem unchanged (at consensus the terms cancel),
 * and is the same as starting the protocol's xi at o. The forecast is the substation economic
 * dispatch of the fixed net load (fixed loads − fixed PV, network ignored): λ0(t) solves
 * Σ_g clamp((λ − b_g)/(2a_g), pMin, pMax) = load(t), by bisection.
 */
import type { Scenario } from '../../scenario/types.js';
import type { CouplingLayout } from '../../model/coupling/couplingLayout.js';
import { entryScaleOf, type CouplingScale, type EntryScale } from '../../model/problems/busSubproblem.js';

/** λ0(t), currency per p.u. per period (the unit of a balance-row dual, before priceScale). */
export function forecastSubstationPrice(scenario: Scenario): Float64Array {
  const { periods, dtHours } = scenario;
  const generators = scenario.buses.flatMap((b) => b.devices.filter((d) => d.kind === 'generator'));
  const price = new Float64Array(periods);
  if (generators.length === 0) return price;
  for (let t = 0; t < periods; t++) {
    let load = 0;
    for (const bus of scenario.buses) {
      for (const d of bus.devices) {
        if (d.kind === 'fixedLoad') load += d.p[t]!;
        else if (d.kind === 'pv' && !d.curtailable) load -= d.p[t]!;
      }
    }
    const output = (lambda: number) => generators.reduce((sum, g) => {
      const a = g.costQuadratic[t]!;
      const b = g.costLinear[t]!;
      const p = a > 0 ? (lambda - b) / (2 * a) : lambda >= b ? g.pMax : g.pMin;
      return sum + Math.min(g.pMax, Math.max(g.pMin, p));
    }, 0);
    let lo = Math.min(...generators.map((g) => g.costLinear[t]! + 2 * g.costQuadratic[t]! * g.pMin));
    let hi = Math.max(...generators.map((g) => g.costLinear[t]! + 2 * g.costQuadratic[t]! * g.pMax));
    if (output(lo) >= load) hi = lo;
    for (let k = 0; k < 60 && hi - lo > 1e-9 * (1 + Math.abs(hi)); k++) {
      const mid = 0.5 * (lo + hi);
      if (output(mid) < load) lo = mid;
      else hi = mid;
    }
    // Balance duals are per p.u. per period: the marginal cost per p.u.·h times dt.
    price[t] = hi * dtHours;
  }
  return price;
}

/**
 * Zero-sum dual offsets per local value (bus order, copy order; length C): ∓λ0/scale on the
 * two copies of each real flow, ±r_k·λ0/scale on the copies of a squared current (sending end),
 * 0 on reactive flows and voltages.
 */
export function dualOffsets(layout: CouplingLayout, parent: readonly number[], r: readonly number[], price: Float64Array, scale: CouplingScale | EntryScale): Float64Array {
  const entryScale = entryScaleOf(layout, scale);
  const T = layout.periods;
  const offsets = new Float64Array(layout.totalCopies);
  for (let b = 0; b < layout.busCount; b++) {
    const entries = layout.busCopyEntries[b]!;
    const base = layout.localOffset[b]!;
    for (let j = 0; j < entries.length; j++) {
      const entry = layout.entries[entries[j]!]!;
      if (entry.quantity !== 'pFlow' && entry.quantity !== 'currentSq') continue;
      const k = entry.bus;
      const atParent = parent[k] === b;
      // Parent's copy of P_k: +λ; owner's: −λ. The parent's l_k copy enters its balance with +r_k, so signs flip and scale by r_k.
      const sign = entry.quantity === 'pFlow' ? (atParent ? 1 : -1) : (atParent ? -r[k]! : r[k]!);
      const s = entryScale[entries[j]!]!;
      for (let t = 0; t < T; t++) offsets[base + j * T + t] = (sign * price[t]!) / s;
    }
  }
  return offsets;
}
