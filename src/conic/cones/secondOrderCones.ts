/**
 * Cones of at least this dimension enter the KKT matrix in the sparse expanded form (two extra
 * rows per cone, 3d + 2 entries) instead of a dense d x d block; smaller ones stay dense, where
 * the dense block is no larger (Clarabel expands above 4 as well). It was 64 while the expanded
 * cones' ds came from the complementarity row; with ds from the primal row
 * (InteriorPointSolver.primalRowDs) expanding from 5 solved 98 + 100 of 100 stress problems with
 * many small / rotated cones against 85 + 98 with dense blocks, whose W'W loses its small
 * eigenvalue near the boundary (docs/solver.md §Stress harness). The OPF's cones (dimension 4) stay dense.
 */
export const SOC_EXPANSION_MIN_DIM = 5;

/**
 * All second-order cone blocks s = (t, w), t >= ||w||. Nesterov-Todd scaling in factored form:
 * W = beta * Wbar with Wbar = [wbar0, wbar1'; wbar1, I + wbar1 wbar1'/(1 + wbar0)],
 * wbar'J wbar = 1, so that W z = W^-1 s = lambda and W'W = beta^2 (2 wbar wbar' - J).
 * (J = diag(1, -1, ..., -1); the Jordan product is u o v = (u'v, u0 v1 + v0 u1), e = (1, 0...).)
 *
 * KKT block -W'W: dense per cone below SOC_EXPANSION_MIN_DIM. Larger cones use the identity
 * W'W = beta^2 (I + uu' - vv') with, for r = ||wbar1|| and what = wbar1 / r,
 *   u = sqrt(r (wbar0 + r)) (1, what),  v = sqrt(r / (wbar0 + r)) (1, -what)
 * (check: 1 + |u0|^2 - |v0|^2 = 1 + 2r^2 = 2 wbar0^2 - 1 and u0 u1 + v0 v1 = 2 r wbar0 on the
 * (e0, what) plane; identity elsewhere), written as the sparse block
 *   [-beta^2 I, beta u, beta v; beta u', +1, 0; beta v', 0, -1]
 * whose Schur complement on the cone rows is -W'W. The extra row with -1 joins the negative
 * (dual) side; it keeps that side negative definite because |v|^2 = 2r/(wbar0 + r) < 1.
 */
export class SecondOrderCones {
  readonly offsets: Int32Array;
  readonly dims: Int32Array;
  /** Per block: index of its first extra KKT row among the extra rows (-1: dense block). */
  readonly extraRow: Int32Array;
  /** Number of extra KKT rows (two per expanded cone). */
  readonly extraRows: number;
  /** Start of each block's entries in `hessianPositions`: the dense upper triangle column by column, or for expanded blocks the d diagonal entries, the d entries of beta u, the d of beta v, then the two extra diagonals. */
  readonly hessianStart: Int32Array;
  /** KKT value positions of each block's entries (set by the KKT assembly). */
  hessianPositions: Int32Array;
  private readonly beta: Float64Array;
  /** wbar stored at the cone's own rows (length m). */
  private readonly wbar: Float64Array;
  private readonly scratchA: Float64Array;
  private readonly scratchB: Float64Array;

  constructor(offsets: Int32Array, dims: Int32Array, m: number, expansionMinDim = SOC_EXPANSION_MIN_DIM) {
    this.offsets = offsets;
    this.dims = dims;
    this.hessianStart = new Int32Array(offsets.length + 1);
    this.extraRow = new Int32Array(offsets.length).fill(-1);
    let maxDim = 0;
    let extra = 0;
    for (let b = 0; b < dims.length; b++) {
      const d = dims[b]!;
      let entries = (d * (d + 1)) / 2;
      if (d >= expansionMinDim) {
        this.extraRow[b] = extra;
        extra += 2;
        entries = 3 * d + 2;
      }
      this.hessianStart[b + 1] = this.hessianStart[b]! + entries;
      if (d > maxDim) maxDim = d;
    }
    this.extraRows = extra;
    this.hessianPositions = new Int32Array(this.hessianStart[dims.length]!);
    this.beta = new Float64Array(dims.length);
    this.wbar = new Float64Array(m);
    this.scratchA = new Float64Array(maxDim);
    this.scratchB = new Float64Array(maxDim);
  }

