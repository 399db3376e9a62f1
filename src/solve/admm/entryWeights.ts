/**
 * Public per-entry coupling weights (docs/admm.md §Weights (protocol-neutral)). Every copy of entry e
 * travels as sqrt(w_q·w_e)·u, so all copies of an entry share one weight and the protocol is
 * unchanged; the entry's effective rho is rho·w_q·w_e. The weights come from public data only
 * (the tree and the fixed load/PV forecast that also gives z^0), so every bus computes the same.
 *
 * 'downstream': a line's flow weight is (S_head / S_k)^exponent, S_k the peak forecast fixed
 * load (plus fixed PV) of the subtree below line k, S_head the largest S_k. A subtree's response
 * to a price error grows with its size, so the dual step rho·(x − z) is kept on a price scale at
 * every depth: without it one rho is too stiff near the root or too soft at the leaves.
 */
import type { Scenario } from '../../scenario/types.js';
import type { CouplingLayout, CouplingQuantity } from '../../model/coupling/couplingLayout.js';
import type { EntryScale } from '../../model/problems/busSubproblem.js';

export type EntryWeightRule =
  | { kind: 'uniform' }
  | { kind: 'downstream'; exponent: number; voltageExponent: number; floor: number };

/** Per-entry transport factors sqrt(w_q·w_e), length layout.entries.length. */
export function admmEntryScale(
  scenario: Scenario,
  layout: CouplingLayout,
  quantityWeights: Record<CouplingQuantity, number>,
  rule: EntryWeightRule,
): EntryScale {
  const entryWeight = rule.kind === 'uniform' ? null : downstreamWeights(scenario, rule);
  return Float64Array.from(layout.entries, (entry) => {
    const w = quantityWeights[entry.quantity] * (entryWeight ? entryWeight(entry.bus, entry.quantity) : 1);
    return Math.sqrt(w);
  });
}

function downstreamWeights(scenario: Scenario, rule: Extract<EntryWeightRule, { kind: 'downstream' }>): (bus: number, quantity: CouplingQuantity) => number {
  const n = scenario.buses.length;
  const T = scenario.periods;
  // Per period load of each subtree (children have larger indices than parents).
  const subtree = Array.from({ length: n }, () => new Float64Array(T));
  for (let i = n - 1; i >= 0; i--) {
    for (const d of scenario.buses[i]!.devices) {
      if (d.kind === 'fixedLoad') for (let t = 0; t < T; t++) subtree[i]![t]! += Math.abs(d.p[t]!);
      else if (d.kind === 'pv' && !d.curtailable) for (let t = 0; t < T; t++) subtree[i]![t]! += Math.abs(d.p[t]!);
    }
    const p = scenario.buses[i]!.parent;
    if (p >= 0) for (let t = 0; t < T; t++) subtree[p]![t]! += subtree[i]![t]!;
  }
  const size = subtree.map((s) => s.reduce((m, v) => Math.max(m, v), 0));
  let head = 0;
  for (let i = 1; i < n; i++) head = Math.max(head, size[i]!);
  const relative = (i: number) => Math.max(rule.floor, size[i]! / Math.max(head, 1e-12));
  return (bus, quantity) => {
    if (quantity === 'voltageSq') return relative(bus) ** -rule.voltageExponent;
    return relative(bus) ** -rule.exponent;
  };
}
