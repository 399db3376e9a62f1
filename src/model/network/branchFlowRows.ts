/**
 * Branch-flow (DistFlow) rows of one bus, in either convention of model.md §Network:
 * the bus's real and reactive balance, its upstream line's voltage drop and SOC-relaxed flow
 * cone, and its voltage limits. Everything is addressed through column handles, so the same
 * builder serves the central OPF (global columns) and a bus's ADMM subproblem (local copies).
 */
import { GridError } from '../../core/errors.js';
import type { BlockTerm, ProgramBuilder } from '../program/programBuilder.js';
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

/**
 * Row block names, one place for the whole project. Each block is indexed by period t, so row
 * `balance.p[i][t]` is index t of block `balance.p[i]` (e.g. rowIndex(program, networkTags.balanceP(i), t)).
 */
export const networkTags = {
  balanceP: (bus: number) => `balance.p[${bus}]`,
  balanceQ: (bus: number) => `balance.q[${bus}]`,
  voltageDrop: (bus: number) => `voltageDrop[${bus}]`,
  flowCone: (bus: number) => `flowCone[${bus}]`,
  /** Prefix of the voltage bound blocks; the builder appends `.min`, `.max` or `.fixed`. */
  voltage: (bus: number) => `voltage[${bus}]`,
};

/**
 * Adds bus `spec.bus`'s balance, voltage-drop, flow-cone and voltage-limit rows for every period,
 * one row block each. The real and reactive balances are written as (network outflow − variable
 * injections = fixed injections), so that a row's dual y is +∂cost/∂load (the DLMP before unit
 * scaling). Receiving end: p_i = P_i + r_i·l_i − Σ_k P_k. Sending end: p_i = P_i − Σ_k (P_k − r_k·l_k).
 */
export function addBusNetworkRows(builder: ProgramBuilder, spec: BusNetworkSpec, injection: BusInjection): void {
  if (!(spec.voltageSqMin <= spec.voltageSqMax)) {
    throw new GridError(`voltageSqMin (${spec.voltageSqMin}) is above voltageSqMax (${spec.voltageSqMax})`, {
      field: `buses[${spec.bus}].voltageSqMin`,
      fix: ['make the lower voltage limit smaller than the upper one'],
    });
  }
  const { bus, periods } = spec;
  const receiving = spec.convention === 'receivingEnd';
  for (const active of [true, false]) {
    // Network outflow: own line (+ its loss at the receiving end) minus the children's lines (+ their losses at the sending end).
    const terms: BlockTerm[] = [];
    if (spec.line) {
      const own = spec.line.columns;
      terms.push({ cols: active ? own.pFlow : own.qFlow, coef: 1 });
      if (receiving) terms.push({ cols: own.currentSq, coef: active ? spec.line.r : spec.line.x });
    }
    for (const child of spec.children) {
      terms.push({ cols: active ? child.columns.pFlow : child.columns.qFlow, coef: -1 });
      if (!receiving) terms.push({ cols: child.columns.currentSq, coef: active ? child.r : child.x });
    }
    // Minus the variable injections.
    for (const { cols, coef } of active ? injection.active : injection.reactive) terms.push({ cols, coef: -coef });
    builder.addEqualityBlock(active ? networkTags.balanceP(bus) : networkTags.balanceQ(bus), periods, terms, active ? injection.pConstant : injection.qConstant);
  }
  if (spec.line && spec.parentVoltageSq) {
    addLineRows(builder, spec);
    if (spec.lossCost) for (let t = 0; t < periods; t++) builder.addLinearCost(spec.line.columns.currentSq[t]!, spec.lossCost * spec.line.r);
  }
  if (spec.fixedVoltageSq !== undefined) {
    builder.addBoundsBlock(networkTags.voltage(bus), spec.voltageSq, spec.fixedVoltageSq, spec.fixedVoltageSq);
  } else {
    builder.addBoundsBlock(networkTags.voltage(bus), spec.voltageSq, spec.voltageSqMin, spec.voltageSqMax);
  }
}

/**
 * Voltage drop v_i − v_π − 2(r·P + x·Q) ∓ |z|²·l = 0 (− receiving end, + sending end) and the
 * relaxed flow cone l·v_ref ≥ P² + Q² as the 4-dim SOC (l + v_ref, l − v_ref, 2P, 2Q),
 * v_ref = v_π (receiving end) or v_i (sending end), every period.
 */
function addLineRows(builder: ProgramBuilder, spec: BusNetworkSpec): void {
  const line = spec.line!;
  const { pFlow, qFlow, currentSq } = line.columns;
  const z2 = line.r * line.r + line.x * line.x;
  const receiving = spec.convention === 'receivingEnd';
  const v = spec.voltageSq;
  const vParent = spec.parentVoltageSq!;
  builder.addEqualityBlock(networkTags.voltageDrop(spec.bus), spec.periods, [
    { cols: v, coef: 1 },
    { cols: vParent, coef: -1 },
    { cols: pFlow, coef: -2 * line.r },
    { cols: qFlow, coef: -2 * line.x },
    { cols: currentSq, coef: receiving ? -z2 : z2 },
  ], 0);
  const vRef = receiving ? vParent : v;
  builder.addSecondOrderConeBlock(networkTags.flowCone(spec.bus), spec.periods, [
    [{ cols: currentSq, coef: 1 }, { cols: vRef, coef: 1 }],
    [{ cols: currentSq, coef: 1 }, { cols: vRef, coef: -1 }],
    [{ cols: pFlow, coef: 2 }],
    [{ cols: qFlow, coef: 2 }],
  ]);
}