  get degree(): number {
    return this.offsets.length;
  }

  minEigenvalue(s: Float64Array): number {
    let m = Infinity;
    for (let b = 0; b < this.offsets.length; b++) {
      const o = this.offsets[b]!;
      m = Math.min(m, s[o]! - tailNorm(s, o, this.dims[b]!));
    }
    return m;
  }

  addIdentity(s: Float64Array, alpha: number): void {
    for (let b = 0; b < this.offsets.length; b++) s[this.offsets[b]!]! += alpha;
  }

  /** Computes the NT scaling point and lambda = W z. Returns false if s or z left the cone. */
  updateScaling(s: Float64Array, z: Float64Array, lambda: Float64Array): boolean {
    const { offsets, dims, wbar, beta } = this;
    for (let b = 0; b < offsets.length; b++) {
      const o = offsets[b]!;
      const d = dims[b]!;
      const sNorm = tailNorm(s, o, d);
      const zNorm = tailNorm(z, o, d);
      const sDet = (s[o]! - sNorm) * (s[o]! + sNorm);
      const zDet = (z[o]! - zNorm) * (z[o]! + zNorm);
      if (!(s[o]! > sNorm && z[o]! > zNorm && sDet > 0 && zDet > 0)) return false;
      const sScale = Math.sqrt(sDet);
      const zScale = Math.sqrt(zDet);
      // s'z / (sScale zScale) of the normalized points: gamma^2 = (1 + sbar'zbar) / 2
      let sz = 0;
      for (let k = 0; k < d; k++) sz += s[o + k]! * z[o + k]!;
      const gamma = Math.sqrt((1 + sz / (sScale * zScale)) / 2);
      const inv2g = 1 / (2 * gamma);
      wbar[o] = (s[o]! / sScale + z[o]! / zScale) * inv2g;
      let w1z1 = 0;
      for (let k = 1; k < d; k++) {
        const wk = (s[o + k]! / sScale - z[o + k]! / zScale) * inv2g;
        wbar[o + k] = wk;
        w1z1 += (wk * z[o + k]!) / zScale;
      }
      beta[b] = Math.sqrt(sScale / zScale);
      // lambda = sqrt(sScale zScale) * Wbar zbar, whose first entry is exactly gamma
      const root = Math.sqrt(sScale * zScale);
      const z0 = z[o]! / zScale;
      const c = z0 + w1z1 / (1 + wbar[o]!);
      lambda[o] = root * gamma;
      for (let k = 1; k < d; k++) lambda[o + k] = root * (z[o + k]! / zScale + c * wbar[o + k]!);
    }
    return true;
  }

  /** values -= W'W = beta^2 (2 wbar wbar' - J) on each block's upper triangle, or its sparse expansion. */
  writeHessian(values: Float64Array): void {
    const { offsets, dims, wbar, beta, hessianStart, hessianPositions } = this;
    for (let b = 0; b < offsets.length; b++) {
      const o = offsets[b]!;
      const d = dims[b]!;
      const b2 = beta[b]! * beta[b]!;
      let t = hessianStart[b]!;
      if (this.extraRow[b]! >= 0) {
        // sparse expansion (class comment): diagonal -beta^2, columns beta u and beta v, extra pivots +1 and -1
        const w0 = wbar[o]!;
        const r = tailNorm(wbar, o, d);
        const uScale = beta[b]! * Math.sqrt(r * (w0 + r));
        const vScale = beta[b]! * Math.sqrt(r / (w0 + r));
        const tailScale = r > 0 ? 1 / r : 0;
        for (let k = 0; k < d; k++) values[hessianPositions[t++]!]! -= b2;
        values[hessianPositions[t++]!]! += uScale;
        for (let k = 1; k < d; k++) values[hessianPositions[t++]!]! += uScale * wbar[o + k]! * tailScale;
        values[hessianPositions[t++]!]! += vScale;
        for (let k = 1; k < d; k++) values[hessianPositions[t++]!]! -= vScale * wbar[o + k]! * tailScale;
        values[hessianPositions[t++]!]! += 1;
        values[hessianPositions[t]!]! -= 1;
        continue;
      }
      for (let c = 0; c < d; c++) {
        const wc = wbar[o + c]!;
        for (let r = 0; r <= c; r++) {
          let h = 2 * b2 * wbar[o + r]! * wc;
          if (r === c) h += r === 0 ? -b2 : b2;
          values[hessianPositions[t++]!]! -= h;
        }
      }
    }
  }

