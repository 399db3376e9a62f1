/**
 * Cold solves of the real ADMM bus subproblems against CVXOPT: runs consensus ADMM on the
 * sce56-paper scenario in this thread for `round` iterations with a solver factory that records
 * each bus's data (P values, q, b) at its `round`-th solve, then solves every recorded problem
 * cold with our solver (at our 1e-8 tolerances and at CVXOPT's) and with CVXOPT's coneqp
 * (scripts/reference/cvxopt_conic.py, sparse KKT). One JSON line (CVXOPT fields null without
 * /usr/bin/python3 + cvxopt). `node build/<name>/bench/conicAdmmBuses.js [round]`
 */
import { createConicSolver } from '../src/conic/index.js';
import type { ConicProblem, SolverSettings } from '../src/conic/types.js';
import { loadScenario } from '../src/scenario/io.js';
import { runAdmm } from '../src/solve/admm/runAdmm.js';
import { coldIterationsAgainstCvxopt, roundedMean } from './cvxopt.js';


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
  const counts = coldIterationsAgainstCvxopt(recorded);
  const atCvxopt = roundedMean(counts.oursAtCvxoptTolerances);
  const theirs = roundedMean(counts.cvxopt);
  return [{
    bench: 'conic', case: 'admm-buses-cold-vs-cvxopt', round, problems: recorded.length, notSolved: counts.notSolved,
    iterations: roundedMean(counts.ours), cpuMsPerSolve: Math.round((counts.cpuMs / Math.max(1, recorded.length)) * 100) / 100,
    iterationsAtCvxoptTolerances: atCvxopt, cvxoptIterations: theirs,
    iterationRatioAtCvxoptTolerances: atCvxopt !== null && theirs !== null ? Math.round((atCvxopt / theirs) * 100) / 100 : null,
  }];
}

if (process.argv[1]?.endsWith('conicAdmmBuses.js')) {
  for (const line of await runConicAdmmBusesBench(process.argv[2] ? Number(process.argv[2]) : 10)) console.log(JSON.stringify(line));
}
