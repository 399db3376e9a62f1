/**
 * Distribution locational marginal prices from the central OPF's duals and their split into
 * energy, loss and voltage-congestion parts (derivation: docs/dlmp.md). With the balance rows
 * written as (outflow − variable injection = fixed injection), the row dual y is ∂cost/∂load.
 * Stationarity in P_i gives λ_i = λ_π(i) + 2 r_i β_i + 2 σP_i (docs/dlmp.md eq. D3), and in v
 * gives β_i as a subtree sum of voltage-limit duals and cone duals (eq. D4), hence the parts.
 */
import { networkTags } from '../../model/network/branchFlowRows.js';
import { rowDualOr0, rowIndex } from '../../model/program/programBuilder.js';
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

  for (let t = 0; t < periods; t++) {
    for (let i = 0; i < n; i++) {
      const vTag = networkTags.voltage(i, t);
      limitDual[i] = rowDualOr0(program, y, `${vTag}.min`) - rowDualOr0(program, y, `${vTag}.max`);
      if (i > 0) {
        const cone = rowIndex(program, networkTags.flowCone(i, t));
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
      const lambda = y[rowIndex(program, networkTags.balanceP(i, t))]! * scale;
      const mu = y[rowIndex(program, networkTags.balanceQ(i, t))]! * scale;
      active.total[i]![t] = lambda;
      reactive.total[i]![t] = mu;
      if (i === 0) {
        active.energy[0]![t] = lambda;
        reactive.energy[0]![t] = mu;
        continue;
      }
      const parent = tree.parent[i]!;
      const bus = scenario.buses[i]!;
      const cone = rowIndex(program, networkTags.flowCone(i, t));
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
