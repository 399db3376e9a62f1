/**
 * The public forecast start of consensus ADMM (docs/admm.md §Forecast start): the central OPF of
 * the scenario's public part, read back as a consensus state.
 *
 * Public part: the network (tree, impedances, voltage limits, substation voltage), the generators
 * and every fixed injection, i.e. fixed loads and non-curtailable PV (the same data the λ0 price
 * forecast and the LinDistFlow z^0 already use). Private, left out: batteries, shapable and
 * deferrable loads, curtailable PV (its owner decides how much it curtails). On a feeder without
 * private devices the forecast is the day's optimum itself, so a start from it is the fixed point.
 *
 * The start is (z_f, o):
 * - z_f: the forecast optimum's value of every coupling entry, in transport scale (entry scale × value);
 * - o: one zero-sum dual offset per local copy (bus order, copy order), the consensus dual of that
 *   copy at the forecast optimum. Bus b's subproblem at x = z (model.md eq. 15) is stationary when
 *   q_b + A_b'y_b + σ_e·o_c = 0 on copy c of entry e (conic KKT Px + q + A'y = 0; the penalty's
 *   gradient is 0 at x = z), with y_b the duals of the rows bus b owns. Those rows are the same
 *   rows in the central program (both are built by addBusNetworkRows), so
 *   o_c = −(q_own + Σ_{r owned by b} A[r, col_e]·y_r)/σ_e from the central solution. Central
 *   stationarity of col_e makes the copies of an entry sum to 0 up to the solver's accuracy; the
 *   mean is then removed so that they sum to exactly 0 (the offsets leave the optimum unchanged,
 *   §Dual warm start).
 */
import type { Device, Scenario } from '../../scenario/types.js';
import type { BranchFlowConvention, CouplingLayout } from '../../model/coupling/couplingLayout.js';
import { networkTags } from '../../model/network/branchFlowRows.js';
import { entryScaleOf, type CouplingScale, type EntryScale } from '../../model/problems/busSubproblem.js';
import { GridError, InternalError } from '../../core/errors.js';
import { solveCentralOpf } from '../central/solveCentralOpf.js';
import type { CentralOpfResult } from '../central/runCentralOpf.js';

/** Initial z: flat, LinDistFlow of the fixed injections, the forecast OPF, or 'auto' (resolveInitialPoint). */
export type InitialPointKind = 'flat' | 'powerFlow' | 'forecastOpf' | 'auto';

/**
 * Public devices: generators, fixed loads, non-curtailable PV. Curtailable PV stays private, as in
 * the λ0 forecast and the LinDistFlow z^0: how much it curtails is its owner's decision (docs/admm.md §Forecast start).
 */
export function isPublicDevice(device: Device): boolean {
  return device.kind === 'generator' || device.kind === 'fixedLoad' || (device.kind === 'pv' && !device.curtailable);
}

/** True when every device is public: the forecast OPF is then the day's own optimum. */
export function forecastIsExact(scenario: Scenario): boolean {
  return scenario.buses.every((bus) => bus.devices.every(isPublicDevice));
}

/**
 * The start a kind names: 'auto' is the forecast OPF where it is exact (forecastIsExact) and the
 * LinDistFlow point elsewhere (on SCE-56 with its private devices the forecast start stopped worse, docs/admm.md).
 */
export function resolveInitialPoint(scenario: Scenario, kind: InitialPointKind): Exclude<InitialPointKind, 'auto'> {
  if (kind !== 'auto') return kind;
  return forecastIsExact(scenario) ? 'forecastOpf' : 'powerFlow';
}

/** The scenario with only its public devices (the scenario itself when all are public, so errors name it as given). */
export function publicForecastScenario(scenario: Scenario): Scenario {
  if (forecastIsExact(scenario)) return scenario;
  return {
    ...scenario,
    name: `${scenario.name} (public forecast)`,
    buses: scenario.buses.map((bus) => ({
      ...bus,
      devices: bus.devices.filter(isPublicDevice),
    })),
  };
}

// One forecast OPF per scenario object and convention in a thread: z^0 and the offsets are asked for separately by runAdmm, runAdmmParallel, admmSetup and verify.
const forecastMemo = new WeakMap<Scenario, Map<BranchFlowConvention, CentralOpfResult | null>>();

/**
 * The central OPF of the public part (memoized per scenario object and convention), or null when it
 * has no solution (e.g. voltages that only the private devices can hold): the caller then falls
 * back to the LinDistFlow z^0 and the λ0 offsets.
 * @throws GridError (the central OPF's, naming the infeasibility) when every device is public and it has no solution.
 */
export function forecastOptimum(scenario: Scenario, convention: BranchFlowConvention): CentralOpfResult | null {
  let byConvention = forecastMemo.get(scenario);
  if (!byConvention) forecastMemo.set(scenario, (byConvention = new Map()));
  if (byConvention.has(convention)) return byConvention.get(convention)!;
  let result: CentralOpfResult | null;
  try {
    result = solveCentralOpf(publicForecastScenario(scenario), { convention });
  } catch (error) {
    // No solution of the public part is not an error of the run (the older public start still exists),
    // unless every device is public: then it is the day's own OPF, and ADMM could only run to its cap.
    if (!(error instanceof GridError) || forecastIsExact(scenario)) throw error;
    result = null;
  }
  byConvention.set(convention, result);
  return result;
}

