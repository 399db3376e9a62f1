/**
 * Stress harness of the conic solver on problem families nobody here tuned it on
 * (src/conic/testing/stressProblems.ts): large cones with the optimum on the boundary, many
 * small cones, rotated cones with one side 0, degenerate LPs, free variables, bad scaling,
 * singular QPs, no interior, and infeasible / unbounded / both. Each solve is checked against
 * the known optimum, the KKT conditions and the certificate definitions (src/conic/testing/kktCheck.ts);
 * feasible problems also go to CVXOPT's coneqp where /usr/bin/python3 has cvxopt.
 * One JSON line per family, then a summary line.
 * `node build/<name>/bench/conicStress.js [seeds] [--no-cvxopt] [--cvxopt-seeds K] [--family NAME[,NAME]] [--table] [--solver-module FILE]`
 * (--solver-module: another build's compiled src/conic/index.js, to measure an older solver on today's families).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { solveConic } from '../src/conic/index.js';
import { writeProblemJson } from '../src/conic/io/problemJson.js';
import { checkAgainstExpectation } from '../src/conic/testing/kktCheck.js';
import { stressFamilies } from '../src/conic/testing/stressProblems.js';
import { packagePath } from '../src/core/paths.js';
import type { ConicProblem, ConicSolution } from '../src/conic/types.js';
import { cvxoptAvailable } from './cvxopt.js';

export interface ConicStressOptions {
  /** Seeds 1..seeds per family (default 20). */
  seeds?: number;
  /** Run CVXOPT on the feasible problems (default true where it is installed). */
  cvxopt?: boolean;
  /** CVXOPT on seeds 1..cvxoptSeeds of each feasible family only (default 10: its Python KKT assembly takes seconds per solve on the large ones). */
  cvxoptSeeds?: number;
  /** Only these families (default all). */
  families?: string[];
  /** The solver under test (default this build's solveConic). */
  solve?: (problem: ConicProblem) => ConicSolution;
}

interface CvxoptOutcome {
  status: string;
  objective: number;
}

/** CVXOPT coneqp's status and objective, or its first error line. */
function solveWithCvxopt(dir: string, problemJson: string): CvxoptOutcome {
  const file = join(dir, 'problem.json');
  writeFileSync(file, problemJson);
  const out = spawnSync('/usr/bin/python3', [packagePath('scripts', 'reference', 'cvxopt_conic.py'), file], { encoding: 'utf8', timeout: 120_000 });
  if (out.status !== 0) {
    const lines = (out.stderr ?? '').trim().split('\n');
    return { status: `error: ${lines[lines.length - 1] ?? 'no output'}`.slice(0, 80), objective: NaN };
  }
  return JSON.parse(out.stdout) as CvxoptOutcome;
}

