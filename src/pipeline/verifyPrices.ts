/**
 * The committed DLMPs against the consensus duals (no I/O; docs/verify.md §Prices). The parent π
 * of line k holds a copy u of P_k that appears in one row of its problem only: its real-power
 * balance (docs/model.md eq. 1a). Its last x-update (iteration K−1, the step that converged) is
 * therefore stationary in u:
 *
 *   y_π(t) = σ_e·(ξ_c + o_c) + f·ρ·σ_e·(x_c − z_g)
 *
 * with ξ, z, ρ the state it solved at and x its submitted copy (all transport units, on chain),
 * σ_e the public transport factor of entry e = P_k, o_c the public dual warm start (docs/admm.md
 * §Dual warm start) and f the run's public penalty factor on a child's flow at that iteration
 * (§Local settings; 1 once the fade-out is over). y is the balance dual per p.u. per period, so the
 * bus's DLMP is y/dt per p.u.·h: the price its slice must carry. A leaf has no child line, and its
 * own price involves its private cone and voltage duals: it is not re-derived.
 */
import type { CouplingLayout } from '../model/coupling/couplingLayout.js';
import type { NetworkDiscrepancy } from './verifyScheduleAgainstNetwork.js';

export interface LastSolveInputs {
  /** z^{K−1} (global order) and ξ^{K−1} (local order), transport units. */
  z: ArrayLike<number>;
  xi: ArrayLike<number>;
  /** x^{K−1}: each bus's submitted local vector (copy order), transport units. */
  x: readonly ArrayLike<number>[];
  rho: number;
}

export interface PriceCheckResult {
  /** Buses whose DLMP was re-derived (those with at least one child line). */
  checkedBuses: number[];
  /** |slice DLMP − re-derived price|, currency per p.u.·h; the location of the largest. */
  difference: NetworkDiscrepancy;
}

/**
 * @param entryScale σ_e per layout entry; `offsets` o per local value (null: no warm start)
 * @param childFlowFactor f of the last x-update
 * @param sliceDlmp per bus and period, currency per p.u.·h
 * @param tolerance allowed difference per bus and period given the price's size
 */
export function checkPricesAgainstDuals(
  layout: CouplingLayout, parent: readonly number[], dtHours: number, entryScale: ArrayLike<number>, offsets: ArrayLike<number> | null,
  last: LastSolveInputs, childFlowFactor: number, sliceDlmp: readonly (readonly number[])[], tolerance: (price: number) => number,
): PriceCheckResult {
  const T = layout.periods;
  const difference: NetworkDiscrepancy = { largest: 0, bus: 0, period: 0, firstViolation: null };
  const checked = new Set<number>();
  for (let b = 0; b < layout.busCount; b++) {
    const entries = layout.busCopyEntries[b]!;
    for (let j = 0; j < entries.length; j++) {
      const e = entries[j]!;
      const entry = layout.entries[e]!;
      // Only a child's real flow: the parent's copy enters nothing but the parent's balance.
      if (entry.quantity !== 'pFlow' || parent[entry.bus] !== b) continue;
      checked.add(b);
      const sigma = entryScale[e]!;
      for (let t = 0; t < T; t++) {
        const c = layout.localOffset[b]! + j * T + t;
        const dual = sigma * (last.xi[c]! + (offsets ? offsets[c]! : 0)) + childFlowFactor * last.rho * sigma * (last.x[b]![j * T + t]! - last.z[e * T + t]!);
        const price = dual / dtHours;
        const diff = sliceDlmp[b]![t]! - price;
        const a = Math.abs(diff);
        if (a > difference.largest || Number.isNaN(a)) Object.assign(difference, { largest: a, bus: b, period: t });
        const limit = tolerance(price);
        if ((a > limit || Number.isNaN(a)) && !difference.firstViolation) difference.firstViolation = { bus: b, period: t, value: diff, limit };
      }
    }
  }
  return { checkedBuses: [...checked].sort((a, b) => a - b), difference };
}