  lambdaSquared(lambda: Float64Array, out: Float64Array): void {
    for (let b = 0; b < this.offsets.length; b++) jordanProduct(lambda, lambda, this.offsets[b]!, this.dims[b]!, out);
  }

  /** out = lambda o lambda + (W^-1 ds) o (W dz) - sigmaMu e. */
  combinedDs(lambda: Float64Array, ds: Float64Array, dz: Float64Array, sigmaMu: number, out: Float64Array): void {
    const { offsets, dims, scratchA, scratchB } = this;
    for (let b = 0; b < offsets.length; b++) {
      const o = offsets[b]!;
      const d = dims[b]!;
      this.applyW(b, ds, o, scratchA, true);
      this.applyW(b, dz, o, scratchB, false);
      let l2 = 0;
      let sd = 0;
      for (let k = 0; k < d; k++) {
        l2 += lambda[o + k]! * lambda[o + k]!;
        sd += scratchA[k]! * scratchB[k]!;
      }
      out[o] = l2 + sd - sigmaMu;
      const l0 = 2 * lambda[o]!;
      for (let k = 1; k < d; k++) {
        out[o + k] = l0 * lambda[o + k]! + scratchA[0]! * scratchB[k]! + scratchB[0]! * scratchA[k]!;
      }
    }
  }

  /** out = W (lambda \ ds). */
  scaledRhs(lambda: Float64Array, ds: Float64Array, out: Float64Array): void {
    const { offsets, dims, scratchA } = this;
    for (let b = 0; b < offsets.length; b++) {
      const o = offsets[b]!;
      this.jordanDivide(lambda, ds, o, dims[b]!, scratchA);
      this.applyW(b, scratchA, 0, out, false, o);
    }
  }

  /** out = -W (lambda \ ds + W dz). */
  deltaS(lambda: Float64Array, ds: Float64Array, dz: Float64Array, out: Float64Array): void {
    const { offsets, dims, scratchA, scratchB } = this;
    for (let b = 0; b < offsets.length; b++) {
      const o = offsets[b]!;
      const d = dims[b]!;
      this.jordanDivide(lambda, ds, o, d, scratchA);
      this.applyW(b, dz, o, scratchB, false);
      for (let k = 0; k < d; k++) scratchA[k]! += scratchB[k]!;
      this.applyW(b, scratchA, 0, out, false, o);
      for (let k = 0; k < d; k++) out[o + k] = -out[o + k]!;
    }
  }

  /** dz' W'W dz = ||W dz||^2. */
  hessianQuadForm(dz: Float64Array): number {
    const { offsets, dims, scratchB } = this;
    let sum = 0;
    for (let b = 0; b < offsets.length; b++) {
      this.applyW(b, dz, offsets[b]!, scratchB, false);
      for (let k = 0; k < dims[b]!; k++) sum += scratchB[k]! * scratchB[k]!;
    }
    return sum;
  }

