/**
 * Parameters of the paper's randomized scenario (Munsing, Mather, Moura 2017 §VI; docs/model.md
 * "The paper's test scenario"; our choices in docs/scenario.md) and the "scenario file" schema
 * that overrides any of them. Power ratios are relative to the bus's peak uncontrollable load.
 */
import * as v from 'valibot';
import { maxSeed } from '../core/random.js';
import { formatPath } from './caseFileSchema.js';
import { averageLoadShape, timeOfDayCostLinear } from './dailyShapes.js';
import { CaseFileError } from './errors.js';

export interface PaperScenarioParameters {
  periods: number;
  dtHours: number;
  /** Name of the generated scenario (default: the case name + "-paper"). */
  name?: string;
  load: { shape: number[]; noise: number; powerFactor: number };
  microturbine: { pMinKw: number; pMaxKw: number; qMinKvar: number; qMaxKvar: number; costQuadraticPerMw2h: number; costLinearPerMwh: number[]; costConstantPerHour: number };
  pv: { fraction: number; ratedToPeakLoad: number };
  deferrable: { fraction: number; earliestStartHours: [number, number]; durationHours: number; powerToPeakLoad: number; maxDelayHours: number };
  shapable: { fraction: number; maxEnergyToPeakLoadHours: number; windowStartHours: [number, number]; windowEndHours: [number, number]; powerToPeakLoad: number };
  battery: { powerToPeakControllable: number; energyHours: number; initialFraction: number; etaCharge: number; etaDischarge: number; endTolerance: number };
}

/** Only the seed is required; every other parameter may be overridden, group by group. */
export type PaperScenarioOptions = { seed: number } & Partial<Pick<PaperScenarioParameters, 'periods' | 'dtHours' | 'name'>> & {
  [G in Exclude<keyof PaperScenarioParameters, 'periods' | 'dtHours' | 'name'>]?: Partial<PaperScenarioParameters[G]>;
};

export const paperScenarioDefaults: PaperScenarioParameters = {
  periods: 24,
  dtHours: 1,
  load: { shape: [...averageLoadShape], noise: 0.1, powerFactor: 0.95 },
  microturbine: { pMinKw: 0, pMaxKw: 10000, qMinKvar: -5000, qMaxKvar: 5000, costQuadraticPerMw2h: 10, costLinearPerMwh: [...timeOfDayCostLinear], costConstantPerHour: 0 },
  pv: { fraction: 0.6, ratedToPeakLoad: 0.8 },
  deferrable: { fraction: 0.7, earliestStartHours: [7, 11], durationHours: 3, powerToPeakLoad: 0.5, maxDelayHours: 6 },
  shapable: { fraction: 0.7, maxEnergyToPeakLoadHours: 10, windowStartHours: [10, 14], windowEndHours: [20, 24], powerToPeakLoad: 2 },
  battery: { powerToPeakControllable: 0.5, energyHours: 4, initialFraction: 0.5, etaCharge: 0.95, etaDischarge: 0.95, endTolerance: 0 },
};

export function resolvePaperParameters(options: PaperScenarioOptions): PaperScenarioParameters {
  const d = paperScenarioDefaults;
  return {
    periods: options.periods ?? d.periods,
    dtHours: options.dtHours ?? d.dtHours,
    ...(options.name === undefined ? {} : { name: options.name }),
    load: { ...d.load, ...options.load },
    microturbine: { ...d.microturbine, ...options.microturbine },
    pv: { ...d.pv, ...options.pv },
    deferrable: { ...d.deferrable, ...options.deferrable },
    shapable: { ...d.shapable, ...options.shapable },
    battery: { ...d.battery, ...options.battery },
  };
}

const num = (what: string, min?: number, max?: number) => {
  const m = (i: v.BaseIssue<unknown>) => `must be ${what}, got ${JSON.stringify(i.input) ?? 'nothing'}; write ${what}`;
  return v.pipe(v.number(m), v.finite(m), v.minValue(min ?? -Infinity, m), v.maxValue(max ?? Infinity, m));
};
const fraction = num('a fraction in [0, 1]', 0, 1);
const nonNeg = num('a number >= 0', 0);
const hourRange = v.strictTuple([num('an hour >= 0', 0), num('an hour >= 0', 0)], 'must be [earliest, latest] in hours; write e.g. [7, 11]');
const hourly = v.pipe(v.array(num('a number'), 'must be an array of 24 hourly numbers'), v.length(24, 'must have 24 entries (one per hour of the day); write 24 numbers'));
const group = <T extends v.ObjectEntries>(entries: T) =>
  v.optional(v.strictObject(entries, (i) => (i.input === undefined ? 'is required' : `unknown field '${String(i.path?.at(-1)?.key)}'; allowed: ${Object.keys(entries).join(', ')}`)));
const optionalAll = <T extends v.ObjectEntries>(entries: T) => Object.fromEntries(Object.entries(entries).map(([k, s]) => [k, v.optional(s)])) as T;

const overridesSchema = v.strictObject(
  {
    seed: v.optional(v.pipe(num(`an integer seed in [0, ${maxSeed}]`, 0, maxSeed), v.integer('must be an integer; write e.g. 7'))),
    periods: v.optional(v.pipe(num('an integer >= 1', 1), v.integer('must be an integer; write e.g. 24'))),
    dtHours: v.optional(num('hours > 0', 1e-9)),
    name: v.optional(v.string('must be a string; write a scenario name')),
    load: group(optionalAll({ shape: hourly, noise: nonNeg, powerFactor: num('a power factor in (0, 1]', 1e-9, 1) })),
    microturbine: group(optionalAll({ pMinKw: num('kW'), pMaxKw: num('kW'), qMinKvar: num('kVAr'), qMaxKvar: num('kVAr'), costQuadraticPerMw2h: nonNeg, costLinearPerMwh: hourly, costConstantPerHour: num('a number') })),
    pv: group(optionalAll({ fraction, ratedToPeakLoad: nonNeg })),
    deferrable: group(optionalAll({ fraction, earliestStartHours: hourRange, durationHours: num('hours > 0', 1e-9), powerToPeakLoad: nonNeg, maxDelayHours: nonNeg })),
    shapable: group(optionalAll({ fraction, maxEnergyToPeakLoadHours: nonNeg, windowStartHours: hourRange, windowEndHours: hourRange, powerToPeakLoad: nonNeg })),
    battery: group(optionalAll({ powerToPeakControllable: nonNeg, energyHours: nonNeg, initialFraction: fraction, etaCharge: num('an efficiency in (0, 1]', 1e-9, 1), etaDischarge: num('an efficiency in (0, 1]', 1e-9, 1), endTolerance: num('a fraction in [0, 1)', 0, 0.999999) })),
  },
  (i) => `unknown field '${String(i.path?.at(-1)?.key)}'; allowed: seed, periods, dtHours, name, load, microturbine, pv, deferrable, shapable, battery (docs/scenario.md)`,
);

/** Checks a parsed "scenario file" of overrides; the seed may come from it or from `seed`. */
export function parsePaperScenarioOverrides(data: unknown, sourceName = 'scenario file'): Partial<PaperScenarioOptions> {
  const result = v.safeParse(overridesSchema, data, { abortEarly: false });
  if (!result.success) {
    throw new CaseFileError(sourceName, result.issues.map((i) => ({ path: formatPath((i.path ?? []).map((p) => p.key)), message: i.message })));
  }
  return result.output as Partial<PaperScenarioOptions>;
}
