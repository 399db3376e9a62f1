import { projectOntoCones } from '../cones/projection.js';
import { symmetricUpperMulAdd } from '../sparse/cscMatVec.js';
import type { Iterate } from './iterate.js';
import type { ProblemData } from './problemData.js';

/**
 * Residuals of the homogeneous embedding at an iterate (scaled space),
 *   r1 = P x + A'z + q tau,   r2 = A x + s - b tau,   r3 = kappa + q'x + b'z + x'Px / tau,
 * and the unscaled quantities the termination tests use (x = D x^ / tau, s = E^-1 s^ / tau,
 * y = E z^ / (c tau)), so tolerances apply to the caller's problem, not the equilibrated one.
 */
export class Residuals {
  readonly r1: Float64Array;
  readonly r2: Float64Array;
  r3 = 0;
  readonly Px: Float64Array;
  readonly Atz: Float64Array;
  readonly Ax: Float64Array;
  xPx = 0;
  qx = 0;
  bz = 0;
  /** Unscaled measures at x/tau etc. */
  primalResidual = 0;
  dualResidual = 0;
  primalObjective = 0;
  dualObjective = 0;
  gapAbs = 0;
  gapRel = 0;
  primalScale = 1;
  dualScale = 1;
  /** Certificate measures on the raw (unnormalized by tau) iterate, each divided by its norm. */
  primalCertificateBz = 0;
  primalCertificateAty = 0;
  dualCertificateQx = 0;
  dualCertificatePx = 0;
  dualCertificateAxs = 0;
  private readonly data: ProblemData;

  constructor(data: ProblemData) {
    this.data = data;
    this.r1 = new Float64Array(data.n);
    this.r2 = new Float64Array(data.m);
    this.Px = new Float64Array(data.n);
    this.Atz = new Float64Array(data.n);
    this.Ax = new Float64Array(data.m);
  }

  update(v: Iterate, normB: number, normQ: number): void {
    const { data, r1, r2, Px, Atz, Ax } = this;
    const { D, E, c } = data.scaling;
    const { n, m, P, A, q, b } = data;
    const { x, z, s } = v;
    const tau = v.tau;
    symmetricUpperMulAdd(P, x, Px, 1, 0);
    // A'z and A x in one pass over A (the arithmetic of cscTransposeMulAdd and cscMulAdd)
    Ax.fill(0);
    for (let j = 0; j < n; j++) {
      const xj = x[j]!;
      let sum = 0;
      if (xj === 0) {
        for (let p = A.colptr[j]!; p < A.colptr[j + 1]!; p++) sum += A.nzval[p]! * z[A.rowval[p]!]!;
      } else {
        for (let p = A.colptr[j]!; p < A.colptr[j + 1]!; p++) {
          const i = A.rowval[p]!;
          const value = A.nzval[p]!;
          sum += value * z[i]!;
          Ax[i]! += value * xj;
        }
      }
      Atz[j] = 0 + sum;
    }
    let xPx = 0;
    let qx = 0;
    let dualRes = 0;
    let normX = 0;
    let pxNorm = 0;
    let atzNorm = 0;
    for (let j = 0; j < n; j++) {
      const xj = x[j]!;
      const pxj = Px[j]!;
      const dj = D[j]!;
      xPx += xj * pxj;
      qx += q[j]! * xj;
      const r = pxj + Atz[j]! + q[j]! * tau;
      r1[j] = r;
      dualRes = Math.max(dualRes, Math.abs(r / dj));
      normX = Math.max(normX, Math.abs(dj * xj));
      pxNorm = Math.max(pxNorm, Math.abs(pxj / dj));
      atzNorm = Math.max(atzNorm, Math.abs(Atz[j]! / dj));
    }
    let bz = 0;
    let primalRes = 0;
    let normS = 0;
    let normZ = 0;
    let axsNorm = 0;
    for (let i = 0; i < m; i++) {
      const zi = z[i]!;
      const si = s[i]!;
      const ei = E[i]!;
      bz += b[i]! * zi;
      const axs = Ax[i]! + si;
      const r = axs - b[i]! * tau;
      r2[i] = r;
      primalRes = Math.max(primalRes, Math.abs(r / ei));
      normS = Math.max(normS, Math.abs(si / ei));
      normZ = Math.max(normZ, Math.abs(ei * zi));
      axsNorm = Math.max(axsNorm, Math.abs(axs / ei));
    }
    this.xPx = xPx;
    this.qx = qx;
    this.bz = bz;
    this.r3 = v.kappa + this.qx + this.bz + this.xPx / tau;
    this.primalResidual = primalRes / tau;
    this.dualResidual = dualRes / (c * tau);
    const quad = (0.5 * this.xPx) / (tau * tau);
    this.primalObjective = (quad + this.qx / tau) / c;
    this.dualObjective = (-quad - this.bz / tau) / c;
    this.gapAbs = Math.abs(this.primalObjective - this.dualObjective);
    this.gapRel = this.gapAbs / Math.max(1, Math.min(Math.abs(this.primalObjective), Math.abs(this.dualObjective)));
    this.primalScale = Math.max(1, normB + (normX + normS) / tau);
    this.dualScale = Math.max(1, normQ + normX / tau + normZ / (c * tau));
    // certificates: y = E z (b'y = b^'z^), x = D x^ (q'x = q^'x^ / c)
    const yNorm = Math.max(normZ, Number.MIN_VALUE);
    this.primalCertificateBz = this.bz / yNorm;
    this.primalCertificateAty = atzNorm / yNorm;
    const xNorm = Math.max(normX, Number.MIN_VALUE);
    this.dualCertificateQx = this.qx / c / xNorm;
    this.dualCertificatePx = pxNorm / c / xNorm;
    this.dualCertificateAxs = axsNorm / xNorm;
  }

