/**
 * The bigint mirror of AdmmCoordinator.sol: the coordinator step of docs/admm-protocol.md
 * §Fixed point, bit for bit, and the state hash exactly as the contract computes it.
 * Never uses JS numbers for anything hashed.
 */
import { encodePacked, keccak256, concat, type Hex } from 'viem';
import type { CouplingLayout } from '../model/coupling/couplingLayout.js';
import { GridError } from '../core/errors.js';
import { assertInt64, fixedPointScale as S, isqrt, packInt64 } from './fixedPoint.js';

export interface FixedPointParams {
  /** All at scale S = 1e9. */
  alpha: bigint;
  mu: bigint;
  tau: bigint;
  epsAbs: bigint;
  epsRel: bigint;
  residualBalancing: boolean;
}

export interface FixedPointState {
  /** z, global order (entry · T + t). */
  z: bigint[];
  /** One dual per local value, bus order then copy order (layout.localOffset + j). */
  xi: bigint[];
  rho: bigint;
  iteration: bigint;
  converged: boolean;
}

export interface FixedPointStepResult {
  state: FixedPointState;
  primalResidualSq: bigint;
  dualResidualSq: bigint;
  /** ‖x‖² and ‖Bz‖² over the line copies only (voltages left out, docs/admm-protocol.md step 5). */
  lineXNormSq: bigint;
  lineBzNormSq: bigint;
  xiNormSq: bigint;
  epsPri: bigint;
  epsDual: bigint;
  converged: boolean;
}

/** Copies of every global entry in increasing bus order: flat local indices into xi / x. */
export interface EntryCopies {
  /** copies of entry e are localIndexOfCopy[copyStart[e] .. copyStart[e+1]) for period 0. */
  copyStart: Int32Array;
  /** local index (in the concatenated local vectors) of each copy at period 0. */
  localIndexOfCopy: Int32Array;
}

const cache = new WeakMap<CouplingLayout, EntryCopies>();

/** Groups the local copies by entry, buses ascending (the contract's copy order). */
export function entryCopies(layout: CouplingLayout): EntryCopies {
  const hit = cache.get(layout);
  if (hit) return hit;
  const T = layout.periods;
  const entryCount = layout.entries.length;
  const lists: number[][] = Array.from({ length: entryCount }, () => []);
  for (let b = 0; b < layout.busCount; b++) {
    const list = layout.busCopyEntries[b]!;
    for (let j = 0; j < list.length; j++) lists[list[j]!]!.push(layout.localOffset[b]! + j * T);
  }
  const copyStart = new Int32Array(entryCount + 1);
  for (let e = 0; e < entryCount; e++) copyStart[e + 1] = copyStart[e]! + lists[e]!.length;
  const result = { copyStart, localIndexOfCopy: Int32Array.from(lists.flat()) };
  cache.set(layout, result);
  return result;
}

/** Initial state: xi = 0, the given z (default flows 0, voltageSq 1 p.u.), iteration 0. */
export function initialFixedPointState(layout: CouplingLayout, rho0: bigint, z?: readonly bigint[]): FixedPointState {
  const z0 = z ? [...z] : new Array<bigint>(layout.globalSize).fill(0n);
  if (!z) {
    for (let e = 0; e < layout.entries.length; e++) {
      if (layout.entries[e]!.quantity === 'voltageSq') for (let t = 0; t < layout.periods; t++) z0[e * layout.periods + t] = S;
    }
  }
  return { z: z0, xi: new Array<bigint>(layout.totalCopies).fill(0n), rho: rho0, iteration: 0n, converged: false };
}

/** Truncating division toward zero (Solidity and bigint agree). */
const div = (a: bigint, b: bigint) => a / b;

/**
 * One coordinator step on the concatenation of all local vectors (each bus in copyMap order).
 * @throws GridError when a vector has the wrong length or a narrowed value leaves int64.
 */
