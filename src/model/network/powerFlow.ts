/**
 * AC power flow on a radial feeder by backward/forward current sweep: given every bus's net
 * complex injection and the substation voltage, find the bus voltages, line currents and flows.
 * Used to check that an OPF schedule is physically realizable (model.md §Network, last paragraph).
 */
import { GridError } from '../../core/errors.js';

export interface RadialPowerFlowInput {
  /** parent[0] = −1, parent[k] < k. */
  parent: ArrayLike<number>;
  /** Upstream line impedance of each bus, p.u. (ignored at the root). */
  r: ArrayLike<number>;
  x: ArrayLike<number>;
  /** Net injection (generation − load) per bus, p.u.; the root's is ignored (it is the slack). */
  p: ArrayLike<number>;
  q: ArrayLike<number>;
  /** Substation voltage magnitude |V_0|, p.u. (angle 0). */
  rootVoltage: number;
}

export interface PowerFlowOptions {
  /** Largest voltage update (p.u.) at which the sweep stops. Default 1e-10. */
  tolerance?: number;
  /** Default 100. */
  maxIterations?: number;
}

export interface RadialPowerFlowResult {
  iterations: number;
  /** |V_i|² per bus. */
  voltageSq: Float64Array;
  /** Voltage angle per bus, radians. */
  angle: Float64Array;
  /** |I_i|² of each bus's upstream line (0 at the root). */
  currentSq: Float64Array;
  /** Receiving-end flows: power delivered by line i to its parent, at the parent end (upstream positive). */
  pFlowReceiving: Float64Array;
  qFlowReceiving: Float64Array;
  /** Sending-end flows: the same line's power leaving bus i towards its parent. */
  pFlowSending: Float64Array;
  qFlowSending: Float64Array;
  /** Σ r·l and Σ x·l, p.u. */
  lossP: number;
  lossQ: number;
  /** Slack injection at the substation, p.u. */
  rootP: number;
  rootQ: number;
}

export function solveRadialPowerFlow(input: RadialPowerFlowInput, options: PowerFlowOptions = {}): RadialPowerFlowResult {
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100;
  const n = input.parent.length;
  const vRe = new Float64Array(n).fill(input.rootVoltage);
  const vIm = new Float64Array(n);
  const jRe = new Float64Array(n);
  const jIm = new Float64Array(n);
  let iterations = 0;
  let update = Infinity;
  while (update > tolerance) {
    if (iterations >= maxIterations || (iterations > 0 && !Number.isFinite(update))) {
      throw new GridError(`the AC power flow did not converge in ${iterations} iterations (last voltage update ${update.toExponential(2)} p.u.)`, {
        field: 'injections',
        fix: ['the injections are probably beyond what the feeder can carry: reduce the loads or check the line impedances (per unit)'],
        exitCode: 3,
      });
    }
    iterations++;
    // Backward sweep: J_i = −conj(S_i / V_i) + Σ_children J_k (current from the parent into bus i's subtree).
    for (let i = n - 1; i >= 1; i--) {
      const den = vRe[i]! * vRe[i]! + vIm[i]! * vIm[i]!;
      // conj(S/V) = (p − jq)/(vRe − j·vIm) = (p − jq)(vRe + j·vIm)/|V|²
      const injRe = (input.p[i]! * vRe[i]! + input.q[i]! * vIm[i]!) / den;
      const injIm = (input.p[i]! * vIm[i]! - input.q[i]! * vRe[i]!) / den;
      jRe[i] = jRe[i]! - injRe;
      jIm[i] = jIm[i]! - injIm;
      const parent = input.parent[i]!;
      if (parent > 0) {
        jRe[parent]! += jRe[i]!;
        jIm[parent]! += jIm[i]!;
      }
    }
    // Forward sweep: V_i = V_π − z_i·J_i.
    update = 0;
    for (let i = 1; i < n; i++) {
      const parent = input.parent[i]!;
      const r = input.r[i]!;
      const x = input.x[i]!;
      const re = vRe[parent]! - (r * jRe[i]! - x * jIm[i]!);
      const im = vIm[parent]! - (r * jIm[i]! + x * jRe[i]!);
      const change = Math.hypot(re - vRe[i]!, im - vIm[i]!);
      update = Number.isNaN(change) ? Infinity : Math.max(update, change);
      vRe[i] = re;
      vIm[i] = im;
    }
    if (update > tolerance) { jRe.fill(0); jIm.fill(0); }
  }
  return summarize(input, vRe, vIm, jRe, jIm, iterations);
}

function summarize(input: RadialPowerFlowInput, vRe: Float64Array, vIm: Float64Array, jRe: Float64Array, jIm: Float64Array, iterations: number): RadialPowerFlowResult {
  const n = input.parent.length;
  const voltageSq = new Float64Array(n);
  const angle = new Float64Array(n);
  const currentSq = new Float64Array(n);
  const pFlowReceiving = new Float64Array(n);
  const qFlowReceiving = new Float64Array(n);
  const pFlowSending = new Float64Array(n);
  const qFlowSending = new Float64Array(n);
  let lossP = 0;
  let lossQ = 0;
  let rootP = 0;
  let rootQ = 0;
  for (let i = 0; i < n; i++) {
    voltageSq[i] = vRe[i]! * vRe[i]! + vIm[i]! * vIm[i]!;
    angle[i] = Math.atan2(vIm[i]!, vRe[i]!);
    if (i === 0) continue;
    const parent = input.parent[i]!;
    currentSq[i] = jRe[i]! * jRe[i]! + jIm[i]! * jIm[i]!;
    // S = V·conj(J) is the power entering the line downstream; upstream flows are its negative.
    pFlowReceiving[i] = -(vRe[parent]! * jRe[i]! + vIm[parent]! * jIm[i]!);
    qFlowReceiving[i] = -(vIm[parent]! * jRe[i]! - vRe[parent]! * jIm[i]!);
    pFlowSending[i] = -(vRe[i]! * jRe[i]! + vIm[i]! * jIm[i]!);
    qFlowSending[i] = -(vIm[i]! * jRe[i]! - vRe[i]! * jIm[i]!);
    lossP += input.r[i]! * currentSq[i]!;
    lossQ += input.x[i]! * currentSq[i]!;
    if (parent === 0) {
      rootP -= pFlowReceiving[i]!;
      rootQ -= qFlowReceiving[i]!;
    }
  }
  return { iterations, voltageSq, angle, currentSq, pFlowReceiving, qFlowReceiving, pFlowSending, qFlowSending, lossP, lossQ, rootP, rootQ };
}
