/**
 * Acceleration of consensus ADMM by public offsets (docs/admm.md §Acceleration): the buses solve at
 * a point (ẑ^k, x̂i^k) that every party computes identically from the public history (z^j, xi^j
 * and the local vectors x^j, j ≤ k, all on chain), while the protocol's coordinator step runs
 * unchanged. With alpha = 1 the protocol's z^{k+1} = avg(x^k) is the accelerated algorithm's z
 * too, and the accelerated dual is the protocol's xi plus the public offset x̂i^k − xi^k, which
 * sums to zero over the copies of every entry (a combination of zero-sum vectors), so it is the
 * same kind of term as the dual warm start.
 *
 * Rules:
 * - 'nesterov': Goldstein, O'Donoghue, Setzer & Baraniuk 2014 ("Fast alternating direction
 *   optimization methods", Algorithm 8): momentum on (z, xi) with the combined residual
 *   c_k = ‖xi^{k+1} − x̂i^k‖²/rho + rho·‖B(z^{k+1} − ẑ^k)‖² and a restart when c_k ≥ eta·c_{k−1}.
 * - 'anderson': type-II Anderson acceleration of the map (ẑ, x̂i) ↦ (z^{k+1}, xi^{k+1}) on the
 *   scaled pair (√rho·√n·z, xi/√rho) (as SCS does for its iterates), memory m, normal equations
 *   with a small Tikhonov term, and a restart (memory cleared) when the fixed-point residual grows.
 * The loop (admmLoop.ts) stops on the accelerated algorithm's own Boyd test: the protocol's
 * s = rho·‖B(z^{k+1} − z^k)‖ is not its dual residual (Anderson met the protocol's test on SCE-56 at
 * a 5.8 % cost gap). Measured on SCE-56, neither rule beats the defaults (docs/admm.md), so the
 * default is 'none'. Pure and deterministic: same inputs, same bits.
 */
import type { CouplingLayout } from '../../model/coupling/couplingLayout.js';

export type AdmmAcceleration =
  | { kind: 'none' }
  | { kind: 'nesterov'; restart: number; dualsOnly?: boolean; maxBeta?: number; fromIteration?: number }
  | { kind: 'anderson'; memory: number; regularization: number; safeguard: number; fromIteration?: number };

/** The point the buses solve at; z has G values, xi C values (protocol order). */
export interface AcceleratedPoint {
  z: Float64Array;
  xi: Float64Array;
}

export interface Accelerator {
  /**
   * Given the point the buses solved at and the algorithm's step from it (z^{k+1}, xi^{k+1}),
   * returns the next point to solve at.
   */
  next(solvedAt: AcceleratedPoint, stepped: AcceleratedPoint, rho: number): AcceleratedPoint;
  /** Restarts so far (momentum reset or memory cleared). */
  restarts(): number;
}

export function createAccelerator(layout: CouplingLayout, rule: AdmmAcceleration): Accelerator {
  if (rule.kind === 'nesterov') return nesterovAccelerator(layout, rule.restart, rule.dualsOnly ?? false, rule.maxBeta ?? 1);
  if (rule.kind === 'anderson') return andersonAccelerator(layout, rule.memory, rule.regularization, rule.safeguard);
  return { next: (_at, stepped) => stepped, restarts: () => 0 };
}

function nesterovAccelerator(layout: CouplingLayout, eta: number, dualsOnly: boolean, maxBeta: number): Accelerator {
  const { copyCount } = layout;
  let momentum = 1;
  let previous: AcceleratedPoint | null = null;
  let previousCombined = Number.POSITIVE_INFINITY;
  let restarts = 0;
  return {
    next(at, stepped, rho) {
      // Combined residual (Goldstein et al. eq. 31) with B = the copy counts of the consensus constraint.
      let dual2 = 0;
      for (let c = 0; c < stepped.xi.length; c++) dual2 += (stepped.xi[c]! - at.xi[c]!) ** 2;
      let primal2 = 0;
      for (let g = 0; g < stepped.z.length; g++) primal2 += copyCount[g]! * (stepped.z[g]! - at.z[g]!) ** 2;
      const combined = dual2 / rho + rho * primal2;
      let point: AcceleratedPoint;
      if (previous && combined < eta * previousCombined) {
        const nextMomentum = (1 + Math.sqrt(1 + 4 * momentum * momentum)) / 2;
        const beta = Math.min(maxBeta, (momentum - 1) / nextMomentum);
        point = { z: dualsOnly ? Float64Array.from(stepped.z) : extrapolate(stepped.z, previous.z, beta), xi: extrapolate(stepped.xi, previous.xi, beta) };
        momentum = nextMomentum;
        previousCombined = combined;
      } else {
        // Restart: no momentum this step (the plain ADMM step from the new iterate).
        if (previous) restarts++;
        momentum = 1;
        point = { z: Float64Array.from(stepped.z), xi: Float64Array.from(stepped.xi) };
        previousCombined = previous ? previousCombined / eta : combined;
      }
      previous = { z: Float64Array.from(stepped.z), xi: Float64Array.from(stepped.xi) };
      return point;
    },
    restarts: () => restarts,
  };
}

