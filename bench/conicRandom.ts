/**
 * Generated-problem benchmark: seeded random problems with a known optimum, primal-infeasible
 * ones with a Farkas certificate and unbounded ones (src/conic/testing/generatedProblems.ts),
 * solved one after another; one JSON line per family with the status counts, the seeds that
 * did not end as expected and the total CPU time. `node build/<name>/bench/conicRandom.js [seeds] [maxConeDim]`.
 */
import { solveConic } from '../src/conic/index.js';
import { dualInfeasibleProblem, knownOptimumProblem, primalInfeasibleProblem } from '../src/conic/testing/generatedProblems.js';
import type { ConicProblem, ConicSolution } from '../src/conic/types.js';

export interface ConicRandomOptions {
  seeds?: number;
  /** Largest second-order cone dimension drawn (default 4; 64 and more exercises the sparse expansion). */
  maxConeDim?: number;
}

interface Family {
  name: string;
  expected: string;
  make: (seed: number, maxConeDim: number) => ConicProblem;
  /** Extra check of a solution with the expected status (objective against the known optimum). */
  check?: (seed: number, maxConeDim: number, solution: ConicSolution) => boolean;
}

const families: Family[] = [
  {
    name: 'known-optimum',
    expected: 'solved',
    make: (seed, dim) => knownOptimumProblem(seed, dim).problem,
    check: (seed, dim, solution) => {
      const known = knownOptimumProblem(seed, dim).objective;
      return Math.abs(solution.objective - known) <= 1e-6 * Math.max(1, Math.abs(known));
    },
  },
  { name: 'primal-infeasible', expected: 'primalInfeasible', make: primalInfeasibleProblem },
  { name: 'dual-infeasible', expected: 'dualInfeasible', make: dualInfeasibleProblem },
];

export function runConicRandomBench(options: ConicRandomOptions = {}): object[] {
  const seeds = options.seeds ?? 1000;
  const maxConeDim = options.maxConeDim ?? 4;
  return families.map((family) => {
    const statuses: Record<string, number> = {};
    const unexpected: Array<[number, string]> = [];
    const cpuStart = process.cpuUsage();
    for (let seed = 1; seed <= seeds; seed++) {
      const solution = solveConic(family.make(seed, maxConeDim));
      statuses[solution.status] = (statuses[solution.status] ?? 0) + 1;
      const wrong = solution.status === family.expected && family.check && !family.check(seed, maxConeDim, solution);
      if (solution.status !== family.expected || wrong) unexpected.push([seed, wrong ? 'wrong objective' : solution.status]);
    }
    const cpu = process.cpuUsage(cpuStart);
    return {
      bench: 'conic-random', case: family.name, seeds, maxConeDim, statuses,
      unexpected: unexpected.length, firstUnexpected: unexpected.slice(0, 10),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    };
  });
}

if (process.argv[1]?.endsWith('conicRandom.js')) {
  const seeds = process.argv[2] ? Number(process.argv[2]) : undefined;
  const maxConeDim = process.argv[3] ? Number(process.argv[3]) : undefined;
  for (const line of runConicRandomBench({ seeds, maxConeDim })) console.log(JSON.stringify(line));
}