  /**
   * Largest alpha with x + alpha dx in the cone: the first positive root of
   * q(alpha) = (x + alpha dx)'J(x + alpha dx), since x is interior (q(0) > 0, x0 > 0).
   */
  maxStep(x: Float64Array, dx: Float64Array): number {
    let alpha = Infinity;
    for (let b = 0; b < this.offsets.length; b++) {
      const o = this.offsets[b]!;
      const d = this.dims[b]!;
      const xNorm = tailNorm(x, o, d);
      const c = (x[o]! - xNorm) * (x[o]! + xNorm);
      let a = dx[o]! * dx[o]!;
      let half = x[o]! * dx[o]!;
      for (let k = 1; k < d; k++) {
        a -= dx[o + k]! * dx[o + k]!;
        half -= x[o + k]! * dx[o + k]!;
      }
      let root = Infinity;
      if (c <= 0) root = 0;
      else {
        const disc = half * half - a * c;
        if (a === 0) {
          if (half < 0) root = -c / (2 * half);
        } else if (disc >= 0) {
          // stable roots of a t^2 + 2 half t + c
          const t = -(half + (half >= 0 ? 1 : -1) * Math.sqrt(disc));
          const r1 = t / a;
          const r2 = t !== 0 ? c / t : Infinity;
          if (r1 > 0) root = Math.min(root, r1);
          if (r2 > 0) root = Math.min(root, r2);
        }
      }
      // the leading entry alone also bounds the step (covers dim-1 cones and round-off)
      if (dx[o]! < 0) root = Math.min(root, -x[o]! / dx[o]!);
      if (root < alpha) alpha = root;
    }
    return alpha;
  }

  /**
   * True when x + alpha dx passes the same interior test as `updateScaling` (t > ||w|| and
   * (t - ||w||)(t + ||w||) > 0): the closed-form step can land on the boundary by round-off.
   */
  stepIsInterior(x: Float64Array, dx: Float64Array, alpha: number): boolean {
    const { offsets, dims } = this;
    for (let b = 0; b < offsets.length; b++) {
      const o = offsets[b]!;
      const d = dims[b]!;
      let sum = 0;
      for (let k = 1; k < d; k++) {
        const v = x[o + k]! + alpha * dx[o + k]!;
        sum += v * v;
      }
      const t = x[o]! + alpha * dx[o]!;
      const norm = Math.sqrt(sum);
      if (!(t > norm && (t - norm) * (t + norm) > 0)) return false;
    }
    return true;
  }

  /** out[outOffset..] = W u[uOffset..] (or W^-1 when inverse). */
  private applyW(b: number, u: Float64Array, uOffset: number, out: Float64Array, inverse: boolean, outOffset = 0): void {
    const o = this.offsets[b]!;
    const d = this.dims[b]!;
    const { wbar } = this;
    const w0 = wbar[o]!;
    let w1u1 = 0;
    for (let k = 1; k < d; k++) w1u1 += wbar[o + k]! * u[uOffset + k]!;
    const u0 = u[uOffset]!;
    const scale = inverse ? 1 / this.beta[b]! : this.beta[b]!;
    const sign = inverse ? -1 : 1;
    const c = sign * u0 + w1u1 / (1 + w0);
    for (let k = d - 1; k >= 1; k--) out[outOffset + k] = scale * (u[uOffset + k]! + c * wbar[o + k]!);
    out[outOffset] = scale * (w0 * u0 + sign * w1u1);
  }

  /** out[0..d) = lambda \ v on the block at offset o (solves lambda o out = v). */
  private jordanDivide(lambda: Float64Array, v: Float64Array, o: number, d: number, out: Float64Array): void {
    const l0 = lambda[o]!;
    const lNorm = tailNorm(lambda, o, d);
    const det = (l0 - lNorm) * (l0 + lNorm);
    let l1v1 = 0;
    for (let k = 1; k < d; k++) l1v1 += lambda[o + k]! * v[o + k]!;
    const u0 = (l0 * v[o]! - l1v1) / det;
    out[0] = u0;
    for (let k = 1; k < d; k++) out[k] = (v[o + k]! - u0 * lambda[o + k]!) / l0;
  }
}

function tailNorm(x: Float64Array, o: number, d: number): number {
  let sum = 0;
  for (let k = 1; k < d; k++) sum += x[o + k]! * x[o + k]!;
  return Math.sqrt(sum);
}

function jordanProduct(u: Float64Array, v: Float64Array, o: number, d: number, out: Float64Array): void {
  let uv = 0;
  for (let k = 0; k < d; k++) uv += u[o + k]! * v[o + k]!;
  const u0 = u[o]!;
  const v0 = v[o]!;
  for (let k = 1; k < d; k++) out[o + k] = u0 * v[o + k]! + v0 * u[o + k]!;
  out[o] = uv;
}