export function runConicStressBench(options: ConicStressOptions = {}): object[] {
  const seeds = options.seeds ?? 20;
  const solve = options.solve ?? ((problem: ConicProblem) => solveConic(problem));
  const withCvxopt = (options.cvxopt ?? true) && cvxoptAvailable();
  const cvxoptSeeds = options.cvxoptSeeds ?? 10;
  const dir = mkdtempSync(join(tmpdir(), 'gc-stress-'));
  const lines: object[] = [];
  let total = 0;
  let failed = 0;
  try {
    for (const family of stressFamilies) {
      if (options.families && !options.families.includes(family.name)) continue;
      const statuses: Record<string, number> = {};
      const failures: Array<[number, string]> = [];
      const cvxoptStatuses: Record<string, number> = {};
      let cvxoptRight = 0;
      let cvxoptRun = 0;
      let iterations = 0;
      let cpuMs = 0;
      for (let seed = 1; seed <= seeds; seed++) {
        const { problem, expected, objective } = family.make(seed);
        const cpu = process.cpuUsage();
        const sol = solve(problem);
        const used = process.cpuUsage(cpu);
        cpuMs += (used.user + used.system) / 1000;
        iterations += sol.iterations;
        statuses[sol.status] = (statuses[sol.status] ?? 0) + 1;
        const problems = checkAgainstExpectation(problem, expected, objective, sol);
        if (problems.length > 0) failures.push([seed, problems.join('; ')]);
        if (withCvxopt && expected === 'solved' && seed <= cvxoptSeeds) {
          const reference = solveWithCvxopt(dir, writeProblemJson(problem));
          cvxoptRun++;
          cvxoptStatuses[reference.status] = (cvxoptStatuses[reference.status] ?? 0) + 1;
          // CVXOPT stops at its own 1e-7 / 1e-6 tolerances: its objective is judged at 1e-5, against the
          // known optimum or, for families without one, against ours when ours passed its checks
          const judge = objective ?? (problems.length === 0 ? sol.objective : undefined);
          if (reference.status === 'solved' && judge !== undefined && Math.abs(reference.objective - judge) <= 1e-5 * Math.max(1, Math.abs(judge))) cvxoptRight++;
        }
      }
      total += seeds;
      failed += failures.length;
      lines.push({
        bench: 'conic-stress', case: family.name, seeds, passed: seeds - failures.length, statuses,
        meanIterations: Math.round((iterations / seeds) * 10) / 10, cpuMs: Math.round(cpuMs),
        failures: failures.slice(0, 8).map(([seed, why]) => `seed ${seed}: ${why}`),
        ...(cvxoptRun > 0 ? { cvxopt: { run: cvxoptRun, rightObjective: cvxoptRight, statuses: cvxoptStatuses } } : {}),
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  lines.push({ bench: 'conic-stress', case: 'summary', problems: total, passed: total - failed, failed });
  return lines;
}

interface FamilyLine {
  case: string;
  seeds: number;
  passed: number;
  statuses: Record<string, number>;
  meanIterations: number;
  cvxopt?: { run: number; rightObjective: number };
}

/** The per-family lines as a Markdown table (docs/solver.md §Stress harness). */
export function stressTable(lines: object[]): string {
  const rows = (lines as FamilyLine[]).filter((l) => l.case !== 'summary');
  const out = ['| family | passed | statuses | mean iterations | CVXOPT right |', '|---|---|---|---|---|'];
  for (const l of rows) {
    const statuses = Object.entries(l.statuses).map(([k, v]) => `${k} ${v}`).join(', ');
    const cvx = l.cvxopt ? `${l.cvxopt.rightObjective}/${l.cvxopt.run}` : '—';
    out.push(`| ${l.case} | ${l.passed}/${l.seeds} | ${statuses} | ${l.meanIterations} | ${cvx} |`);
  }
  return out.join('\n');
}

if (process.argv[1]?.endsWith('conicStress.js')) {
  const args = process.argv.slice(2);
  const familyArg = args.indexOf('--family');
  const seedsArg = args.find((a, k) => /^\d+$/.test(a) && args[k - 1] !== '--family' && args[k - 1] !== '--cvxopt-seeds');
  const cvxoptSeedsArg = args.indexOf('--cvxopt-seeds');
  const moduleArg = args.indexOf('--solver-module');
  const other = moduleArg >= 0 ? ((await import(pathToFileURL(resolve(args[moduleArg + 1]!)).href)) as { solveConic: (p: ConicProblem) => ConicSolution }) : undefined;
  const lines = runConicStressBench({
    solve: other ? (problem) => other.solveConic(problem) : undefined,
    seeds: seedsArg ? Number(seedsArg) : undefined,
    cvxopt: !args.includes('--no-cvxopt'),
    cvxoptSeeds: cvxoptSeedsArg >= 0 ? Number(args[cvxoptSeedsArg + 1]) : undefined,
    families: familyArg >= 0 ? args[familyArg + 1]!.split(',') : undefined,
  });
  for (const line of lines) console.log(JSON.stringify(line));
  if (args.includes('--table')) console.log(stressTable(lines));
}
