/**
 * Re-solves one bus's ADMM subproblem for new (z, xi, rho) with one solver instance kept for the
 * whole run: only the linear cost changes every iteration, and the copies' diagonal of P when
 * rho changes (docs/admm-protocol.md: the subproblem at iteration k).
 */
import { GridError, InternalError } from '../../core/errors.js';
import type { ConicProblem, ConicSolution, ConicSolver, SolveStatus, SolverSettings } from '../../conic/types.js';
import { copyRoles, type BusSubproblem, type CopyRole } from './busSubproblem.js';
import { injectionValues } from '../network/busInjection.js';

export type ConicSolverFactory = (problem: ConicProblem, settings: Partial<SolverSettings>) => ConicSolver;

export interface BusSolveResult {
  /** The bus's local values x_b in protocol order, already scaled for transport. */
  local: Float64Array;
  /** Net injection p_i(t), q_i(t), p.u. */
  injectionP: Float64Array;
  injectionQ: Float64Array;
  /** Local DLMP λ_i(t) (dual of the real balance) and reactive price, currency per MWh / Mvarh. */
  price: Float64Array;
  reactivePrice: Float64Array;
  /** The bus's own cost (devices, with constants) at the solution, currency. */
  cost: number;
  status: SolveStatus;
  solverIterations: number;
  /** True when neither solve was usable and the bus repeated its previous result. */
  repeated: boolean;
  /** Full primal point, for reading device setpoints at the end. */
  x: Float64Array;
}

export interface BusSubproblemSolver {
  /**
   * Solves at the given local slices of z and xi (both in protocol order, length of the local
   * vector) and rho.
   * @throws GridError when the subproblem has no solution.
   */
  solve(zLocal: Float64Array, xiLocal: Float64Array, rho: number): BusSolveResult;
  /**
   * Length of what a solve carries over to the next (solve count, previous point, last result,
   * the conic solver's warm start); 0 when the conic solver cannot save its warm start.
   */
  readonly stateSize: number;
  /** Writes the carried-over state into out[0..stateSize). */
  saveState(out: Float64Array): void;
  /**
   * Takes the state saved by another instance of the same bus (same subproblem, settings and
   * offsets): the next solve then gives that instance's result bit for bit. Lets worker threads
   * hand buses to each other.
   */
  loadState(from: Float64Array): void;
}

/** Every solver status, so a status can travel in a state vector as its index. */
const solveStatuses: readonly SolveStatus[] = [
  'solved', 'almostSolved', 'primalInfeasible', 'almostPrimalInfeasible', 'dualInfeasible', 'almostDualInfeasible',
  'maxIterations', 'timeLimit', 'insufficientProgress', 'numericalError',
];

/** What a bus may do locally without changing the protocol's fixed point (docs/admm.md). */
export interface BusLocalSettings {
  /**
   * Proximal weight on the bus's private variables, currency per p.u.²: adds
   * proximal/2·‖u − u_prev‖² (u_prev = its previous solution), which vanishes at a fixed point
   * and damps the bang-bang swings of linear devices. 0 = plain ADMM.
   */
  proximal?: number;
  /**
   * Multiplier of rho in this bus's own penalty, per kind of copy (default 1 each). The
   * coordinator's dual update keeps the protocol's rho; at a fixed point x = z, so the penalty
   * weight drops out of the optimality conditions and the optimum is unchanged.
   */
  penaltyFactor?: Partial<Record<CopyRole, number>>;
  /**
   * Fade both settings linearly to plain ADMM (proximal 0, factors 1) over this many solves
   * (default: never). They speed up the first hundreds of iterations, but while they act the local
   * balance duals (the DLMPs) carry their terms.
   */
  fadeOutIterations?: number;
}

/**
 * @param dualOffset optional fixed addition to xi per local value (a zero-sum dual warm start,
 *   see src/solve/admm/priceForecast.ts); the bus then minimises with xi + offset.
 */
