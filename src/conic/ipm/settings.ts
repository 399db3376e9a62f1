import { ConicInputError } from '../conicInputError.js';
import type { SolverSettings } from '../types.js';

/** Clarabel-like defaults (see docs/solver.md for what each one does). */
export const defaultSolverSettings: Readonly<SolverSettings> = Object.freeze({
  tolGapAbs: 1e-8,
  tolGapRel: 1e-8,
  tolFeas: 1e-8,
  tolInfeasAbs: 1e-8,
  tolInfeasRel: 1e-8,
  tolKtRatio: 1e-6,
  reducedTolGapAbs: 5e-5,
  reducedTolGapRel: 5e-5,
  reducedTolFeas: 1e-4,
  reducedTolInfeasAbs: 5e-5,
  reducedTolInfeasRel: 5e-5,
  reducedTolKtRatio: 1e-4,
  maxIter: 200,
  timeLimitMs: Infinity,
  timeLimitSeconds: Infinity,
  maxStepFraction: 0.99,
  equilibrate: true,
  equilibrateMaxIter: 10,
  equilibrateMinScaling: 1e-4,
  equilibrateMaxScaling: 1e4,
  staticRegularization: true,
  staticRegularizationConstant: 1e-8,
  staticRegularizationProportional: Number.EPSILON * Number.EPSILON,
  dynamicRegularization: true,
  dynamicRegularizationEps: 1e-13,
  dynamicRegularizationDelta: 2e-7,
  iterativeRefinement: true,
  iterativeRefinementRelTol: 1e-13,
  iterativeRefinementAbsTol: 1e-12,
  iterativeRefinementMaxIter: 10,
  iterativeRefinementStopRatio: 5,
  warmStart: false,
});

const positiveFields = [
  'tolGapAbs', 'tolGapRel', 'tolFeas', 'tolInfeasAbs', 'tolInfeasRel', 'tolKtRatio',
  'reducedTolGapAbs', 'reducedTolGapRel', 'reducedTolFeas', 'reducedTolInfeasAbs', 'reducedTolInfeasRel',
  'reducedTolKtRatio', 'timeLimitMs', 'timeLimitSeconds', 'equilibrateMinScaling', 'equilibrateMaxScaling',
  'dynamicRegularizationDelta', 'iterativeRefinementStopRatio',
] as const;
const nonNegativeFields = [
  'staticRegularizationConstant', 'staticRegularizationProportional', 'dynamicRegularizationEps',
  'iterativeRefinementRelTol', 'iterativeRefinementAbsTol',
] as const;
const countFields = ['maxIter', 'equilibrateMaxIter', 'iterativeRefinementMaxIter'] as const;

/**
 * Defaults overlaid with the caller's settings, checked.
 * @throws ConicInputError naming the first bad field.
 */
export function resolveSettings(settings: Partial<SolverSettings> | undefined): SolverSettings {
  const merged: SolverSettings = { ...defaultSolverSettings, ...(settings ?? {}) };
  for (const key of positiveFields) {
    const v = merged[key];
    if (typeof v !== 'number' || !(v > 0)) {
      throw new ConicInputError(`settings.${key}`, `must be a positive number, got ${String(v)}`, [
        `pass a positive number or leave it out for the default ${String(defaultSolverSettings[key])}`,
      ]);
    }
  }
  for (const key of nonNegativeFields) {
    const v = merged[key];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
      throw new ConicInputError(`settings.${key}`, `must be a finite number >= 0, got ${String(v)}`, [
        `pass a number >= 0 or leave it out for the default ${String(defaultSolverSettings[key])}`,
      ]);
    }
  }
  for (const key of countFields) {
    const v = merged[key];
    if (!Number.isInteger(v) || v < 0) {
      throw new ConicInputError(`settings.${key}`, `must be a whole number >= 0, got ${String(v)}`, [
        `pass a whole number or leave it out for the default ${String(defaultSolverSettings[key])}`,
      ]);
    }
  }
  if (!(merged.maxStepFraction > 0 && merged.maxStepFraction < 1)) {
    throw new ConicInputError('settings.maxStepFraction', `must lie in (0, 1), got ${String(merged.maxStepFraction)}`, [
      'pass a fraction such as 0.99',
    ]);
  }
  if (merged.equilibrateMinScaling > merged.equilibrateMaxScaling) {
    throw new ConicInputError('settings.equilibrateMinScaling', 'is larger than settings.equilibrateMaxScaling', [
      'make the minimum scaling at most the maximum (defaults 1e-4 and 1e4)',
    ]);
  }
  return merged;
}
