/**
 * Iterations of a cold solve of bus-sized ADMM subproblems (bench/conicDistFlowGenerator.ts,
 * round-1 q), ours at our 1e-8 tolerances and at CVXOPT's (abstol 1e-7, reltol 1e-6, feastol
 * 1e-7), against CVXOPT's coneqp with a sparse KKT solver (scripts/reference/cvxopt_conic.py) on
 * the same problems. One JSON line; without /usr/bin/python3 + cvxopt the CVXOPT fields are null.
 * `node build/<name>/bench/conicBusCvxopt.js [buses]`
 */
import { coldIterationsAgainstCvxopt, roundedMean } from './cvxopt.js';
import { admmLinearCost, generateBusSubproblem } from './conicDistFlowGenerator.js';

export function runConicBusCvxoptBench(buses = 20): object[] {
  const problems = Array.from({ length: buses }, (_, k) => {
    const bus = generateBusSubproblem(24, k % 4, 100 + k);
    return { ...bus.problem, q: admmLinearCost(bus.problem.q, bus.copyColumns, bus.rho, 100 + k, 1) };
  });
  const counts = coldIterationsAgainstCvxopt(problems);
  const atCvxopt = roundedMean(counts.oursAtCvxoptTolerances);
  const theirs = roundedMean(counts.cvxopt);
  return [{
    bench: 'conic', case: 'bus-cold-vs-cvxopt', buses, notSolved: counts.notSolved,
    iterations: roundedMean(counts.ours), iterationsAtCvxoptTolerances: atCvxopt, cvxoptIterations: theirs,
    iterationRatioAtCvxoptTolerances: atCvxopt !== null && theirs !== null ? Math.round((atCvxopt / theirs) * 100) / 100 : null,
  }];
}

if (process.argv[1]?.endsWith('conicBusCvxopt.js')) {
  for (const line of runConicBusCvxoptBench(process.argv[2] ? Number(process.argv[2]) : 20)) console.log(JSON.stringify(line));
}