export function createBusSubproblemSolver(
  sub: BusSubproblem,
  createSolver: ConicSolverFactory,
  settings: Partial<SolverSettings>,
  dualOffset?: Float64Array | null,
  local: BusLocalSettings = {},
): BusSubproblemSolver {
  const built = sub.program.problem;
  const { copyColumns, copyScale, copyDiagonal, privateColumns, privateDiagonal, periods } = sub;
  // The solver's copy variables are deviations d = u − z/scale from the current consensus, so the
  // penalty is rho·scale²/2·d² + scale·xi·d with no rho·z term (1e8·z at the paper's weights would
  // swamp the objective); z moves into the right-hand side: b − A_copy·(z/scale).
  const problem = built;
  const A = built.A;
  const solver = createSolver(problem, settings);
  let fallback: ConicSolver | null = null;
  const q = new Float64Array(sub.baseLinearCost.length);
  const b = new Float64Array(problem.b.length);
  const zCopy = new Float64Array(copyColumns.length);
  const pValues = Float64Array.from(sub.baseQuadraticValues);
  const proximal = local.proximal ?? 0;
  const roleFactor = copyRoles.map((role) => local.penaltyFactor?.[role] ?? 1);
  const fadeOut = local.fadeOutIterations ?? 0;
  let solves = 0;
  let currentFade = Number.NaN;
  let currentRho = Number.NaN;
  let currentProximal = Number.NaN;
  let previousX: Float64Array | null = null;
  let last: BusSolveResult | null = null;
  // state vector: solves, has a last result, its cost, status, IPM iterations, repeated; then the
  // previous point x (= last.x), last local, injections P and Q, prices P and Q; then the conic warm start
  const n = sub.baseLinearCost.length;
  const stateHeader = 6;
  const stateArrays = stateHeader + n + copyColumns.length + 4 * periods;
  const warmStartSize = solver.warmStartSize ?? 0;
  const movable = solver.saveWarmStart !== undefined && solver.loadWarmStart !== undefined;

  return {
    stateSize: movable ? stateArrays + warmStartSize : 0,
    saveState(out) {
      if (!movable) throw new InternalError(`the conic solver of bus ${sub.bus} cannot save its warm start`);
      out[0] = solves;
      out[1] = last ? 1 : 0;
      if (last) {
        out[2] = last.cost;
        out[3] = solveStatuses.indexOf(last.status);
        out[4] = last.solverIterations;
        out[5] = last.repeated ? 1 : 0;
        let at = stateHeader;
        for (const part of [last.x, last.local, last.injectionP, last.injectionQ, last.price, last.reactivePrice]) {
          out.set(part, at);
          at += part.length;
        }
      }
      solver.saveWarmStart!(out.subarray(stateArrays, stateArrays + warmStartSize));
    },
    loadState(from) {
      if (!movable) throw new InternalError(`the conic solver of bus ${sub.bus} cannot load a warm start`);
      solves = from[0]!;
      if (from[1] === 1) {
        let at = stateHeader;
        const take = (length: number) => from.slice(at, (at += length));
        const x = take(n);
        last = {
          x, local: take(copyColumns.length), injectionP: take(periods), injectionQ: take(periods),
          price: take(periods), reactivePrice: take(periods),
          cost: from[2]!, status: solveStatuses[from[3]!]!, solverIterations: from[4]!, repeated: from[5] === 1,
        };
        previousX = x;
      } else {
        last = null;
        previousX = null;
      }
      solver.loadWarmStart!(from.subarray(stateArrays, stateArrays + warmStartSize));
    },
    solve(zLocal, xiLocal, rho) {
      // The proximal term needs a previous point, so the first solve is plain.
      const fade = localSettingsFade(solves, fadeOut);
      solves++;
      const activeProximal = previousX ? proximal * fade : 0;
      if (rho !== currentRho || activeProximal !== currentProximal || fade !== currentFade) {
        for (let c = 0; c < copyDiagonal.length; c++) {
          const factor = fadedPenaltyFactor(roleFactor[sub.copyRole[c]!]!, fade);
          pValues[copyDiagonal[c]!] = factor * rho * copyScale[c]! * copyScale[c]!;
        }
        for (let j = 0; j < privateDiagonal.length; j++) pValues[privateDiagonal[j]!] = sub.baseQuadraticValues[privateDiagonal[j]!]! + activeProximal;
        solver.updateQuadraticCostValues(pValues);
        currentRho = rho;
        currentProximal = activeProximal;
        currentFade = fade;
      }
      q.set(sub.baseLinearCost);
      b.set(problem.b);
      for (let c = 0; c < copyColumns.length; c++) {
        const xi = dualOffset ? xiLocal[c]! + dualOffset[c]! : xiLocal[c]!;
        const col = copyColumns[c]!;
        q[col]! += copyScale[c]! * xi;
        const u = zLocal[c]! / copyScale[c]!;
        zCopy[c] = u;
        for (let k = A.colptr[col]!; k < A.colptr[col + 1]!; k++) b[A.rowval[k]!]! -= A.nzval[k]! * u;
      }
      solver.updateRhs(b);
      if (activeProximal > 0 && previousX) {
        for (let j = 0; j < privateColumns.length; j++) q[privateColumns[j]!]! -= activeProximal * previousX[privateColumns[j]!]!;
      }
      solver.updateLinearCost(q);
      let solution = solver.solve();
      if (!usable(solution, q, b)) {
        // One retry on a second instance without equilibration (fallbackSettings).
        fallback ??= createSolver(problem, { ...settings, ...fallbackSettings });
        fallback.updateQuadraticCostValues(pValues);
        fallback.updateRhs(b);
        fallback.updateLinearCost(q);
        const retry = fallback.solve();
        if (usable(retry, q, b)) solution = retry;
      }
      if (!usable(solution, q, b) && last) {
        // Both solves failed mid-run: the bus repeats its last local vector (an inexact ADMM step) rather than stop the run.
        last = { ...last, status: solution.status, solverIterations: solution.iterations, repeated: true };
        return last;
      }
      if (!usable(solution, q, b)) {
        throw new GridError(`the ADMM subproblem of bus ${sub.bus} stopped with solver status ${solution.status}`, {
          field: `buses[${sub.bus}]`,
          fix: ['check that the bus can balance its devices within its voltage limits (run the central OPF first)', 'try a smaller --rho'],
          details: [`after ${solution.iterations} interior-point iterations: primal residual ${solution.primalResidual.toExponential(2)}, dual residual ${solution.dualResidual.toExponential(2)}, gap ${solution.gap.toExponential(2)}`],
          exitCode: 3,
        });
      }
      const x = Float64Array.from(solution.x);
      for (let c = 0; c < copyColumns.length; c++) x[copyColumns[c]!]! += zCopy[c]!;
      previousX = x;
      const local = new Float64Array(copyColumns.length);
      for (let c = 0; c < copyColumns.length; c++) local[c] = copyScale[c]! * x[copyColumns[c]!]!;
      const inj = sub.devices.injection;
      const injectionP = injectionValues(inj.active, inj.pConstant, x);
      const injectionQ = injectionValues(inj.reactive, inj.qConstant, x);
      const price = new Float64Array(periods);
      const reactivePrice = new Float64Array(periods);
      for (let t = 0; t < periods; t++) {
        price[t] = solution.y[sub.balancePRows[t]!]! * sub.priceScale;
        reactivePrice[t] = solution.y[sub.balanceQRows[t]!]! * sub.priceScale;
      }
      last = {
        local, injectionP, injectionQ, price, reactivePrice,
        cost: ownCost(sub, x),
        status: solution.status,
        solverIterations: solution.iterations,
        repeated: false,
        x: previousX,
      };
      return last;
    },
  };
}

