import type { ConicSolution, SolveStatus, SolveTimings } from '../types.js';
import type { Iterate } from './iterate.js';
import type { ProblemData } from './problemData.js';
import type { Residuals } from './residuals.js';

/**
 * Maps the final iterate back to the caller's problem: undo the equilibration and the rotated
 * cone transform. Solutions are divided by tau. A primal infeasibility certificate is scaled so
 * b'y = -1 (x, s are NaN); a dual infeasibility certificate so q'x = -1 (y is NaN).
 */
export function buildSolution(
  data: ProblemData,
  v: Iterate,
  res: Residuals,
  status: SolveStatus,
  iterations: number,
  timings: SolveTimings,
): ConicSolution {
  const { n, m } = data;
  const { D, E, c } = data.scaling;
  const x = new Float64Array(n);
  const s = new Float64Array(m);
  const y = new Float64Array(m);
  const primalInfeasible = status === 'primalInfeasible' || status === 'almostPrimalInfeasible';
  const dualInfeasible = status === 'dualInfeasible' || status === 'almostDualInfeasible';
  if (primalInfeasible) {
    const scale = -1 / res.bz;
    x.fill(NaN);
    s.fill(NaN);
    for (let i = 0; i < m; i++) y[i] = E[i]! * v.z[i]! * scale;
    data.rotate(y);
  } else if (dualInfeasible) {
    const scale = -c / res.qx;
    for (let j = 0; j < n; j++) x[j] = D[j]! * v.x[j]! * scale;
    for (let i = 0; i < m; i++) s[i] = (v.s[i]! / E[i]!) * scale;
    data.rotate(s);
    y.fill(NaN);
  } else {
    const t = v.tau;
    for (let j = 0; j < n; j++) x[j] = (D[j]! * v.x[j]!) / t;
    for (let i = 0; i < m; i++) {
      s[i] = v.s[i]! / E[i]! / t;
      y[i] = (E[i]! * v.z[i]!) / (c * t);
    }
    data.rotate(s);
    data.rotate(y);
  }
  const feasibleReport = !primalInfeasible && !dualInfeasible;
  return {
    status,
    x,
    s,
    y,
    objective: feasibleReport ? res.primalObjective : NaN,
    dualObjective: feasibleReport ? res.dualObjective : NaN,
    iterations,
    primalResidual: feasibleReport ? res.primalResidual : NaN,
    dualResidual: feasibleReport ? res.dualResidual : NaN,
    gap: feasibleReport ? res.gapAbs : NaN,
    timings,
  };
}
