/**
 * Branch-flow (DistFlow) rows of one bus, in either convention of model.md §Network:
 * the bus's real and reactive balance, its upstream line's voltage drop and SOC-relaxed flow
 * cone, and its voltage limits. Everything is addressed through column handles, so the same
 * builder serves the central OPF (global columns) and a bus's ADMM subproblem (local copies).
 */
import { GridError } from '../../core/errors.js';
import type { ProgramBuilder } from '../program/programBuilder.js';
import type { BusInjection } from './busInjection.js';
import type { BranchFlowConvention } from '../coupling/couplingLayout.js';

export type { BranchFlowConvention };

/** Column of each period's P, Q and l of one line (the line upstream of its bus). */
export interface LineColumns {
  pFlow: Int32Array;
  qFlow: Int32Array;
  currentSq: Int32Array;
}

export interface LineHandle {
  columns: LineColumns;
  /** Line impedance, p.u. */
  r: number;
  x: number;
}

export interface BusNetworkSpec {
  bus: number;
  periods: number;
  convention: BranchFlowConvention;
  /** The bus's own upstream line; null at the root. */
  line: LineHandle | null;
  /** Column of v_i(t). */
  voltageSq: Int32Array;
  /** Column of v_π(i)(t); null at the root. */
  parentVoltageSq: Int32Array | null;
  /** Lines to the bus's children, in increasing child index. */
  children: LineHandle[];
  voltageSqMin: number;
  voltageSqMax: number;
  /** Fixes v_i(t) to this value instead of the limits (the substation in `fixed` mode). */
  fixedVoltageSq?: number;
  /**
   * Cost per period of one p.u. of the own line's losses r_i·l_i (currency; already × dtHours).
   * A small positive value picks the physical (tight-cone) point when losses would otherwise be
   * free, e.g. when surplus PV makes the price zero. 0 or absent: no term.
   */
  lossCost?: number;
}

/**
 * Default price on line losses, currency per MWh: lossCost = defaultLossPrice·baseMva·dtHours
 * (see BusNetworkSpec.lossCost and docs/dlmp.md §Loss price). Central OPF and ADMM subproblems
 * should use the same value so that they solve the same problem.
 */
export const defaultLossPrice = 0.1;

/** Row tags, one place for the whole project. */
export const networkTags = {
  balanceP: (bus: number, t: number) => `balance.p[${bus}][${t}]`,
  balanceQ: (bus: number, t: number) => `balance.q[${bus}][${t}]`,
  voltageDrop: (bus: number, t: number) => `voltageDrop[${bus}][${t}]`,
  flowCone: (bus: number, t: number) => `flowCone[${bus}][${t}]`,
  /** Prefix of the voltage bound rows; the builder appends `.min`, `.max` or `.fixed`. */
  voltage: (bus: number, t: number) => `voltage[${bus}][${t}]`,
};

/** Adds bus `spec.bus`'s balance, voltage-drop, flow-cone and voltage-limit rows for every period. */
export function addBusNetworkRows(builder: ProgramBuilder, spec: BusNetworkSpec, injection: BusInjection): void {
  if (!(spec.voltageSqMin <= spec.voltageSqMax)) {
    throw new GridError(`voltageSqMin (${spec.voltageSqMin}) is above voltageSqMax (${spec.voltageSqMax})`, {
      field: `buses[${spec.bus}].voltageSqMin`,
      fix: ['make the lower voltage limit smaller than the upper one'],
    });
  }
  for (let t = 0; t < spec.periods; t++) {
    addBalanceRows(builder, spec, injection, t);
    if (spec.line && spec.parentVoltageSq) {
      addLineRows(builder, spec, t);
      if (spec.lossCost) builder.addLinearCost(spec.line.columns.currentSq[t]!, spec.lossCost * spec.line.r);
    }
    if (spec.fixedVoltageSq !== undefined) {
      builder.addBounds(networkTags.voltage(spec.bus, t), spec.voltageSq[t]!, spec.fixedVoltageSq, spec.fixedVoltageSq);
    } else {
      builder.addBounds(networkTags.voltage(spec.bus, t), spec.voltageSq[t]!, spec.voltageSqMin, spec.voltageSqMax);
    }
  }
}

/**
 * Real and reactive balance at period t, written as (network outflow − variable injections =
 * fixed injections), so that the row's dual y is +∂cost/∂load (the DLMP before unit scaling).
 * Receiving end: p_i = P_i + r_i·l_i − Σ_k P_k. Sending end: p_i = P_i − Σ_k (P_k − r_k·l_k).
 */
function addBalanceRows(builder: ProgramBuilder, spec: BusNetworkSpec, injection: BusInjection, t: number): void {
  const receiving = spec.convention === 'receivingEnd';
  for (const active of [true, false]) {
    const cols: number[] = [];
    const coefs: number[] = [];
    const flowOf = (c: LineColumns) => (active ? c.pFlow : c.qFlow);
    if (spec.line) {
      cols.push(flowOf(spec.line.columns)[t]!);
      coefs.push(1);
      if (receiving) {
        cols.push(spec.line.columns.currentSq[t]!);
        coefs.push(active ? spec.line.r : spec.line.x);
      }
    }
    for (const child of spec.children) {
      cols.push(flowOf(child.columns)[t]!);
      coefs.push(-1);
      if (!receiving) {
        cols.push(child.columns.currentSq[t]!);
        coefs.push(active ? child.r : child.x);
      }
    }
    const injCols = active ? injection.pCols[t]! : injection.qCols[t]!;
    const injCoefs = active ? injection.pCoefs[t]! : injection.qCoefs[t]!;
    for (let k = 0; k < injCols.length; k++) {
      cols.push(injCols[k]!);
      coefs.push(-injCoefs[k]!);
    }
    const rhs = active ? injection.pConstant[t]! : injection.qConstant[t]!;
    const tag = active ? networkTags.balanceP(spec.bus, t) : networkTags.balanceQ(spec.bus, t);
    builder.addEquality(tag, cols, coefs, rhs);
  }
}

/**
 * Voltage drop v_i − v_π − 2(r·P + x·Q) ∓ |z|²·l = 0 (− receiving end, + sending end) and the
 * relaxed flow cone l·v_ref ≥ P² + Q² as the 4-dim SOC (l + v_ref, l − v_ref, 2P, 2Q),
 * v_ref = v_π (receiving end) or v_i (sending end).
 */
function addLineRows(builder: ProgramBuilder, spec: BusNetworkSpec, t: number): void {
  const line = spec.line!;
  const { pFlow, qFlow, currentSq } = line.columns;
  const z2 = line.r * line.r + line.x * line.x;
  const receiving = spec.convention === 'receivingEnd';
  const v = spec.voltageSq[t]!;
  const vParent = spec.parentVoltageSq![t]!;
  builder.addEquality(
    networkTags.voltageDrop(spec.bus, t),
    [v, vParent, pFlow[t]!, qFlow[t]!, currentSq[t]!],
    [1, -1, -2 * line.r, -2 * line.x, receiving ? -z2 : z2],
    0,
  );
  const l = currentSq[t]!;
  const vRef = receiving ? vParent : v;
  builder.addSecondOrderCone(networkTags.flowCone(spec.bus, t), [
    { cols: [l, vRef], coefs: [1, 1] },
    { cols: [l, vRef], coefs: [1, -1] },
    { cols: [pFlow[t]!], coefs: [2] },
    { cols: [qFlow[t]!], coefs: [2] },
  ]);
}
