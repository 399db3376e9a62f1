/**
 * A synthetic consensus problem for chain tests: bus b's cost on each local value c is
 * w/2 (x_c - a_c)^2, so its ADMM subproblem has the closed-form minimiser
 * x_c = (w a_c - xi_c + rho z_g) / (w + rho). Targets a_c are seeded.
 */
import { buildCouplingLayout, type CouplingLayout } from '../model/coupling/couplingLayout.js';
import { fromFixed, toFixed } from './fixedPoint.js';
import { chunkLocalVector, type FixedPointParams, type FixedPointState } from './fixedPointCoordinator.js';
import type { Address, Hex } from 'viem';
import { agentAccount } from './clients.js';
import { signLocalCopy } from './actions/signLocalCopy.js';

export const testParams: FixedPointParams & { rho0: bigint } = {
  rho0: 1_000_000_000n, alpha: 1_500_000_000n, mu: 10_000_000_000n, tau: 2_000_000_000n,
  epsAbs: 100_000n, epsRel: 1_000_000n, residualBalancing: true,
};

export interface SyntheticProblem {
  layout: CouplingLayout;
  /** targets per bus, copyMap order */
  targets: number[][];
  weight: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random tree of `buses` buses (parent[k] < k), or the given tree, with `periods` periods. */
export function syntheticProblem(buses: number, periods: number, seed = 7, tree?: readonly number[]): SyntheticProblem {
  const rand = mulberry32(seed);
  const parent = tree ? [...tree] : [-1];
  for (let k = parent.length; k < buses; k++) parent.push(Math.floor(rand() * k));
  const layout = buildCouplingLayout(parent, periods);
  const targets = layout.copyMap.map((map, b) => Array.from(map, (g) => {
    const q = layout.entries[Math.floor(g / periods)]!.quantity;
    return q === 'voltageSq' ? 1 + 0.05 * (rand() - 0.5) : 0.4 * (rand() - 0.5) + 0.01 * b;
  }));
  return { layout, targets, weight: 1 };
}

/** Every bus's subproblem solution at the state, in fixed point. */
export function localSolutions(p: SyntheticProblem, state: FixedPointState): bigint[][] {
  const rho = fromFixed(state.rho);
  return p.layout.copyMap.map((map, b) => Array.from(map, (g, j) => {
    const xi = fromFixed(state.xi[p.layout.localOffset[b]! + j]!);
    const z = fromFixed(state.z[g]!);
    return toFixed((p.weight * p.targets[b]![j]! - xi + rho * z) / (p.weight + rho));
  }));
}

/** Every bus's EIP-712 signature on its slice of one chunk, each with the bus's test key (agentAccount(b)). */
export async function signChunkWithAgentKeys(o: {
  layout: CouplingLayout; localVectors: readonly (readonly bigint[])[]; coordinator: Address; iteration: bigint; chunk: number; range: [number, number]; chainId?: number;
}): Promise<Hex[]> {
  return Promise.all(o.localVectors.map(async (v, b) => (await signLocalCopy({
    account: agentAccount(b), chainId: o.chainId ?? 31337, coordinator: o.coordinator, iteration: o.iteration, bus: b, chunk: o.chunk,
    values: chunkLocalVector(o.layout, b, v, o.range),
  })).signature));
}
