/**
 * The scenario stage's only file access: reading case files (ours or MATPOWER) and the
 * built-in cases under data/cases/. Everything else in src/scenario is pure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { GridError } from '../core/errors.js';
import { packagePath } from '../core/paths.js';
import { buildPaperScenario } from './buildPaperScenario.js';
import type { CaseFile } from './caseFile.js';
import { formatCaseFile } from './formatCaseFile.js';
import { withGridSupply } from './gridSupply.js';
import { withSeriesCapacitorWarnings } from './seriesCapacitors.js';
import { parseMatpowerCase, type MatpowerImportOptions } from './matpower/parseMatpowerCase.js';
import { parseCaseFile } from './parseCaseFile.js';
import { toScenario, type ToScenarioOptions } from './toScenario.js';
import type { Scenario } from './types.js';

/** Built-in case names: data/cases/<name>.json, plus "<case>-paper" = the paper scenario on that case. */
export const builtinCaseNames = ['sce56', 'sce56-paper'] as const;
/** Seed of the built-in paper scenario when none is given. */
export const defaultPaperSeed = 1;

export interface LoadCaseOptions extends ToScenarioOptions {
  /** Seed for a built-in "-paper" scenario (default 1). */
  seed?: number;
  /** MATPOWER import settings (periods of the constant loads). */
  matpower?: MatpowerImportOptions;
}

/** Reads one case file: `.m` is MATPOWER (see warnings on the result), anything else our JSON format. */
export function readCaseFile(path: string, options: Pick<LoadCaseOptions, 'matpower'> = {}): CaseFile {
  const text = readText(path);
  const caseFile = extname(path).toLowerCase() === '.m' ? parseMatpowerCase(text, { sourceName: basename(path), ...options.matpower }) : parseCaseFile(text, basename(path));
  return withSeriesCapacitorWarnings(caseFile);
}

/** A built-in name ("sce56", "sce56-paper") or a path → CaseFile. */
export function loadCaseFile(pathOrName: string, options: LoadCaseOptions = {}): CaseFile {
  if (isBuiltinName(pathOrName)) {
    const paper = pathOrName.endsWith('-paper');
    const base = readCaseFile(packagePath('data', 'cases', `${paper ? pathOrName.slice(0, -'-paper'.length) : pathOrName}.json`));
    if (!paper) return base;
    return buildPaperScenario(base, {
      seed: options.seed ?? defaultPaperSeed,
      ...(options.periods === undefined ? {} : { periods: options.periods }),
      ...(options.dtHours === undefined ? {} : { dtHours: options.dtHours }),
    });
  }
  // A network with loads only still needs a supply: the substation is the grid connection (gridSupply.ts).
  return withGridSupply(readCaseFile(pathOrName, options));
}

/** A built-in name or a path → the per-unit Scenario. */
export function loadScenario(pathOrName: string, options: LoadCaseOptions = {}): Scenario {
  return toScenario(loadCaseFile(pathOrName, options), options);
}

export function writeCaseFile(path: string, caseFile: CaseFile): void {
  try {
    writeFileSync(path, formatCaseFile(caseFile));
  } catch (error) {
    throw new GridError(`cannot write '${path}'`, { field: 'out', fix: ['choose a path in a folder that exists and is writable'], cause: error });
  }
}

/** Reads a JSON file (e.g. a scenario overrides file) without interpreting it. */
export function readJsonFile(path: string, field: string): unknown {
  const text = readText(path, field);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GridError(`'${path}' is not valid JSON`, { field, fix: ['fix the JSON syntax at the position given'], cause: error });
  }
}

function isBuiltinName(name: string): boolean {
  return (builtinCaseNames as readonly string[]).includes(name);
}

function readText(path: string, field = 'case'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new GridError(`cannot read case file '${path}'`, {
      field,
      fix: [`give a path to a .json (gridconsensus-case) or .m (MATPOWER) file, or a built-in name: ${builtinCaseNames.join(', ')}`],
      cause: error,
    });
  }
}
