/**
 * One bus's consensus-ADMM subproblem (model.md §Consensus ADMM step 1, eq. 15): the bus's own
 * devices and network rows (balance, own line's voltage drop and flow cone, voltage limits) over
 * its private variables and its local copies of the coupling values (docs/admm-protocol.md
 * §Copies), plus Σ_c xi_c·(x_c − z_c) + rho/2·(x_c − z_c)² on the copies.
 *
 * The program is built once; each ADMM iteration only rewrites the linear cost (and the copies'
 * diagonal of P when rho changes). Copies are transported scaled: the coordinator sees
 * x_c = scale_q·(copy variable), scale_q = sqrt(w_q) for quantity q (1 by default), so the
 * penalty on the copy variable u is rho·scale²/2·u² + scale·(xi − rho·z)·u.
 */
import type { Scenario } from '../../scenario/types.js';
import type { CouplingLayout, CouplingQuantity } from '../coupling/couplingLayout.js';
import { ProgramBuilder, blockRows, type BuiltProgram } from '../program/programBuilder.js';
import { addBusNetworkRows, defaultLossPrice, networkTags, type LineColumns, type LineHandle } from '../network/branchFlowRows.js';
import { addBusDevices, type BusDevices } from '../devices/addBusDevices.js';
import { InternalError } from '../../core/errors.js';

/** sqrt(w_q): the factor a copy of quantity q is multiplied by before it leaves the bus. */
export type CouplingScale = Record<CouplingQuantity, number>;

/** Index = BusSubproblem.copyRole value. */
export const copyRoles = ['ownFlow', 'ownVoltage', 'parentVoltage', 'childFlow'] as const;
export type CopyRole = (typeof copyRoles)[number];

export const unitCouplingScale: CouplingScale = { pFlow: 1, qFlow: 1, currentSq: 1, voltageSq: 1 };

/**
 * Transport factor of every coupling entry (length layout.entries.length): every copy of entry e
 * travels as entryScale[e]·u, so the entry's effective rho is rho·entryScale[e]² (a public weight
 * per entry, docs/admm.md §Weights (protocol-neutral)). A CouplingScale is the per-quantity special case.
 */
export type EntryScale = Float64Array;

/** Per-entry transport factors from a per-quantity scale or an explicit per-entry array. */
export function entryScaleOf(layout: CouplingLayout, scale: CouplingScale | EntryScale): EntryScale {
  if (scale instanceof Float64Array) {
    if (scale.length !== layout.entries.length) throw new InternalError(`entry scale has ${scale.length} values, the layout ${layout.entries.length} entries`);
    return scale;
  }
  return Float64Array.from(layout.entries, (entry) => scale[entry.quantity]);
}

export interface BusSubproblem {
  bus: number;
  periods: number;
  program: BuiltProgram;
  devices: BusDevices;
  /** Column of each local value in protocol order (layout.copyMap[bus] order). */
  copyColumns: Int32Array;
  /** Transport factor of each local value (sqrt of its quantity's weight). */
  copyScale: Float64Array;
  /** What each local value is to this bus (copyRoles indices): own line flow, own voltage, parent's voltage, a child's line flow. */
  copyRole: Uint8Array;
  /** Index into P.nzval of each local value's diagonal entry (rho·scale²). */
  copyDiagonal: Int32Array;
  /** Every column that is not a copy (devices, own current, …) and its diagonal in P.nzval (proximal term). */
  privateColumns: Int32Array;
  privateDiagonal: Int32Array;
  /** q and P.nzval without the ADMM terms (the bus's own cost). */
  baseLinearCost: Float64Array;
  baseQuadraticValues: Float64Array;
  /** Row of the real and reactive balance of each period. */
  balancePRows: Int32Array;
  balanceQRows: Int32Array;
  /** Own line's columns (null at the root) and own squared voltage. */
  line: LineColumns | null;
  voltageSq: Int32Array;
  /** Converts a balance dual to currency per MWh (1 / (dtHours·baseMva)). */
  priceScale: number;
}

/**
 * Builds bus `bus`'s subproblem with the penalty at `rho` and zero linear ADMM terms.
 * @param scale transport factor per quantity or per entry (default 1).
 * @param lossPrice price on the own line's losses, currency per MWh; must equal the central OPF's.
 * @throws GridError from the device builders on bad device data; InternalError on layout mismatch.
 */