export function fixedPointCoordinatorStep(
  layout: CouplingLayout,
  state: FixedPointState,
  localVectors: readonly (readonly bigint[])[],
  params: FixedPointParams,
): FixedPointStepResult {
  if (state.converged) throw new GridError('the run has already converged', { field: 'state.converged', fix: ['finalize the schedule instead of stepping'] });
  if (localVectors.length !== layout.busCount) {
    throw new GridError(`expected ${layout.busCount} local vectors, got ${localVectors.length}`, { field: 'localVectors', fix: ['give one vector per bus in bus order'] });
  }
  const x: bigint[] = [];
  for (let b = 0; b < layout.busCount; b++) {
    const v = localVectors[b]!;
    if (v.length !== layout.copyMap[b]!.length) {
      throw new GridError(`bus ${b} sent ${v.length} values, expected ${layout.copyMap[b]!.length}`, { field: `localVectors[${b}]`, fix: ['send one value per local copy and period (copyMap order)'] });
    }
    for (const value of v) x.push(assertInt64(value, `localVectors[${b}]`));
  }
  const { copyStart, localIndexOfCopy } = entryCopies(layout);
  const T = layout.periods;
  const { alpha } = params;
  const beta = S - alpha;
  const rho = state.rho;
  const z = new Array<bigint>(layout.globalSize);
  const xi = new Array<bigint>(layout.totalCopies);
  let r2 = 0n, s2 = 0n, lineX2 = 0n, lineBz2 = 0n, xi2 = 0n;
  for (let e = 0; e < layout.entries.length; e++) {
    const c0 = copyStart[e]!;
    const ne = copyStart[e + 1]! - c0;
    const n = BigInt(ne);
    // Only line copies count in the relative norms: a squared voltage is ≈ 1 p.u. per copy.
    const isLine = layout.entries[e]!.quantity !== 'voltageSq';
    for (let t = 0; t < T; t++) {
      const g = e * T + t;
      const zOld = state.z[g]!;
      let sum = 0n;
      for (let q = 0; q < ne; q++) sum += div(alpha * x[localIndexOfCopy[c0 + q]! + t]! + beta * zOld, S); // step 1
      const zNew = assertInt64(div(sum, n), `z[${g}]`); // step 2, eq. 16
      z[g] = zNew;
      let lastSum = 0n;
      for (let q = 0; q < ne; q++) {
        const c = localIndexOfCopy[c0 + q]! + t;
        const xq = x[c]!;
        r2 += (xq - zNew) ** 2n; // eq. 18
        if (isLine) lineX2 += xq * xq;
        if (q + 1 < ne) {
          const xh = div(alpha * xq + beta * zOld, S);
          const v = assertInt64(state.xi[c]! + div(rho * (xh - zNew), S), `xi[${c}]`); // eq. 17
          xi[c] = v;
          lastSum += v;
          xi2 += v * v;
        } else {
          // The last copy's dual is minus the others' (an entry's duals sum to zero); it is never
          // transported, so, as on chain, it is not narrowed to int64.
          const v = -lastSum;
          xi[c] = v;
          xi2 += v * v;
        }
      }
      const d = div(rho * (zNew - zOld), S);
      s2 += n * d * d; // eq. 19
      if (isLine) lineBz2 += n * zNew * zNew;
    }
  }
  const base = isqrt(BigInt(layout.totalCopies) * params.epsAbs * params.epsAbs);
  const xNorm = isqrt(lineX2);
  const bzNorm = isqrt(lineBz2);
  const epsPri = base + div(params.epsRel * (xNorm > bzNorm ? xNorm : bzNorm), S);
  const epsDual = base + div(params.epsRel * isqrt(xi2), S);
  const converged = r2 <= epsPri * epsPri && s2 <= epsDual * epsDual;
  let nextRho = rho;
  if (!converged && params.residualBalancing) {
    const mu2 = params.mu * params.mu;
    if (r2 > div(mu2 * s2, S * S)) nextRho = div(rho * params.tau, S);
    else if (s2 > div(mu2 * r2, S * S)) nextRho = div(rho * S, params.tau);
    if (nextRho <= 0n) throw new GridError(`rho left its range: ${nextRho}`, { field: 'rho', fix: ['use tau closer to 1'] });
    assertInt64(nextRho, 'rho');
  }
  return {
    state: { z, xi, rho: nextRho, iteration: state.iteration + 1n, converged },
    primalResidualSq: r2, dualResidualSq: s2, lineXNormSq: lineX2, lineBzNormSq: lineBz2, xiNormSq: xi2, epsPri, epsDual, converged,
  };
}

/** Periods [t0, t1) of each chunk. */
export function chunkRanges(periods: number, periodsPerChunk: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let t0 = 0; t0 < periods; t0 += periodsPerChunk) out.push([t0, Math.min(periods, t0 + periodsPerChunk)]);
  return out;
}

/** The chunk's z payload: entry-major, then period. */
export function chunkZ(layout: CouplingLayout, z: readonly bigint[], [t0, t1]: [number, number]): bigint[] {
  const out: bigint[] = [];
  for (let e = 0; e < layout.entries.length; e++) for (let t = t0; t < t1; t++) out.push(z[e * layout.periods + t]!);
  return out;
}

/** The chunk's compressed duals: entry, period, then every copy but the last (buses ascending). */
export function chunkDuals(layout: CouplingLayout, xi: readonly bigint[], [t0, t1]: [number, number]): bigint[] {
  const { copyStart, localIndexOfCopy } = entryCopies(layout);
  const out: bigint[] = [];
  for (let e = 0; e < layout.entries.length; e++) {
    for (let t = t0; t < t1; t++) for (let c = copyStart[e]!; c < copyStart[e + 1]! - 1; c++) out.push(xi[localIndexOfCopy[c]! + t]!);
  }
  return out;
}