/** Column of coupling entry `e` at period t in the central program. */
function centralColumn(opf: CentralOpfResult['opf'], layout: CouplingLayout, e: number, t: number): number {
  const entry = layout.entries[e]!;
  if (entry.quantity === 'voltageSq') return opf.voltageSq[entry.bus]![t]!;
  const line = opf.lines[entry.bus];
  if (!line) throw new InternalError(`coupling entry ${e} is a flow of the root bus`);
  return line[entry.quantity][t]!;
}

/** z_f: the forecast optimum's coupled values in transport scale, or null when the forecast has no solution. */
export function forecastInitialPoint(scenario: Scenario, layout: CouplingLayout, scale: CouplingScale | EntryScale): Float64Array | null {
  const forecast = forecastOptimum(scenario, layout.convention);
  if (!forecast) return null;
  const entryScale = entryScaleOf(layout, scale);
  const x = forecast.solution.x;
  const z = new Float64Array(layout.globalSize);
  for (let e = 0; e < layout.entries.length; e++) {
    for (let t = 0; t < layout.periods; t++) z[e * layout.periods + t] = entryScale[e]! * x[centralColumn(forecast.opf, layout, e, t)]!;
  }
  return z;
}

/** Bus owning each row of the central program (−1: a device row, which touches no coupled column). */
function rowOwners(forecast: CentralOpfResult, busCount: number, periods: number): Int32Array {
  const { rows } = forecast.opf.program;
  const owner = new Int32Array(forecast.opf.program.problem.A.nrows).fill(-1);
  for (let b = 0; b < busCount; b++) {
    const voltage = networkTags.voltage(b);
    const names = [networkTags.balanceP(b), networkTags.balanceQ(b), networkTags.voltageDrop(b), networkTags.flowCone(b), `${voltage}.min`, `${voltage}.max`, `${voltage}.fixed`];
    for (const name of names) {
      const block = rows.block(name);
      if (!block) continue;
      for (let t = 0; t < periods; t++) {
        const row = block.row(t);
        for (let k = 0; row >= 0 && k < block.dim; k++) owner[row + k] = b;
      }
    }
  }
  return owner;
}

/**
 * o: the forecast optimum's consensus dual of every local copy (bus order, copy order, length
 * layout.totalCopies), summing to exactly 0 over the copies of each entry; null when the forecast
 * has no solution.
 */
export function forecastDualOffsets(scenario: Scenario, layout: CouplingLayout, scale: CouplingScale | EntryScale): Float64Array | null {
  const forecast = forecastOptimum(scenario, layout.convention);
  if (!forecast) return null;
  const T = layout.periods;
  const entryScale = entryScaleOf(layout, scale);
  const { A, q } = forecast.opf.program.problem;
  const y = forecast.solution.y;
  const owner = rowOwners(forecast, layout.busCount, T);
  const offsets = new Float64Array(layout.totalCopies);
  const sum = new Float64Array(layout.globalSize);
  const count = new Int32Array(layout.globalSize);
  for (let b = 0; b < layout.busCount; b++) {
    const entries = layout.busCopyEntries[b]!;
    const base = layout.localOffset[b]!;
    for (let j = 0; j < entries.length; j++) {
      const e = entries[j]!;
      // The loss price on a copied current is the line owner's own cost (addBusNetworkRows of that bus).
      const ownCostOwner = layout.entries[e]!.bus;
      for (let t = 0; t < T; t++) {
        const col = centralColumn(forecast.opf, layout, e, t);
        let gradient = b === ownCostOwner ? q[col]! : 0;
        for (let k = A.colptr[col]!; k < A.colptr[col + 1]!; k++) {
          const row = A.rowval[k]!;
          if (owner[row] === -1) throw new InternalError(`coupled column ${col} has a coefficient in row ${row}, which no bus's network rows own`);
          if (owner[row] === b) gradient += A.nzval[k]! * y[row]!;
        }
        const c = base + j * T + t;
        offsets[c] = -gradient / entryScale[e]!;
        sum[e * T + t]! += offsets[c]!;
        count[e * T + t]!++;
      }
    }
  }
  // Central stationarity makes each sum ≈ 0 already; the mean is removed, and the entry's last copy
  // takes minus the others' sum, so that the sum in copy order is exactly 0 and the optimum is unchanged.
  const othersSum = new Float64Array(layout.globalSize);
  const seen = new Int32Array(layout.globalSize);
  for (let b = 0, c = 0; b < layout.busCount; b++) {
    const map = layout.copyMap[b]!;
    for (let j = 0; j < map.length; j++, c++) {
      const g = map[j]!;
      if (++seen[g]! < count[g]!) {
        offsets[c]! -= sum[g]! / count[g]!;
        othersSum[g]! += offsets[c]!;
      } else {
        offsets[c] = -othersSum[g]!;
      }
    }
  }
  return offsets;
}
