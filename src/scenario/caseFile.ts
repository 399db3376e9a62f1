/**
 * The project's own case file (docs/case-format.md): JSON in engineering units with human
 * names. Powers in kW / kVAr, energies in kWh, times in hours from midnight, impedances in ohm
 * or per unit, voltages as magnitudes in per unit, generator costs per MW and MWh.
 * A file without `periods` is a network-only "case"; with `periods` it is a "scenario" whose
 * per-period arrays have exactly `periods` entries. `parseCaseFile` returns the file as written
 * (no defaults filled in); `toScenario` applies the defaults and converts to per unit.
 */

export const caseFileFormat = 'gridconsensus-case';
export const caseFileVersion = 1;

/** A bus name as written: JSON numbers and strings are both accepted; compared as strings. */
export type BusId = string | number;

/** A value per period, or one number for every period. */
export type PerPeriod = number | number[];

export interface CaseFile {
  format: typeof caseFileFormat;
  version: typeof caseFileVersion;
  name: string;
  /** Citation of the network data. */
  source: string;
  /** Free-text remarks kept with the file (provenance, choices). */
  notes?: string[];
  /** Things the producer could not represent (e.g. MATPOWER code lines it did not run). */
  warnings?: string[];
  baseMva: number;
  baseKv: number;
  /** Number of periods; present in "scenario" files, absent in network-only cases. */
  periods?: number;
  /** Period length in hours (default 1). */
  dtHours?: number;
  /** Seed that generated the randomized parts, if any. */
  seed?: number;
  substation: CaseSubstation;
  /** Default [min, max] voltage magnitude of every bus, p.u. */
  voltageLimitsPu: [number, number];
  buses: CaseBus[];
  lines: CaseLine[];
}

export interface CaseSubstation {
  bus: BusId;
  voltage: { mode: 'free' } | { mode: 'fixed'; magnitudePu: number };
}

export interface CaseBus {
  id: BusId;
  /** Overrides the file's voltageLimitsPu for this bus. */
  voltageLimitsPu?: [number, number];
  devices?: CaseDevice[];
}

/** A line: exactly one of rOhm / rPu and one of xOhm / xPu. Open lines are not part of the tree. */
export interface CaseLine {
  from: BusId;
  to: BusId;
  rOhm?: number;
  rPu?: number;
  xOhm?: number;
  xPu?: number;
  status?: 'closed' | 'open';
}

export type CaseDevice = CaseGenerator | CasePhotovoltaic | CaseFixedLoad | CaseBattery | CaseShapableLoad | CaseDeferrableLoad;

/** Dispatchable generator; cost per hour = a·P² + b·P + c with P in MW. */
export interface CaseGenerator {
  kind: 'generator';
  name: string;
  pMinKw: number;
  pMaxKw: number;
  qMinKvar: number;
  qMaxKvar: number;
  costQuadraticPerMw2h?: PerPeriod;
  costLinearPerMwh?: PerPeriod;
  costConstantPerHour?: PerPeriod;
}

/** PV: available power = ratedKw · profile(t); default profile is the built-in solar shape. */
export interface CasePhotovoltaic {
  kind: 'pv';
  name: string;
  ratedKw: number;
  /** Fraction of ratedKw available per period, each in [0, 1]. */
  profile?: number[];
  /** Power factor of the injection (default 1: no reactive power); q = p·tan(acos(pf)). */
  powerFactor?: number;
  curtailable?: boolean;
}

export interface CaseFixedLoad {
  kind: 'fixedLoad';
  name: string;
  pKw: PerPeriod;
  qKvar?: PerPeriod;
}

export interface CaseBattery {
  kind: 'battery';
  name: string;
  chargeMaxKw: number;
  dischargeMaxKw: number;
  energyMinKwh?: number;
  energyMaxKwh: number;
  energyInitialKwh: number;
  etaCharge?: number;
  etaDischarge?: number;
  endTolerance?: number;
  throughputCostPerMwh?: number;
}

/** Shapable load (EV): energyKwh delivered within [windowStartHour, windowEndHour). */
export interface CaseShapableLoad {
  kind: 'shapableLoad';
  name: string;
  pMinKw?: number;
  pMaxKw: number;
  windowStartHour: number;
  windowEndHour: number;
  energyKwh: number;
}

/** Deferrable load: profileKw (one entry per period once started), started between the earliest start and earliest start + maxDelayHours. */
export interface CaseDeferrableLoad {
  kind: 'deferrableLoad';
  name: string;
  profileKw: number[];
  earliestStartHour: number;
  maxDelayHours: number;
}

/** Defaults applied by toScenario (documented in docs/case-format.md). */
export const caseDefaults = {
  periods: 24,
  dtHours: 1,
  etaCharge: 0.95,
  etaDischarge: 0.95,
  endTolerance: 0,
} as const;
