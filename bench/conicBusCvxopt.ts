/**
 * Iterations of a cold solve of bus-sized ADMM subproblems (bench/conicDistFlowGenerator.ts,
 * round-1 q), ours at our 1e-8 tolerances and at CVXOPT's (abstol 1e-7, reltol 1e-6, feastol
 * 1e-7), against CVXOPT's coneqp with a sparse KKT solver (scripts/reference/cvxopt_conic.py) on
 * the same problems. One JSON line; without /usr/bin/python3 + cvxopt the CVXOPT fields are null.
 * `node build/<name>/bench/conicBusCvxopt.js [buses]`
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solveConic } from '../src/conic/index.js';
import { writeProblemJson } from '../src/conic/io/problemJson.js';
import { packagePath } from '../src/core/paths.js';
import { cvxoptAvailable } from './cvxopt.js';
import { admmLinearCost, generateBusSubproblem } from './conicDistFlowGenerator.js';

const CVXOPT_TOLERANCES = { tolGapAbs: 1e-7, tolGapRel: 1e-6, tolFeas: 1e-7 };

export function runConicBusCvxoptBench(buses = 20): object[] {
  const withCvxopt = cvxoptAvailable();
  const dir = mkdtempSync(join(tmpdir(), 'gc-bus-cvxopt-'));
  const ours: number[] = [];
  const oursAtCvxoptTolerances: number[] = [];
  const cvxopt: number[] = [];
  let notSolved = 0;
  try {
    for (let k = 0; k < buses; k++) {
      const bus = generateBusSubproblem(24, k % 4, 100 + k);
      const problem = { ...bus.problem, q: admmLinearCost(bus.problem.q, bus.copyColumns, bus.rho, 100 + k, 1) };
      const solution = solveConic(problem);
      if (solution.status !== 'solved') notSolved++;
      ours.push(solution.iterations);
      oursAtCvxoptTolerances.push(solveConic(problem, CVXOPT_TOLERANCES).iterations);
      if (withCvxopt) {
        const file = join(dir, `bus${k}.json`);
        writeFileSync(file, writeProblemJson(problem));
        const out = execFileSync('/usr/bin/python3', [packagePath('scripts', 'reference', 'cvxopt_conic.py'), file], { encoding: 'utf8' });
        cvxopt.push((JSON.parse(out) as { iterations: number }).iterations);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mean = (v: number[]): number | null => (v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100 : null);
  return [{
    bench: 'conic', case: 'bus-cold-vs-cvxopt', buses, notSolved,
    iterations: mean(ours), iterationsAtCvxoptTolerances: mean(oursAtCvxoptTolerances), cvxoptIterations: mean(cvxopt),
    iterationRatioAtCvxoptTolerances: withCvxopt ? Math.round((mean(oursAtCvxoptTolerances)! / mean(cvxopt)!) * 100) / 100 : null,
  }];
}

if (process.argv[1]?.endsWith('conicBusCvxopt.js')) {
  for (const line of runConicBusCvxoptBench(process.argv[2] ? Number(process.argv[2]) : 20)) console.log(JSON.stringify(line));
}
