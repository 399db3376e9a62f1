/**
 * Generated-problem benchmark: seeded random problems with a known optimum, primal-infeasible
 * ones with a Farkas certificate and unbounded ones (src/conic/testing/generatedProblems.ts),
 * solved one after another; one JSON line per family with the status counts, the seeds that
 * did not end as expected and the total CPU time. `node build/<name>/bench/conicRandom.js [seeds] [maxConeDim] [--cost-times F]`
 * (--cost-times multiplies the known-optimum problems' P and q by F, the cost-scaling check of docs/solver.md).
 */
import { solveConic } from '../src/conic/index.js';
import { dualInfeasibleProblem, knownOptimumProblem, primalInfeasibleProblem } from '../src/conic/testing/generatedProblems.js';
import type { ConicProblem, ConicSolution } from '../src/conic/types.js';

export interface ConicRandomOptions {
  seeds?: number;
  /** Largest second-order cone dimension drawn (default 4; 64 and more exercises the sparse expansion). */
  maxConeDim?: number;
  /** Multiplies P and q of the known-optimum family by this factor (its optimum scales with it); default 1. */
  costTimes?: number;
}

interface Family {
  name: string;
  expected: string;
  make: (seed: number, maxConeDim: number) => ConicProblem;
  /** Extra check of a solution with the expected status (objective against the known optimum). */
  check?: (seed: number, maxConeDim: number, solution: ConicSolution) => boolean;
}

/** The problem with P and q multiplied by `factor`: the same minimizer, the optimum times factor. */
function withCostTimes(problem: ConicProblem, factor: number): ConicProblem {
  if (factor === 1) return problem;
  return { ...problem, q: problem.q.map((v) => v * factor), P: { ...problem.P, nzval: problem.P.nzval.map((v) => v * factor) } };
}

const familiesFor = (costTimes: number): Family[] => [
  {
    name: 'known-optimum',
    expected: 'solved',
    make: (seed, dim) => withCostTimes(knownOptimumProblem(seed, dim).problem, costTimes),
    check: (seed, dim, solution) => {
      const known = costTimes * knownOptimumProblem(seed, dim).objective;
      return Math.abs(solution.objective - known) <= 1e-6 * Math.max(1, Math.abs(known));
    },
  },
  { name: 'primal-infeasible', expected: 'primalInfeasible', make: primalInfeasibleProblem },
  { name: 'dual-infeasible', expected: 'dualInfeasible', make: dualInfeasibleProblem },
];

export function runConicRandomBench(options: ConicRandomOptions = {}): object[] {
  const seeds = options.seeds ?? 1000;
  const maxConeDim = options.maxConeDim ?? 4;
  const costTimes = options.costTimes ?? 1;
  // the infeasible families are scale-free tests: with a cost factor only the known optima run
  const families = familiesFor(costTimes).filter((f) => costTimes === 1 || f.name === 'known-optimum');
  return families.map((family) => {
    const statuses: Record<string, number> = {};
    let iterations = 0;
    const unexpected: Array<[number, string]> = [];
    const cpuStart = process.cpuUsage();
    for (let seed = 1; seed <= seeds; seed++) {
      const solution = solveConic(family.make(seed, maxConeDim));
      statuses[solution.status] = (statuses[solution.status] ?? 0) + 1;
      iterations += solution.iterations;
      const wrong = solution.status === family.expected && family.check && !family.check(seed, maxConeDim, solution);
      if (solution.status !== family.expected || wrong) unexpected.push([seed, wrong ? 'wrong objective' : solution.status]);
    }
    const cpu = process.cpuUsage(cpuStart);
    return {
      bench: 'conic-random', case: family.name, seeds, maxConeDim, ...(costTimes !== 1 ? { costTimes } : {}), statuses,
      meanIterations: Math.round((iterations / seeds) * 100) / 100,
      unexpected: unexpected.length, firstUnexpected: unexpected.slice(0, 10),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    };
  });
}

if (process.argv[1]?.endsWith('conicRandom.js')) {
  const args = process.argv.slice(2);
  const costFlag = args.indexOf('--cost-times');
  const costTimes = costFlag >= 0 ? Number(args[costFlag + 1]) : undefined;
  const positional = costFlag >= 0 ? args.filter((_, k) => k !== costFlag && k !== costFlag + 1) : args;
  const seeds = positional[0] ? Number(positional[0]) : undefined;
  const maxConeDim = positional[1] ? Number(positional[1]) : undefined;
  for (const line of runConicRandomBench({ seeds, maxConeDim, costTimes })) console.log(JSON.stringify(line));
}
