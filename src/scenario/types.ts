/**
 * The mathematical scenario: what every later stage consumes. Per unit on the feeder base,
 * indexed, tree-ordered (docs/model.md §Units and data). Case files (engineering units, human
 * names) are converted into this shape by the scenario stage; nothing downstream reads files.
 *
 * Conventions:
 * - `buses[0]` is the substation (root); every other bus k has `parent < k` (topological order).
 * - Powers in p.u. (1 p.u. = baseMva MW), energies in p.u.·h, voltages squared (`voltageSq`).
 * - Arrays named per period have length `periods`.
 * - Generator cost per period t: dtHours · (a_t·p² + b_t·p + c_t), a in currency/(p.u.²·h),
 *   b in currency/(p.u.·h), c in currency/h. So marginal costs and DLMPs are currency per p.u.·h
 *   (= per MWh when baseMva = 1).
 */

export interface Scenario {
  name: string;
  /** Where the network data came from (citation). */
  source: string;
  baseMva: number;
  baseKv: number;
  periods: number;
  dtHours: number;
  /** Seed that produced the randomized parts, when there are any. */
  seed?: number;
  /** Substation voltage: fixed squared magnitude, or free within the root bus's limits. */
  substationVoltage: { mode: 'fixed'; voltageSq: number } | { mode: 'free' };
  buses: ScenarioBus[];
}

export interface ScenarioBus {
  /** Human name (the case file's bus id as a string). */
  id: string;
  /** Index of the upstream bus; −1 for the root. */
  parent: number;
  /** Upstream line impedance in p.u. (0 for the root). */
  r: number;
  x: number;
  voltageSqMin: number;
  voltageSqMax: number;
  devices: Device[];
}

export type Device = Generator | Photovoltaic | FixedLoad | Battery | ShapableLoad | DeferrableLoad;

/** Dispatchable generator (model.md §Devices). Cost arrays are per period. */
export interface Generator {
  kind: 'generator';
  name: string;
  pMin: number;
  pMax: number;
  qMin: number;
  qMax: number;
  costQuadratic: number[];
  costLinear: number[];
  costConstant: number[];
}

/** Renewable injection profile, zero cost. Curtailable only if `curtailable` is true. */
export interface Photovoltaic {
  kind: 'pv';
  name: string;
  /** Available active power per period (p.u., ≥ 0). */
  p: number[];
  /** Reactive power per period (p.u.); zeros unless a power factor was given. */
  q: number[];
  curtailable: boolean;
}

/** Uncontrollable load: fixed withdrawal profiles. */
export interface FixedLoad {
  kind: 'fixedLoad';
  name: string;
  p: number[];
  q: number[];
}

/** Battery (model.md eq. 7 with the corrected end-of-day constraint). */
export interface Battery {
  kind: 'battery';
  name: string;
  chargeMax: number;
  dischargeMax: number;
  energyMin: number;
  energyMax: number;
  energyInitial: number;
  etaCharge: number;
  etaDischarge: number;
  /** ε of (1 − ε)·E_0 ≤ E(T) ≤ (1 + ε)·E_0. */
  endTolerance: number;
  /** Optional throughput cost per p.u.·h charged or discharged (0 by default). */
  throughputCost: number;
}

/** Shapable load (EV, eq. 8): consumes `energy` inside [windowStart, windowEnd). */
export interface ShapableLoad {
  kind: 'shapableLoad';
  name: string;
  pMin: number;
  pMax: number;
  /** First period of the window (inclusive). */
  windowStart: number;
  /** Period after the window (exclusive). */
  windowEnd: number;
  /** Energy to deliver in the window, p.u.·h. */
  energy: number;
}

/** Deferrable load (appliance, eq. 9): a fixed profile started once, between arrival and arrival + maxDelay. */
export interface DeferrableLoad {
  kind: 'deferrableLoad';
  name: string;
  /** Consumption profile l(τ), τ = 0..L−1 periods after the start (p.u.). */
  profile: number[];
  /** Earliest start period. */
  arrival: number;
  /** ζ: latest start is arrival + maxDelay. */
  maxDelay: number;
}
