/**
 * Cold solves of the real ADMM bus subproblems against CVXOPT: runs consensus ADMM on the
 * sce56-paper scenario in this thread for `round` iterations with a solver factory that records
 * each bus's data (P values, q, b) at its `round`-th solve, then solves every recorded problem
 * cold with our solver (at our 1e-8 tolerances and at CVXOPT's) and with CVXOPT's coneqp
 * (scripts/reference/cvxopt_conic.py, sparse KKT). One JSON line (CVXOPT fields null without
 * /usr/bin/python3 + cvxopt). `node build/<name>/bench/conicAdmmBuses.js [round]`
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConicSolver, solveConic } from '../src/conic/index.js';
import { writeProblemJson } from '../src/conic/io/problemJson.js';
import type { ConicProblem, SolverSettings } from '../src/conic/types.js';
import { packagePath } from '../src/core/paths.js';
import { loadScenario } from '../src/scenario/io.js';
import { runAdmm } from '../src/solve/admm/runAdmm.js';
import { cvxoptAvailable } from './cvxopt.js';

const CVXOPT_TOLERANCES = { tolGapAbs: 1e-7, tolGapRel: 1e-6, tolFeas: 1e-7 };

export async function runConicAdmmBusesBench(round = 10): Promise<object[]> {
  const recorded: ConicProblem[] = [];
  const factory = (problem: ConicProblem, settings: Partial<SolverSettings>) => {
    const solver = createConicSolver(problem, settings);
    let P = problem.P.nzval.slice();
    let q = problem.q.slice();
    let b = problem.b.slice();
    let solves = 0;
    return {
      updateLinearCost(values: Float64Array) { q = values.slice(); solver.updateLinearCost(values); },
      updateRhs(values: Float64Array) { b = values.slice(); solver.updateRhs(values); },
      updateQuadraticCostValues(values: Float64Array) { P = values.slice(); solver.updateQuadraticCostValues(values); },
      solve() {
        // the retry instance (busSubproblemSolver's fallback) would record a duplicate: skip repeats
        if (++solves === round && !recorded.some((r) => r.q === q)) recorded.push({ ...problem, P: { ...problem.P, nzval: P }, q, b });
        return solver.solve();
      },
    };
  };
  await runAdmm(loadScenario('sce56-paper'), { maxIterations: round }, factory);
  const withCvxopt = cvxoptAvailable();
  const dir = mkdtempSync(join(tmpdir(), 'gc-admm-buses-'));
  const ours: number[] = [];
  const oursAtCvxoptTolerances: number[] = [];
  const cvxopt: number[] = [];
  let notSolved = 0;
  let cpuMs = 0;
  try {
    recorded.forEach((problem, k) => {
      const cpu = process.cpuUsage();
      const solution = solveConic(problem);
      const used = process.cpuUsage(cpu);
      cpuMs += (used.user + used.system) / 1000;
      if (solution.status !== 'solved') notSolved++;
      ours.push(solution.iterations);
      oursAtCvxoptTolerances.push(solveConic(problem, CVXOPT_TOLERANCES).iterations);
      if (withCvxopt) {
        const file = join(dir, `bus${k}.json`);
        writeFileSync(file, writeProblemJson(problem));
        const out = execFileSync('/usr/bin/python3', [packagePath('scripts', 'reference', 'cvxopt_conic.py'), file], { encoding: 'utf8' });
        cvxopt.push((JSON.parse(out) as { iterations: number }).iterations);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mean = (v: number[]): number | null => (v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100 : null);
  return [{
    bench: 'conic', case: 'admm-buses-cold-vs-cvxopt', round, problems: recorded.length, notSolved,
    iterations: mean(ours), cpuMsPerSolve: Math.round((cpuMs / Math.max(1, recorded.length)) * 100) / 100,
    iterationsAtCvxoptTolerances: mean(oursAtCvxoptTolerances), cvxoptIterations: mean(cvxopt),
    iterationRatioAtCvxoptTolerances: withCvxopt ? Math.round((mean(oursAtCvxoptTolerances)! / mean(cvxopt)!) * 100) / 100 : null,
  }];
}

if (process.argv[1]?.endsWith('conicAdmmBuses.js')) {
  for (const line of await runConicAdmmBusesBench(process.argv[2] ? Number(process.argv[2]) : 10)) console.log(JSON.stringify(line));
}
