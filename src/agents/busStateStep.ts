/**
 * One bus's slice of the coordinator step: z^{k+1} at its copies and its duals xi^{k+1}, from
 * iteration k's inputs (x^k of every bus, z^k, xi^k: the submitIteration calldata the contract
 * accepted). The same arithmetic as the bigint mirror src/chain/fixedPointCoordinator.ts
 * `fixedPointCoordinatorStep` (docs/admm-protocol.md §Fixed point; model.md eqs. 16–17), but
 * only over the entries this bus holds a copy of: a bus needs ~1/50 of the state, so the full
 * step (≈ 8,000 bigint duals on SCE-56, tens of ms per thread per iteration) is not recomputed
 * by every agent. Tested equal to the full mirror's slice (busStateStep.test.ts).
 */
import type { CouplingLayout } from '../model/coupling/couplingLayout.js';
import { assertInt64, fixedPointScale as S, int64Max, int64Min } from '../chain/fixedPoint.js';
import { entryCopies, type FixedPointParams } from '../chain/fixedPointCoordinator.js';

/** Iteration k's step inputs, every bus's local values concatenated (layout.localOffset order). */
export interface StepInputsFlat {
  /** x^k, one value per local copy and period (bus b at localOffset[b] + j·T + t). */
  x: ArrayLike<bigint>;
  /** z^k, global order (entry · T + t). */
  zPrev: ArrayLike<bigint>;
  /**
   * xi^k, one per local value. Only every copy but each entry's last is read: the last is minus
   * the others' sum (the chain does not carry it; readStepInputs.ts leaves it 0, busPreviousDuals
   * derives it).
   */
  xiPrev: ArrayLike<bigint>;
  /** rho^k. */
  rho: bigint;
}

/** Truncating division toward zero (Solidity and bigint agree). */
const div = (a: bigint, b: bigint) => a / b;

/** assertInt64 with the field name built only for the error (a string per value cost more than the step). */
const narrow = (v: bigint, field: () => string) => (v < int64Min || v > int64Max ? assertInt64(v, field()) : v);

/**
 * Bus `bus`'s z^{k+1} (copyMap order) and xi^{k+1} (its local order), bit for bit what the full
 * mirror step gives for this bus.
 */
export function busStateStep(layout: CouplingLayout, params: Pick<FixedPointParams, 'alpha'>, inputs: StepInputsFlat, bus: number): { z: bigint[]; xi: bigint[] } {
  const { copyStart, localIndexOfCopy } = entryCopies(layout);
  const T = layout.periods;
  const alpha = params.alpha;
  const beta = S - alpha;
  const { x, zPrev, xiPrev, rho } = inputs;
  const entries = layout.busCopyEntries[bus]!;
  const own = layout.localOffset[bus]!;
  const z = new Array<bigint>(entries.length * T);
  const xi = new Array<bigint>(entries.length * T);
  for (let j = 0; j < entries.length; j++) {
    const e = entries[j]!;
    const c0 = copyStart[e]!;
    const ne = copyStart[e + 1]! - c0;
    const n = BigInt(ne);
    let q0 = 0;
    while (localIndexOfCopy[c0 + q0] !== own + j * T) q0++;
    for (let t = 0; t < T; t++) {
      const zOld = zPrev[e * T + t]!;
      let sum = 0n;
      for (let q = 0; q < ne; q++) sum += div(alpha * x[localIndexOfCopy[c0 + q]! + t]! + beta * zOld, S); // step 1
      const zNew = narrow(div(sum, n), () => `z[${e * T + t}]`); // step 2, eq. 16
      z[j * T + t] = zNew;
      const dualOf = (q: number) => {
        const c = localIndexOfCopy[c0 + q]! + t;
        const xh = div(alpha * x[c]! + beta * zOld, S);
        return narrow(xiPrev[c]! + div(rho * (xh - zNew), S), () => `xi[${c}]`); // eq. 17
      };
      if (q0 + 1 < ne) xi[j * T + t] = dualOf(q0);
      else {
        // The last copy's dual is minus the others' (an entry's duals sum to zero).
        let others = 0n;
        for (let q = 0; q + 1 < ne; q++) others += dualOf(q);
        xi[j * T + t] = -others;
      }
    }
  }
  return { z, xi };
}

/**
 * Bus `bus`'s xi^k (its local order) from the every-copy-but-the-last duals in `xiPrev`: where
 * the bus holds an entry's last copy, minus the other copies' sum, exactly (docs/admm-protocol.md
 * §Dual of the last copy).
 */
export function busPreviousDuals(layout: CouplingLayout, xiPrev: ArrayLike<bigint>, bus: number): bigint[] {
  const { copyStart, localIndexOfCopy } = entryCopies(layout);
  const T = layout.periods;
  const entries = layout.busCopyEntries[bus]!;
  const own = layout.localOffset[bus]!;
  const xi = new Array<bigint>(entries.length * T);
  for (let j = 0; j < entries.length; j++) {
    const c0 = copyStart[entries[j]!]!;
    const last = copyStart[entries[j]! + 1]! - 1;
    const holdsLast = localIndexOfCopy[last] === own + j * T;
    for (let t = 0; t < T; t++) {
      if (!holdsLast) { xi[j * T + t] = xiPrev[own + j * T + t]!; continue; }
      let others = 0n;
      for (let c = c0; c < last; c++) others += xiPrev[localIndexOfCopy[c]! + t]!;
      xi[j * T + t] = -others;
    }
  }
  return xi;
}
