/**
 * Side-by-side timing of our conic solver against CVXOPT's coneqp with a sparse LDL' KKT solver
 * (scripts/reference/cvxopt_conic.py), the reference configuration of docs/shared solver research
 * §4-5. Both solve the same ConicProblem; ratios taken within one run cancel machine speed.
 * Our solver runs at its defaults (1e-8); CVXOPT at its own (abstol 1e-7, reltol 1e-6, feastol 1e-7).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { solveConic } from '../src/conic/index.js';
import { writeProblemJson } from '../src/conic/io/problemJson.js';
import type { ConicProblem, ConicSolution, SolverSettings } from '../src/conic/types.js';
import { packagePath } from '../src/core/paths.js';

/** Debian's interpreter, which has python3-cvxopt (the pyenv python3 first on PATH does not). */
const PYTHON = '/usr/bin/python3';
const REPEATS = 3;

export interface CvxoptSideBySide {
  bench: 'conic';
  case: string;
  oursMs: number;
  cvxoptMs: number;
  ratio: number;
  oursIterations: number;
  cvxoptIterations: number;
  iterationRatio: number;
  oursStatus: string;
  cvxoptStatus: string;
  objectiveRelDiff: number;
}

interface CvxoptResult {
  status: string;
  objective: number;
  iterations: number;
  seconds: number;
}

/** True when /usr/bin/python3 can import cvxopt. */
export function cvxoptAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import cvxopt'], { stdio: 'ignore' }).status === 0;
}

/**
 * Solves `problem` with both solvers (best of 3 wall times each) and returns one result line,
 * or null (with a note on stderr) when cvxopt is not installed.
 */
export async function runCvxoptSideBySide(problem: ConicProblem, caseName: string, settings: Partial<SolverSettings> = {}): Promise<object | null> {
  if (!cvxoptAvailable()) {
    process.stderr.write(`note: ${caseName}: CVXOPT side-by-side skipped (${PYTHON} cannot import cvxopt; apt-get install python3-cvxopt)\n`);
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'gc-cvxopt-'));
  let reference: CvxoptResult;
  try {
    const file = join(dir, 'problem.json');
    writeFileSync(file, writeProblemJson(problem));
    const { stdout } = await promisify(execFile)(PYTHON, [packagePath('scripts', 'reference', 'cvxopt_conic.py'), file, '--repeat', String(REPEATS)], {
      maxBuffer: 64 * 1024 * 1024,
    });
    reference = JSON.parse(stdout) as CvxoptResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let best = Infinity;
  let ours: ConicSolution | undefined;
  for (let k = 0; k < REPEATS; k++) {
    const start = performance.now();
    ours = solveConic(problem, settings);
    best = Math.min(best, performance.now() - start);
  }
  const cvxoptMs = reference.seconds * 1000;
  const result: CvxoptSideBySide = {
    bench: 'conic',
    case: caseName,
    oursMs: round(best),
    cvxoptMs: round(cvxoptMs),
    ratio: round(best / cvxoptMs),
    oursIterations: ours!.iterations,
    cvxoptIterations: reference.iterations,
    iterationRatio: round(ours!.iterations / Math.max(1, reference.iterations)),
    oursStatus: ours!.status,
    cvxoptStatus: reference.status,
    objectiveRelDiff: Math.abs(ours!.objective - reference.objective) / Math.max(1, Math.abs(reference.objective)),
  };
  return result;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** CVXOPT's own defaults (abstol 1e-7, reltol 1e-6, feastol 1e-7) in our settings' names. */
export const cvxoptDefaultTolerances = { tolGapAbs: 1e-7, tolGapRel: 1e-6, tolFeas: 1e-7 };

export interface ColdIterationCounts {
  ours: number[];
  oursAtCvxoptTolerances: number[];
  /** Empty when /usr/bin/python3 with cvxopt is not installed. */
  cvxopt: number[];
  notSolved: number;
  /** CPU time of our solves at our own tolerances, ms. */
  cpuMs: number;
}

/** Cold-solve iteration counts of each problem: ours at 1e-8 and at CVXOPT's tolerances, and CVXOPT coneqp's. */
export function coldIterationsAgainstCvxopt(problems: readonly ConicProblem[]): ColdIterationCounts {
  const withCvxopt = cvxoptAvailable();
  const dir = mkdtempSync(join(tmpdir(), 'gc-cold-cvxopt-'));
  const counts: ColdIterationCounts = { ours: [], oursAtCvxoptTolerances: [], cvxopt: [], notSolved: 0, cpuMs: 0 };
  try {
    problems.forEach((problem, k) => {
      const cpu = process.cpuUsage();
      const solution = solveConic(problem);
      const used = process.cpuUsage(cpu);
      counts.cpuMs += (used.user + used.system) / 1000;
      if (solution.status !== 'solved') counts.notSolved++;
      counts.ours.push(solution.iterations);
      counts.oursAtCvxoptTolerances.push(solveConic(problem, cvxoptDefaultTolerances).iterations);
      if (withCvxopt) {
        const file = join(dir, `problem${k}.json`);
        writeFileSync(file, writeProblemJson(problem));
        const out = spawnSync('/usr/bin/python3', [packagePath('scripts', 'reference', 'cvxopt_conic.py'), file], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(`cvxopt_conic.py failed on problem ${k}: ${out.stderr}`);
        counts.cvxopt.push((JSON.parse(out.stdout) as { iterations: number }).iterations);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return counts;
}

/** Mean to two decimals, or null for no values. */
export function roundedMean(values: readonly number[]): number | null {
  return values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 : null;
}
