/**
 * The centralized OPF (model.md eq. 10): every bus's devices plus the branch-flow rows of the
 * whole tree in one conic program, every row in a named row block (see networkTags and the device tags).
 */
import { GridError } from '../../core/errors.js';
import type { SolverSettings } from '../../conic/types.js';
import type { Scenario } from '../../scenario/types.js';
import type { BranchFlowConvention } from '../../model/coupling/couplingLayout.js';
import { ProgramBuilder, type BuiltProgram } from '../../model/program/programBuilder.js';
import { buildRadialTree, type RadialTree } from '../../model/network/radialTree.js';
import { addBusNetworkRows, defaultLossPrice, type LineColumns } from '../../model/network/branchFlowRows.js';

export { defaultLossPrice };
import { addBusDevices, type BusDevices } from '../../model/devices/addBusDevices.js';

export interface CentralOpfOptions {
  /** Branch-flow convention (model.md §Network). Default 'receivingEnd'. */
  convention?: BranchFlowConvention;
  /**
   * Price on line losses, currency per MWh, added to the objective as lossPrice·Σ r·l·dt (in
   * MWh). Selects the tight-cone point when losses would otherwise cost nothing (surplus PV at a
   * zero price). Default 0.1; 0 turns it off. See docs/dlmp.md §Loss price.
   */
  lossPrice?: number;
  /** Solver settings; tolerances default to 1e-8. */
  solverSettings?: Partial<SolverSettings>;
}

export interface CentralOpf {
  scenario: Scenario;
  convention: BranchFlowConvention;
  tree: RadialTree;
  program: BuiltProgram;
  /** Columns of each bus's upstream line (null at the root). */
  lines: Array<LineColumns | null>;
  /** Column of v_i(t) per bus. */
  voltageSq: Int32Array[];
  busDevices: BusDevices[];
  buildMs: number;
}

export function buildCentralOpf(scenario: Scenario, options: CentralOpfOptions = {}): CentralOpf {
  const started = performance.now();
  const convention = options.convention ?? 'receivingEnd';
  const lossPrice = options.lossPrice ?? defaultLossPrice;
  if (!(lossPrice >= 0)) throw new GridError(`lossPrice must be ≥ 0, got ${lossPrice}`, { field: 'lossPrice', fix: ['use a small positive price such as 0.1 per MWh, or 0'] });
  const { periods, dtHours } = scenario;
  checkDeviceNames(scenario);
  const tree = buildRadialTree(scenario.buses.map((b) => b.parent));
  const builder = new ProgramBuilder();
  const periodColumns = (name: string) => builder.addVariableColumns(name, periods);

  const lines: Array<LineColumns | null> = [];
  const voltageSq: Int32Array[] = [];
  scenario.buses.forEach((_, i) => {
    lines.push(i === 0 ? null : {
      pFlow: periodColumns(`line[${i}].pFlow`),
      qFlow: periodColumns(`line[${i}].qFlow`),
      currentSq: periodColumns(`line[${i}].currentSq`),
    });
    voltageSq.push(periodColumns(`bus[${i}].voltageSq`));
  });

  const busDevices: BusDevices[] = [];
  scenario.buses.forEach((bus, i) => {
    const devices = addBusDevices(builder, bus, i, { periods, dtHours });
    busDevices.push(devices);
    const sub = scenario.substationVoltage;
    addBusNetworkRows(builder, {
      bus: i,
      periods,
      convention,
      line: i === 0 ? null : { columns: lines[i]!, r: bus.r, x: bus.x },
      voltageSq: voltageSq[i]!,
      parentVoltageSq: i === 0 ? null : voltageSq[bus.parent]!,
      children: tree.children[i]!.map((k) => ({ columns: lines[k]!, r: scenario.buses[k]!.r, x: scenario.buses[k]!.x })),
      voltageSqMin: bus.voltageSqMin,
      voltageSqMax: bus.voltageSqMax,
      ...(i === 0 && sub.mode === 'fixed' ? { fixedVoltageSq: sub.voltageSq } : {}),
      lossCost: lossPrice * scenario.baseMva * dtHours,
    }, devices.injection);
  });

  const program = builder.build();
  return { scenario, convention, tree, program, lines, voltageSq, busDevices, buildMs: performance.now() - started };
}

/** Row tags carry device names, so names must be unique in the scenario. */
function checkDeviceNames(scenario: Scenario): void {
  const seen = new Map<string, string>();
  scenario.buses.forEach((bus, i) => bus.devices.forEach((d, j) => {
    const field = `buses[${i}].devices[${j}].name`;
    const key = `${d.kind}:${d.name}`;
    const other = seen.get(key);
    if (other !== undefined) {
      throw new GridError(`device name '${d.name}' is used twice (also at ${other})`, { field, fix: ['give every device of the same kind its own name'] });
    }
    seen.set(key, field);
  }));
}