/**
 * Relative accuracy at which a solve that stopped short of its tolerances (insufficient progress,
 * iteration limit) is still used: far below what ADMM's own residuals can see, and it keeps a run
 * with badly scaled penalties (rho 1e8 per unit at the paper's settings) from failing on one bus.
 */
export const acceptableSubproblemAccuracy = 1e-6;

/**
 * Settings of the retry after a failed subproblem solve: no Ruiz equilibration. At the paper's
 * weights (penalty diagonal 1e8) equilibration sent bus 33 at iteration 173 to an objective of 4e7
 * (insufficient progress, residual 1e4); without it the same solve is solved in 11 iterations.
 */
const fallbackSettings: Partial<SolverSettings> = { equilibrate: false, maxIter: 200, warmStart: false };

function usable(solution: ConicSolution, q: Float64Array, b: Float64Array): boolean {
  if (solution.status === 'solved' || solution.status === 'almostSolved') return true;
  if (solution.status !== 'insufficientProgress' && solution.status !== 'maxIterations' && solution.status !== 'numericalError') return false;
  const tol = acceptableSubproblemAccuracy;
  return solution.primalResidual <= tol * (1 + maxAbs(b))
    && solution.dualResidual <= tol * (1 + maxAbs(q))
    && Math.abs(solution.gap) <= tol * (1 + Math.abs(solution.objective));
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let k = 0; k < v.length; k++) m = Math.max(m, Math.abs(v[k]!));
  return m;
}

/** ½x'P₀x + q₀'x + constant with the bus's own cost data (no ADMM terms); P₀ is upper triangular. */
export function ownCost(sub: BusSubproblem, x: ArrayLike<number>): number {
  const P = sub.program.problem.P;
  let cost = sub.program.constantCost;
  for (let j = 0; j < P.ncols; j++) {
    cost += sub.baseLinearCost[j]! * x[j]!;
    for (let k = P.colptr[j]!; k < P.colptr[j + 1]!; k++) {
      const i = P.rowval[k]!;
      const h = sub.baseQuadraticValues[k]!;
      cost += i === j ? 0.5 * h * x[j]! * x[j]! : h * x[i]! * x[j]!;
    }
  }
  return cost;
}

/** Weight of the local settings at a bus's solve number `solves` (0-based): 1 fading linearly to 0 over `fadeOutIterations` (0 = never fades). */
export function localSettingsFade(solves: number, fadeOutIterations: number): number {
  return fadeOutIterations > 0 ? Math.max(0, 1 - solves / fadeOutIterations) : 1;
}

/** A copy's penalty factor at weight `fade`: the configured factor, faded towards plain ADMM's 1. */
export function fadedPenaltyFactor(factor: number, fade: number): number {
  return 1 + (factor - 1) * fade;
}
