/**
 * Public types of the conic solver. The problem form is Clarabel's:
 *
 *   minimize    ½ x'Px + q'x
 *   subject to  Ax + s = b,   s ∈ K = K_1 × K_2 × … (in the order of `cones`)
 *
 * Duals y satisfy the KKT conditions  Px + q + A'y = 0,  y ∈ K*,  s'y = 0.
 * So for an equality row a'x = b_i the multiplier y_i gives d(optimal value)/d(b_i) = −y_i.
 */

/** Compressed sparse column matrix (0-based). Row indices inside a column need not be sorted. */
export interface CscMatrix {
  nrows: number;
  ncols: number;
  /** length ncols + 1 */
  colptr: Int32Array;
  /** length nnz */
  rowval: Int32Array;
  /** length nnz */
  nzval: Float64Array;
}

/**
 * One block of the cone K, covering `dim` consecutive rows of A and b.
 * - zero:         s = 0 (equalities)
 * - nonnegative:  s ≥ 0 (inequalities Ax ≤ b)
 * - secondOrder:  s = (t, w), t ≥ ‖w‖₂, dim ≥ 1
 * - rotatedSecondOrder: s = (u, v, w), 2·u·v ≥ ‖w‖₂², u, v ≥ 0, dim ≥ 2 (the CBF `QUADROT` form);
 *   the solver maps it to a second-order cone internally and reports s and y in this form.
 */
export type ConeSpec =
  | { type: 'zero'; dim: number }
  | { type: 'nonnegative'; dim: number }
  | { type: 'secondOrder'; dim: number }
  | { type: 'rotatedSecondOrder'; dim: number };

export interface ConicProblem {
  /** Quadratic cost, n×n, upper triangle only (entries below the diagonal are an input error). */
  P: CscMatrix;
  q: Float64Array;
  /** m×n constraint matrix. */
  A: CscMatrix;
  b: Float64Array;
  /** Cone blocks in row order; their dims must add up to m. */
  cones: ConeSpec[];
}

export type SolveStatus =
  | 'solved'
  | 'almostSolved'
  | 'primalInfeasible'
  | 'almostPrimalInfeasible'
  | 'dualInfeasible'
  | 'almostDualInfeasible'
  | 'maxIterations'
  | 'timeLimit'
  | 'insufficientProgress'
  | 'numericalError';

export interface SolverSettings {
  /** Absolute duality gap tolerance. Default 1e-8. */
  tolGapAbs: number;
  /** Relative duality gap tolerance. Default 1e-8. */
  tolGapRel: number;
  /** Primal and dual feasibility tolerance (relative to data norms). Default 1e-8. */
  tolFeas: number;
  /** Infeasibility certificate tolerances. Default 1e-8 each. */
  tolInfeasAbs: number;
  tolInfeasRel: number;
  /** κ/τ ratio below which a point counts as solved rather than infeasible. Default 1e-6. */
  tolKtRatio: number;
  /** Reduced tolerances for `almostSolved` / `almost…Infeasible`. Defaults 5e-5, 5e-5, 1e-4, 5e-5, 5e-5, 1e-4. */
  reducedTolGapAbs: number;
  reducedTolGapRel: number;
  reducedTolFeas: number;
  reducedTolInfeasAbs: number;
  reducedTolInfeasRel: number;
  reducedTolKtRatio: number;
  /** Default 200. */
  maxIter: number;
  /** Wall-clock limit in milliseconds; Infinity (default) for none. */
  timeLimitMs: number;
  /** The same limit in seconds (the smaller of the two applies); Infinity (default) for none. */
  timeLimitSeconds: number;
  /** Fraction of the step to the cone boundary. Default 0.99. */
  maxStepFraction: number;
  /** Ruiz equilibration. Defaults: on, 10 passes, scalings clipped to [1e-4, 1e4]. */
  equilibrate: boolean;
  equilibrateMaxIter: number;
  equilibrateMinScaling: number;
  equilibrateMaxScaling: number;
  /** Static regularization: constant + proportional·max|diag|. Defaults on, 1e-8, eps². */
  staticRegularization: boolean;
  staticRegularizationConstant: number;
  staticRegularizationProportional: number;
  /** Dynamic regularization: pivots smaller than eps are replaced by ±delta. Defaults on, 1e-13, 2e-7. */
  dynamicRegularization: boolean;
  dynamicRegularizationEps: number;
  dynamicRegularizationDelta: number;
  /** Iterative refinement against the unregularized KKT matrix. Defaults on, 1e-13 rel, 1e-12 abs, 10 steps, stop ratio 5. */
  iterativeRefinement: boolean;
  iterativeRefinementRelTol: number;
  iterativeRefinementAbsTol: number;
  iterativeRefinementMaxIter: number;
  iterativeRefinementStopRatio: number;
  /** Start from the previous solution on re-solves (opt-in; falls back to a cold start if it stalls). Default false. */
  warmStart: boolean;
  /** Called once per interior-point iteration (progress only; must not throw). */
  onIteration?: (info: IterationInfo) => void;
}

export interface IterationInfo {
  iteration: number;
  primalObjective: number;
  dualObjective: number;
  gap: number;
  primalResidual: number;
  dualResidual: number;
  mu: number;
  stepLength: number;
}

export interface SolveTimings {
  /** Ordering, symbolic factorization and equilibration (first solve only; 0 on re-solves). */
  setupMs: number;
  /** Numeric factorizations, summed. */
  factorMs: number;
  /** Whole solve call. */
  solveMs: number;
}

export interface ConicSolution {
  status: SolveStatus;
  /** Primal point (or, for dualInfeasible, the unboundedness certificate direction). */
  x: Float64Array;
  s: Float64Array;
  /** Duals (or, for primalInfeasible, the Farkas certificate). */
  y: Float64Array;
  /** ½x'Px + q'x at x (NaN when infeasible). */
  objective: number;
  dualObjective: number;
  iterations: number;
  /** Final unscaled residuals: ‖Ax+s−b‖∞, ‖Px+q+A'y‖∞, |primal − dual objective|. */
  primalResidual: number;
  dualResidual: number;
  gap: number;
  timings: SolveTimings;
}

/** A solver instance for repeated solves with a fixed sparsity pattern (ADMM re-solves). */
export interface ConicSolver {
  /** Solve with the current data. */
  solve(): ConicSolution;
  /** Replace q (same length). Ordering and symbolic factorization are kept. */
  updateLinearCost(q: Float64Array): void;
  /** Replace b (same length). */
  updateRhs(b: Float64Array): void;
  /** Replace the nonzero values of P (same pattern, same order as the P given at creation). */
  updateQuadraticCostValues(values: Float64Array): void;
  /**
   * Length of the warm-start state (saveWarmStart/loadWarmStart): what a re-solve carries over
   * from the last solve. Optional: a solver without it cannot be moved between instances.
   */
  readonly warmStartSize?: number;
  /** Writes the warm-start state into out[0..warmStartSize). */
  saveWarmStart?(out: Float64Array): void;
  /**
   * Replaces the warm-start state with one saved by another instance of the same problem and
   * settings, so that its next solve gives the same result bit for bit as the saving instance's.
   */
  loadWarmStart?(from: Float64Array): void;
}