export function buildBusSubproblem(
  scenario: Scenario,
  layout: CouplingLayout,
  bus: number,
  rho: number,
  scale: CouplingScale | EntryScale = unitCouplingScale,
  lossPrice: number = defaultLossPrice,
): BusSubproblem {
  const { periods, dtHours } = scenario;
  const data = scenario.buses[bus]!;
  const sendingEnd = layout.convention === 'sendingEnd';
  const builder = new ProgramBuilder();
  const entryScale = entryScaleOf(layout, scale);

  // Local copies, one block per copied entry, in protocol order.
  const entryColumns = new Map<number, Int32Array>();
  const copyEntries = layout.busCopyEntries[bus]!;
  const copyColumns = new Int32Array(copyEntries.length * periods);
  const copyScale = new Float64Array(copyEntries.length * periods);
  const copyRole = new Uint8Array(copyEntries.length * periods);
  copyEntries.forEach((e, j) => {
    const entry = layout.entries[e]!;
    const cols = builder.addVariableColumns(`copy.${entry.quantity}[${entry.bus}]`, periods);
    entryColumns.set(e, cols);
    for (let t = 0; t < periods; t++) {
      copyColumns[j * periods + t] = cols[t]!;
      copyScale[j * periods + t] = entryScale[e]!;
      const role: CopyRole = entry.bus === bus ? (entry.quantity === 'voltageSq' ? 'ownVoltage' : 'ownFlow') : entry.quantity === 'voltageSq' ? 'parentVoltage' : 'childFlow';
      copyRole[j * periods + t] = copyRoles.indexOf(role);
    }
  });
  const copyOf = (e: number): Int32Array => {
    const cols = entryColumns.get(e);
    if (!cols) throw new InternalError(`bus ${bus} has no copy of coupling entry ${e}`);
    return cols;
  };

  // Own line: P, Q copied; l private at the receiving end, copied at the sending end.
  let line: LineColumns | null = null;
  if (bus > 0) {
    let currentSq: Int32Array;
    if (sendingEnd) {
      currentSq = copyOf(layout.currentSqEntry[bus]!);
    } else {
      currentSq = builder.addVariableColumns(`line[${bus}].currentSq`, periods);
    }
    line = { pFlow: copyOf(layout.pFlowEntry[bus]!), qFlow: copyOf(layout.qFlowEntry[bus]!), currentSq };
  }
  const voltageSq = copyOf(layout.voltageSqEntry[bus]!);
  const children: LineHandle[] = [];
  for (let k = bus + 1; k < scenario.buses.length; k++) {
    if (scenario.buses[k]!.parent !== bus) continue;
    // At the receiving end the parent's balance never reads a child's l, so it has no column (−1).
    const currentSq = sendingEnd ? copyOf(layout.currentSqEntry[k]!) : new Int32Array(periods).fill(-1);
    children.push({
      columns: { pFlow: copyOf(layout.pFlowEntry[k]!), qFlow: copyOf(layout.qFlowEntry[k]!), currentSq },
      r: scenario.buses[k]!.r,
      x: scenario.buses[k]!.x,
    });
  }

  const devices = addBusDevices(builder, data, bus, { periods, dtHours });
  const sub = scenario.substationVoltage;
  addBusNetworkRows(builder, {
    bus,
    periods,
    convention: layout.convention,
    line: line ? { columns: line, r: data.r, x: data.x } : null,
    voltageSq,
    parentVoltageSq: bus === 0 ? null : copyOf(layout.voltageSqEntry[data.parent]!),
    children,
    voltageSqMin: data.voltageSqMin,
    voltageSqMax: data.voltageSqMax,
    ...(bus === 0 && sub.mode === 'fixed' ? { fixedVoltageSq: sub.voltageSq } : {}),
    // Same loss price as the central OPF (buildCentralOpf), so both programs share one optimum.
    lossCost: lossPrice * scenario.baseMva * dtHours,
  }, devices.injection);

  // The bus's own cost never touches a copy, so each copy's diagonal of P is the penalty alone.
  for (let c = 0; c < copyColumns.length; c++) builder.addQuadraticCost(copyColumns[c]!, copyColumns[c]!, rho * copyScale[c]! * copyScale[c]!);
  // A placeholder 1 reserves each private column's diagonal for the proximal term; removed from the base values below.
  const isCopy = new Uint8Array(builder.variableCount);
  for (const col of copyColumns) isCopy[col] = 1;
  const privateList: number[] = [];
  for (let col = 0; col < isCopy.length; col++) if (!isCopy[col]) privateList.push(col);
  for (const col of privateList) builder.addQuadraticCost(col, col, 1);
  const program = builder.build();
  const P = program.problem.P;
  const baseQuadraticValues = Float64Array.from(P.nzval);
  const diagonalOf = (col: number): number => {
    let found = -1;
    for (let k = P.colptr[col]!; k < P.colptr[col + 1]!; k++) if (P.rowval[k] === col) found = k;
    if (found < 0) throw new InternalError(`no diagonal entry for column ${col} of bus ${bus}`);
    return found;
  };
  const copyDiagonal = Int32Array.from(copyColumns, diagonalOf);
  for (const k of copyDiagonal) baseQuadraticValues[k] = 0;
  const privateColumns = Int32Array.from(privateList);
  const privateDiagonal = Int32Array.from(privateList, diagonalOf);
  for (const k of privateDiagonal) baseQuadraticValues[k]! -= 1;

  return {
    bus, periods, program, devices, copyColumns, copyScale, copyRole, copyDiagonal, privateColumns, privateDiagonal,
    // The penalty's linear part is zero at xi = z = 0, so q is the bus's own linear cost.
    baseLinearCost: Float64Array.from(program.problem.q),
    baseQuadraticValues,
    balancePRows: blockRows(program, networkTags.balanceP(bus), periods),
    balanceQRows: blockRows(program, networkTags.balanceQ(bus), periods),
    line,
    voltageSq,
    priceScale: 1 / (dtHours * scenario.baseMva),
  };
}