/** a + beta·(a − b), a new array. */
function extrapolate(a: Float64Array, b: Float64Array, beta: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = a[k]! + beta * (a[k]! - b[k]!);
  return out;
}

function andersonAccelerator(layout: CouplingLayout, memory: number, regularization: number, safeguard: number): Accelerator {
  const G = layout.globalSize;
  const { copyCount } = layout;
  // History of scaled points u_j and residuals g_j = F(u_j) − u_j (oldest first).
  let us: Float64Array[] = [];
  let gs: Float64Array[] = [];
  let fs: Float64Array[] = [];
  let lastResidual = Number.POSITIVE_INFINITY;
  let restarts = 0;
  const pack = (p: AcceleratedPoint, rho: number): Float64Array => {
    const u = new Float64Array(G + p.xi.length);
    for (let g = 0; g < G; g++) u[g] = Math.sqrt(rho * copyCount[g]!) * p.z[g]!;
    for (let c = 0; c < p.xi.length; c++) u[G + c] = p.xi[c]! / Math.sqrt(rho);
    return u;
  };
  const unpack = (u: Float64Array, rho: number): AcceleratedPoint => {
    const z = new Float64Array(G);
    for (let g = 0; g < G; g++) z[g] = u[g]! / Math.sqrt(rho * copyCount[g]!);
    const xi = new Float64Array(u.length - G);
    for (let c = 0; c < xi.length; c++) xi[c] = u[G + c]! * Math.sqrt(rho);
    return { z, xi };
  };
  return {
    next(at, stepped, rho) {
      const u = pack(at, rho);
      const f = pack(stepped, rho);
      const g = new Float64Array(u.length);
      let residual = 0;
      for (let k = 0; k < u.length; k++) {
        g[k] = f[k]! - u[k]!;
        residual += g[k]! * g[k]!;
      }
      residual = Math.sqrt(residual);
      if (residual > safeguard * lastResidual) {
        // The accelerated point made things worse: forget the history, take the plain step.
        us = [];
        gs = [];
        fs = [];
        restarts++;
      }
      lastResidual = residual;
      us.push(u);
      gs.push(g);
      fs.push(f);
      if (us.length > memory + 1) {
        us.shift();
        gs.shift();
        fs.shift();
      }
      const m = gs.length - 1;
      if (m === 0) return unpack(f, rho);
      // Differences ΔG_j = g_{j+1} − g_j, ΔF_j = F_{j+1} − F_j; γ = argmin ‖g_k − ΔG γ‖² + reg·‖ΔG‖²‖γ‖².
      const dG: Float64Array[] = [];
      const dF: Float64Array[] = [];
      for (let j = 0; j < m; j++) {
        dG.push(difference(gs[j + 1]!, gs[j]!));
        dF.push(difference(fs[j + 1]!, fs[j]!));
      }
      const gram = Array.from({ length: m }, () => new Float64Array(m));
      const rhs = new Float64Array(m);
      let trace = 0;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j <= i; j++) {
          const v = dot(dG[i]!, dG[j]!);
          gram[i]![j] = v;
          gram[j]![i] = v;
        }
        trace += gram[i]![i]!;
        rhs[i] = dot(dG[i]!, g);
      }
      for (let i = 0; i < m; i++) gram[i]![i]! += regularization * trace;
      const gamma = solveSymmetric(gram, rhs);
      if (!gamma) return unpack(f, rho);
      const next = Float64Array.from(f);
      for (let j = 0; j < m; j++) {
        const d = dF[j]!;
        const w = gamma[j]!;
        for (let k = 0; k < next.length; k++) next[k]! -= w * d[k]!;
      }
      return unpack(next, rho);
    },
    restarts: () => restarts,
  };
}

function difference(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = a[k]! - b[k]!;
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

/** Cholesky solve of a small symmetric positive definite system; null when it is not. */
function solveSymmetric(a: Float64Array[], b: Float64Array): Float64Array | null {
  const n = b.length;
  const L = a.map((row) => Float64Array.from(row));
  for (let j = 0; j < n; j++) {
    let d = L[j]![j]!;
    for (let k = 0; k < j; k++) d -= L[j]![k]! * L[j]![k]!;
    if (!(d > 0)) return null;
    const root = Math.sqrt(d);
    L[j]![j] = root;
    for (let i = j + 1; i < n; i++) {
      let s = L[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = s / root;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i]![k]! * y[k]!;
    y[i] = s / L[i]![i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k]![i]! * y[k]!;
    y[i] = s / L[i]![i]!;
  }
  return y;
}