/** Bus b's values for the chunk's periods: copy-major, then period (what the bus signs). */
export function chunkLocalVector(layout: CouplingLayout, b: number, vector: readonly bigint[], [t0, t1]: [number, number]): bigint[] {
  const out: bigint[] = [];
  for (let j = 0; j < layout.busCopyEntries[b]!.length; j++) for (let t = t0; t < t1; t++) out.push(vector[j * layout.periods + t]!);
  return out;
}

/** keccak(keccak(z bytes) || keccak(dual bytes)) of one chunk, as the contract stores it. */
export function chunkStateHash(layout: CouplingLayout, state: FixedPointState, range: [number, number]): Hex {
  const zBytes = packInt64(chunkZ(layout, state.z, range), 'z');
  const dBytes = packInt64(chunkDuals(layout, state.xi, range), 'xi');
  return keccak256(concat([keccak256(zBytes), keccak256(dBytes)]));
}

/** keccak(abi.encodePacked(uint64 iteration, int64 rho, bool converged, bytes32[] chunkHashes)). */
export function stateHash(layout: CouplingLayout, state: FixedPointState, periodsPerChunk: number = layout.periods): Hex {
  const hashes = chunkRanges(layout.periods, periodsPerChunk).map((r) => chunkStateHash(layout, state, r));
  return keccak256(encodePacked(['uint64', 'int64', 'bool', 'bytes32[]'], [state.iteration, state.rho, state.converged, hashes]));
}

/** Inverse of chunkZ: writes the chunk's z payload into the global z (entry · T + t). */
export function placeChunkZ(layout: CouplingLayout, z: bigint[], [t0, t1]: [number, number], payload: readonly bigint[]): void {
  expectLength(payload, layout.entries.length * (t1 - t0), 'zPrev');
  let i = 0;
  for (let e = 0; e < layout.entries.length; e++) for (let t = t0; t < t1; t++) z[e * layout.periods + t] = payload[i++]!;
}

/**
 * Inverse of chunkDuals: writes the compressed duals into xi (one per local value) and sets each
 * entry's last copy to minus the sum of the others (docs/admm-protocol.md §Dual of the last copy).
 */
export function placeChunkDuals(layout: CouplingLayout, xi: bigint[], [t0, t1]: [number, number], payload: readonly bigint[]): void {
  const { copyStart, localIndexOfCopy } = entryCopies(layout);
  expectLength(payload, (layout.totalCopies / layout.periods - layout.entries.length) * (t1 - t0), 'dualsPrev');
  let i = 0;
  for (let e = 0; e < layout.entries.length; e++) {
    for (let t = t0; t < t1; t++) {
      let sum = 0n;
      const last = copyStart[e + 1]! - 1;
      for (let c = copyStart[e]!; c < last; c++) {
        const v = payload[i++]!;
        xi[localIndexOfCopy[c]! + t] = v;
        sum += v;
      }
      xi[localIndexOfCopy[last]! + t] = -sum;
    }
  }
}

/** Inverse of the submitted x payload: every bus's chunk values written into its full vector. */
export function placeChunkLocalVectors(layout: CouplingLayout, vectors: bigint[][], [t0, t1]: [number, number], payload: readonly bigint[]): void {
  expectLength(payload, (layout.totalCopies / layout.periods) * (t1 - t0), 'x');
  let i = 0;
  for (let b = 0; b < layout.busCount; b++) {
    const v = vectors[b]!;
    for (let j = 0; j < layout.busCopyEntries[b]!.length; j++) for (let t = t0; t < t1; t++) v[j * layout.periods + t] = payload[i++]!;
  }
}

/** Bus b's view of the state: z at each of its local copies (copyMap order) and its duals. */
export function busStateSlice(layout: CouplingLayout, state: Pick<FixedPointState, 'z' | 'xi'>, bus: number): { z: bigint[]; xi: bigint[] } {
  const map = layout.copyMap[bus];
  if (!map) throw new GridError(`bus ${bus} does not exist`, { field: 'bus', fix: [`use 0 .. ${layout.busCount - 1}`] });
  const offset = layout.localOffset[bus]!;
  return { z: Array.from(map, (g) => state.z[g]!), xi: state.xi.slice(offset, offset + map.length) };
}

function expectLength(payload: readonly bigint[], expected: number, field: string): void {
  if (payload.length !== expected) {
    throw new GridError(`the ${field} payload has ${payload.length} values, expected ${expected}`, {
      field, fix: ['read it from a submitIteration call of this coordinator (same layout and chunking)'],
    });
  }
}
