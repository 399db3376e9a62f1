/**
 * The consensus-ADMM coordinator step in floating point, exactly as docs/admm-protocol.md
 * §Coordinator step lays it out (same step order and names as the bigint mirror and the
 * contract): over-relaxation, averaging (model.md eq. 16), dual update (eq. 17), squared
 * residuals, Boyd et al. 2011 §3.3 stopping with the relative norms over the line copies (or the
 * paper's fixed tolerances) and residual balancing. Pure and deterministic: the sums run in bus
 * order, then copy order.
 */
import { GridError, InternalError } from '../../core/errors.js';
import type { CouplingLayout } from '../../model/coupling/couplingLayout.js';

/** Stopping rule: Boyd's absolute + relative tolerances, or the paper's fixed ones (eq. 19). */
export type StoppingRule =
  | { kind: 'boyd'; epsAbs: number; epsRel: number }
  | { kind: 'fixed'; epsPri: number; epsDual: number };

export interface CoordinatorSettings {
  /** Over-relaxation alpha in (0, 2); 1 = plain ADMM. */
  alpha: number;
  stopping: StoppingRule;
  /** Residual balancing (protocol step 6); null keeps rho fixed. */
  residualBalancing: { mu: number; tau: number } | null;
}

export interface CoordinatorState {
  /** Global values, length G. */
  z: Float64Array;
  /** One unscaled dual per local value, length C (bus order, then copy order). */
  xi: Float64Array;
  rho: number;
  iteration: number;
  converged: boolean;
}

export interface CoordinatorStepResult {
  state: CoordinatorState;
  /** r and s of protocol step 4 (square roots of r², s²), and the thresholds they were held to. */
  primalResidual: number;
  dualResidual: number;
  epsPri: number;
  epsDual: number;
  /** The rho the step used (rho^k); `state.rho` is rho^{k+1}. */
  rhoUsed: number;
}

/** Protocol §State: xi = 0, the given z (default flows 0, voltageSq 1), rho = rho0, k = 0. */
export function initialCoordinatorState(layout: CouplingLayout, rho0: number, z0?: Float64Array): CoordinatorState {
  if (!(rho0 > 0) || !Number.isFinite(rho0)) {
    throw new GridError(`rho must be a positive number, got ${rho0}`, { field: 'rho', fix: ['omit --rho for the default (30 per MW², i.e. 30·baseMVA² per p.u.²), or pass a positive number'] });
  }
  let z: Float64Array;
  if (z0) {
    if (z0.length !== layout.globalSize) throw new InternalError(`initial z has ${z0.length} values, the layout ${layout.globalSize}`);
    z = Float64Array.from(z0);
  } else {
    z = new Float64Array(layout.globalSize);
    layout.entries.forEach((entry, e) => {
      if (entry.quantity === 'voltageSq') z.fill(1, e * layout.periods, (e + 1) * layout.periods);
    });
  }
  return { z, xi: new Float64Array(layout.totalCopies), rho: rho0, iteration: 0, converged: false };
}

/**
 * One coordinator step (protocol steps 1–7). `localValues` is the concatenation of every bus's
 * local vector x_b in bus order (bus b at `layout.localOffset[b]`), length C.
 * @throws InternalError when the sizes do not match the layout.
 */
export function coordinatorStep(
  layout: CouplingLayout,
  state: CoordinatorState,
  localValues: Float64Array,
  settings: CoordinatorSettings,
): CoordinatorStepResult {
  const { globalSize: G, totalCopies: C, copyCount, copyMap, busCopyEntries, entries, periods: T, busCount } = layout;
  if (localValues.length !== C) throw new InternalError(`coordinator got ${localValues.length} local values, layout has ${C}`);
  if (state.z.length !== G || state.xi.length !== C) throw new InternalError('coordinator state does not match the layout');
  const { alpha } = settings;
  const rho = state.rho;
  const zOld = state.z;

  // 1–2. Over-relaxation and averaging (eq. 16); xhat is kept for the dual update.
  const xhat = new Float64Array(C);
  const sum = new Float64Array(G);
  for (let b = 0, c = 0; b < busCount; b++) {
    const map = copyMap[b]!;
    for (let j = 0; j < map.length; j++, c++) {
      const g = map[j]!;
      const value = alpha * localValues[c]! + (1 - alpha) * zOld[g]!;
      xhat[c] = value;
      sum[g]! += value;
    }
  }
  const z = new Float64Array(G);
  for (let g = 0; g < G; g++) z[g] = sum[g]! / copyCount[g]!;

  // 3–4. Dual update (eq. 17) and squared residuals, with the norms the stopping rule needs.
  // ‖x‖ and ‖Bz‖ run over the line copies only (protocol step 5): a squared voltage (≈ 1 p.u.
  // per copy) would set eps_pri whatever the flows are.
  const xi = new Float64Array(C);
  let r2 = 0;
  let lineX2 = 0;
  let xi2 = 0;
  for (let b = 0, c = 0; b < busCount; b++) {
    const map = copyMap[b]!;
    const copyEntries = busCopyEntries[b]!;
    for (let j = 0; j < copyEntries.length; j++) {
      const isLine = entries[copyEntries[j]!]!.quantity !== 'voltageSq';
      for (let t = 0; t < T; t++, c++) {
        const g = map[j * T + t]!;
        const updated = state.xi[c]! + rho * (xhat[c]! - z[g]!);
        xi[c] = updated;
        const diff = localValues[c]! - z[g]!;
        r2 += diff * diff;
        if (isLine) lineX2 += localValues[c]! * localValues[c]!;
        xi2 += updated * updated;
      }
    }
  }
  let s2 = 0;
  let lineBz2 = 0;
  for (let e = 0, g = 0; e < entries.length; e++) {
    const isLine = entries[e]!.quantity !== 'voltageSq';
    for (let t = 0; t < T; t++, g++) {
      const d = rho * (z[g]! - zOld[g]!);
      s2 += copyCount[g]! * d * d;
      if (isLine) lineBz2 += copyCount[g]! * z[g]! * z[g]!;
    }
  }

  // 5. Stopping.
  let epsPri: number;
  let epsDual: number;
  const stop = settings.stopping;
  if (stop.kind === 'boyd') {
    const base = Math.sqrt(C) * stop.epsAbs;
    epsPri = base + stop.epsRel * Math.max(Math.sqrt(lineX2), Math.sqrt(lineBz2));
    epsDual = base + stop.epsRel * Math.sqrt(xi2);
  } else {
    epsPri = stop.epsPri;
    epsDual = stop.epsDual;
  }
  const converged = r2 <= epsPri * epsPri && s2 <= epsDual * epsDual;

  // 6. Residual balancing, compared squared as the fixed-point mirror does.
  let nextRho = rho;
  const balancing = settings.residualBalancing;
  if (balancing && !converged) {
    const mu2 = balancing.mu * balancing.mu;
    if (r2 > mu2 * s2) nextRho = rho * balancing.tau;
    else if (s2 > mu2 * r2) nextRho = rho / balancing.tau;
  }

  return {
    state: { z, xi, rho: nextRho, iteration: state.iteration + 1, converged },
    primalResidual: Math.sqrt(r2),
    dualResidual: Math.sqrt(s2),
    epsPri,
    epsDual,
    rhoUsed: rho,
  };
}
