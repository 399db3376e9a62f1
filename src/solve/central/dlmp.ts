/**
 * Distribution locational marginal prices from the central OPF's duals and their split into
 * energy, loss and voltage-congestion parts (derivation: docs/dlmp.md). With the balance rows
 * written as (outflow − variable injection = fixed injection), the row dual y is ∂cost/∂load.
 * Stationarity in P_i gives λ_i = λ_π(i) + 2 r_i β_i + 2 σP_i (docs/dlmp.md eq. D3), and in v
 * gives β_i as a subtree sum of voltage-limit duals and cone duals (eq. D4), hence the parts.
 */
import { networkTags } from '../../model/network/branchFlowRows.js';
import { blockRows, type RowBlock } from '../../model/program/programBuilder.js';
import type { CentralOpf } from './buildCentralOpf.js';

/** Price parts, bus × period, in currency per MWh (active) or per Mvarh (reactive). */
export interface PriceParts {
  total: number[][];
  energy: number[][];
  loss: number[][];
  voltage: number[][];
}

export interface DlmpDecomposition {
  unit: 'currency/MWh';
  active: PriceParts;
  reactive: PriceParts;
  /** Largest |total − (energy + loss + voltage)| over buses, periods, active and reactive. */
  largestMismatch: number;
}

export function computeDlmps(opf: CentralOpf, y: ArrayLike<number>): DlmpDecomposition {
  const { scenario, tree, program, convention } = opf;
  const { periods } = scenario;
  const n = scenario.buses.length;
  const scale = 1 / (scenario.dtHours * scenario.baseMva);
  const grid = () => Array.from({ length: n }, () => new Array<number>(periods).fill(0));
  const active: PriceParts = { total: grid(), energy: grid(), loss: grid(), voltage: grid() };
  const reactive: PriceParts = { total: grid(), energy: grid(), loss: grid(), voltage: grid() };
  const limitDual = new Float64Array(n);
  const coneDiff = new Float64Array(n);
  const voltageSum = new Float64Array(n);
  const coneSum = new Float64Array(n);
  let largestMismatch = 0;
  // Row numbers per bus, looked up by block name once (row t of each block is period t).
  const balanceP = Array.from({ length: n }, (_, i) => blockRows(program, networkTags.balanceP(i), periods));
  const balanceQ = Array.from({ length: n }, (_, i) => blockRows(program, networkTags.balanceQ(i), periods));
  const flowCone = Array.from({ length: n }, (_, i) => (i === 0 ? null : blockRows(program, networkTags.flowCone(i), periods)));
  const voltageMin = Array.from({ length: n }, (_, i) => program.rows.block(`${networkTags.voltage(i)}.min`));
  const voltageMax = Array.from({ length: n }, (_, i) => program.rows.block(`${networkTags.voltage(i)}.max`));
  // The dual of a voltage-limit row, 0 where the limit has no row (fixed or infinite).
  const dualOr0 = (block: RowBlock | undefined, t: number): number => {
    const row = block ? block.row(t) : -1;
    return row >= 0 ? y[row]! : 0;
  };

  for (let t = 0; t < periods; t++) {
    for (let i = 0; i < n; i++) {
      limitDual[i] = dualOr0(voltageMin[i], t) - dualOr0(voltageMax[i], t);
      if (i > 0) {
        const cone = flowCone[i]![t]!;
        coneDiff[i] = y[cone]! - y[cone + 1]!;
      }
    }
    // Subtree sums in reverse index order (children have larger indices), eq. D4.
    for (let i = n - 1; i >= 1; i--) {
      voltageSum[i] = limitDual[i]!;
      coneSum[i] = convention === 'sendingEnd' ? coneDiff[i]! : 0;
      for (const k of tree.children[i]!) {
        voltageSum[i]! += voltageSum[k]!;
        coneSum[i]! += coneSum[k]! + (convention === 'receivingEnd' ? coneDiff[k]! : 0);
      }
    }
    for (let i = 0; i < n; i++) {
      const lambda = y[balanceP[i]![t]!]! * scale;
      const mu = y[balanceQ[i]![t]!]! * scale;
      active.total[i]![t] = lambda;
      reactive.total[i]![t] = mu;
      if (i === 0) {
        active.energy[0]![t] = lambda;
        reactive.energy[0]![t] = mu;
        continue;
      }
      const parent = tree.parent[i]!;
      const bus = scenario.buses[i]!;
      const cone = flowCone[i]![t]!;
      for (const [parts, z, coneFlow] of [[active, bus.r, y[cone + 2]!], [reactive, bus.x, y[cone + 3]!]] as const) {
        parts.energy[i]![t] = parts.energy[0]![t]!;
        parts.voltage[i]![t] = parts.voltage[parent]![t]! + 2 * z * voltageSum[i]! * scale;
        parts.loss[i]![t] = parts.loss[parent]![t]! + (2 * z * coneSum[i]! + 2 * coneFlow) * scale;
        const mismatch = Math.abs(parts.total[i]![t]! - parts.energy[i]![t]! - parts.voltage[i]![t]! - parts.loss[i]![t]!);
        if (mismatch > largestMismatch) largestMismatch = mismatch;
      }
    }
  }
  return { unit: 'currency/MWh', active, reactive, largestMismatch };
}
