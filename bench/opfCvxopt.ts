/**
 * Our interior-point solver against CVXOPT on the exact SOCP of the central OPF (issue 2 §6): the
 * SCE-56 paper scenario × 24 periods as buildCentralOpf writes it, exported through
 * writeProblemJson and solved by scripts/reference/opf_cvxopt.py (coneqp with a sparse CHOLMOD
 * LDL' KKT solver, the configuration of solver-research.md §4). Both at 1e-8 tolerances.
 * Runs alternate (CVXOPT, ours, CVXOPT, ours, …) so that load from other work on the shared
 * machine falls on both; medians are compared. Target: ours ≤ 0.5× CVXOPT's wall time and
 * ≤ 1.3× its iterations. Without Debian's python3-cvxopt the line has ours alone.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { solveConic } from '../src/conic/index.js';
import { writeProblemJson } from '../src/conic/io/problemJson.js';
import type { ConicSolution } from '../src/conic/types.js';
import { packagePath } from '../src/core/paths.js';
import { loadScenario } from '../src/scenario/io.js';
import { buildCentralOpf } from '../src/solve/central/buildCentralOpf.js';
import { defaultCentralSettings } from '../src/solve/central/runCentralOpf.js';
import { median, round } from './centralOpf.bench.js';
import { cvxoptAvailable } from './cvxopt.js';

/** Debian's interpreter, which has python3-cvxopt (the pyenv python3 first on PATH does not). */
const PYTHON = '/usr/bin/python3';
export const maxTimeRatio = 0.5;
export const maxIterationRatio = 1.3;

export interface OpfCvxoptBenchOptions {
  /** Timed solves per solver, alternating. Default 5. */
  repeats?: number;
  /** Tolerance for both solvers (gap abs/rel and feasibility). Default 1e-8. */
  tolerance?: number;
}

interface CvxoptRun {
  status: string;
  objective: number;
  iterations: number;
  seconds: number[];
  cpuSeconds: number[];
  gap: number;
  relativeGap: number;
  primalInfeasibility: number;
  dualInfeasibility: number;
  kkt: string;
}

export async function runOpfCvxoptBench(options: OpfCvxoptBenchOptions = {}): Promise<object[]> {
  const repeats = options.repeats ?? 5;
  const tolerance = options.tolerance ?? 1e-8;
  const scenario = loadScenario('sce56-paper');
  const problem = buildCentralOpf(scenario).program.problem;
  const settings = { ...defaultCentralSettings, tolGapAbs: tolerance, tolGapRel: tolerance, tolFeas: tolerance };
  const target = `ours ≤ ${maxTimeRatio}× CVXOPT wall time and ≤ ${maxIterationRatio}× its iterations, both at ${tolerance}`;
  const size = {
    variables: problem.q.length,
    rows: problem.b.length,
    cones: problem.cones.filter((c) => c.type === 'secondOrder' || c.type === 'rotatedSecondOrder').length,
    tolerance,
    repeats,
  };
  const caseName = 'opf-cvxopt/sce56-paper-24h';
  // untimed warm-up so that the JIT does not count against our first timed run
  solveConic(problem, settings);
  const withCvxopt = cvxoptAvailable();
  if (!withCvxopt) process.stderr.write(`note: ${caseName}: ${PYTHON} cannot import cvxopt (apt-get install python3-cvxopt); timing ours alone\n`);
  const dir = mkdtempSync(join(tmpdir(), 'gc-opf-cvxopt-'));
  const ours: Array<{ ms: number; cpuMs: number; solution: ConicSolution }> = [];
  const reference: CvxoptRun[] = [];
  try {
    const file = join(dir, 'central-opf.json');
    writeFileSync(file, writeProblemJson(problem));
    for (let r = 0; r < repeats; r++) {
      if (withCvxopt) reference.push(await solveWithCvxopt(file, tolerance));
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const solution = solveConic(problem, settings);
      const ms = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      ours.push({ ms, cpuMs: (cpu.user + cpu.system) / 1000, solution });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const last = ours[ours.length - 1]!.solution;
  const oursMs = median(ours.map((o) => o.ms));
  const oursCpuMs = median(ours.map((o) => o.cpuMs));
  const oursLine = {
    oursStatus: last.status,
    oursIterations: last.iterations,
    oursObjective: last.objective,
    oursGap: last.gap,
    oursPrimalResidual: last.primalResidual,
    oursDualResidual: last.dualResidual,
    oursMs: round(oursMs),
    oursCpuMs: round(oursCpuMs),
    oursMsAll: ours.map((o) => round(o.ms)),
    oursSetupMs: round(last.timings.setupMs),
    oursFactorMs: round(last.timings.factorMs),
  };
  if (!withCvxopt) return [{ case: caseName, ...size, ...oursLine, cvxopt: 'unavailable', target, met: false }];
  const cvx = reference[reference.length - 1]!;
  const cvxoptMs = 1000 * median(reference.map((r) => r.seconds[0]!));
  const cvxoptCpuMs = 1000 * median(reference.map((r) => r.cpuSeconds[0]!));
  const timeRatio = oursMs / cvxoptMs;
  const iterationRatio = last.iterations / Math.max(1, cvx.iterations);
  return [{
    case: caseName,
    ...size,
    ...oursLine,
    cvxoptStatus: cvx.status,
    cvxoptIterations: cvx.iterations,
    cvxoptObjective: cvx.objective,
    cvxoptRelativeGap: cvx.relativeGap,
    cvxoptMs: round(cvxoptMs),
    cvxoptCpuMs: round(cvxoptCpuMs),
    cvxoptMsAll: reference.map((r) => round(1000 * r.seconds[0]!)),
    cvxoptKkt: cvx.kkt,
    timeRatio: round(timeRatio, 3),
    cpuRatio: round(oursCpuMs / cvxoptCpuMs, 3),
    iterationRatio: round(iterationRatio, 3),
    objectiveRelDiff: Math.abs(last.objective - cvx.objective) / Math.max(1, Math.abs(cvx.objective)),
    target,
    met: last.status === 'solved' && cvx.status === 'solved' && timeRatio <= maxTimeRatio && iterationRatio <= maxIterationRatio,
  }];
}

async function solveWithCvxopt(file: string, tolerance: number): Promise<CvxoptRun> {
  const script = packagePath('scripts', 'reference', 'opf_cvxopt.py');
  const { stdout } = await promisify(execFile)(PYTHON, [script, file, '--tol', String(tolerance), '--repeat', '1'], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as CvxoptRun;
}