  isSolved(tolFeas: number, tolGapAbs: number, tolGapRel: number): boolean {
    return (
      this.primalResidual <= tolFeas * this.primalScale &&
      this.dualResidual <= tolFeas * this.dualScale &&
      (this.gapAbs <= tolGapAbs || this.gapRel <= tolGapRel)
    );
  }

  isPrimalInfeasible(tolAbs: number, tolRel: number): boolean {
    const bz = this.primalCertificateBz;
    return bz < -tolAbs && this.primalCertificateAty <= -tolRel * bz;
  }

  isDualInfeasible(tolAbs: number, tolRel: number): boolean {
    const qx = this.dualCertificateQx;
    return qx < -tolAbs && this.dualCertificatePx <= -tolRel * qx && this.dualCertificateAxs <= -tolRel * qx;
  }

  /**
   * The unbounded-direction test with s replaced by s' = projection of -A x onto K (written to
   * sOut, scaled space; the caller adopts it when the test passes). dist(-Ax, K) <= ||Ax + s||
   * for the iterate's s in K, so this never fails where the plain test passes; it removes the
   * step error of rows where s lies far inside its cone, which stalled ||Ax + s|| near 1e-8
   * relative as tau fell (bench/conicStress.ts, dual-infeasible). Needs update() first.
   */
  isDualInfeasibleProjected(tolAbs: number, tolRel: number, x: Float64Array, sOut: Float64Array): boolean {
    const qx = this.dualCertificateQx;
    if (!(qx < -tolAbs && this.dualCertificatePx <= -tolRel * qx)) return false;
    const { Ax } = this;
    const { E, D } = this.data.scaling;
    for (let i = 0; i < sOut.length; i++) sOut[i] = -Ax[i]!;
    projectOntoCones(this.data.cones, sOut);
    let axsNorm = 0;
    for (let i = 0; i < sOut.length; i++) axsNorm = Math.max(axsNorm, Math.abs((Ax[i]! + sOut[i]!) / E[i]!));
    let xNorm = 0;
    for (let j = 0; j < x.length; j++) xNorm = Math.max(xNorm, Math.abs(D[j]! * x[j]!));
    const axs = axsNorm / Math.max(xNorm, Number.MIN_VALUE);
    if (!(axs <= -tolRel * qx)) return false;
    this.dualCertificateAxs = axs;
    return true;
  }

  /** One number for "how far from solved", used to keep the best iterate. */
  merit(): number {
    return Math.max(this.primalResidual / this.primalScale, this.dualResidual / this.dualScale, Math.min(this.gapRel, this.gapAbs));
  }
}
