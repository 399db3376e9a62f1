/**
 * All nonnegative-orthant rows of the problem, handled together (one monomorphic loop over a
 * row list instead of one object per block). Scaling is the diagonal NT scaling
 * W = diag(sqrt(s/z)), so lambda = W z = sqrt(s z) and the KKT block is -W'W = -diag(s/z).
 * Vectors passed in are full length m; only this cone's rows are read or written.
 */
export class NonnegativeCones {
  readonly rows: Int32Array;
  /** KKT value positions of each row's diagonal (set by the KKT assembly). */
  hessianPositions: Int32Array;
  private readonly w: Float64Array;

  constructor(rows: Int32Array) {
    this.rows = rows;
    this.hessianPositions = new Int32Array(rows.length);
    this.w = new Float64Array(rows.length);
  }

  get degree(): number {
    return this.rows.length;
  }

  minEigenvalue(s: Float64Array): number {
    let m = Infinity;
    for (let k = 0; k < this.rows.length; k++) m = Math.min(m, s[this.rows[k]!]!);
    return m;
  }

  addIdentity(s: Float64Array, alpha: number): void {
    for (let k = 0; k < this.rows.length; k++) s[this.rows[k]!]! += alpha;
  }

  /** Returns false if s or z is not strictly inside the cone. */
  updateScaling(s: Float64Array, z: Float64Array, lambda: Float64Array): boolean {
    const { rows, w } = this;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      const si = s[i]!;
      const zi = z[i]!;
      if (!(si > 0 && zi > 0)) return false;
      w[k] = Math.sqrt(si / zi);
      lambda[i] = Math.sqrt(si * zi);
    }
    return true;
  }

  writeHessian(values: Float64Array): void {
    const { w, hessianPositions } = this;
    for (let k = 0; k < w.length; k++) values[hessianPositions[k]!]! -= w[k]! * w[k]!;
  }

  /** out = lambda o lambda + (W^-1 ds) o (W dz) - sigmaMu e (the Mehrotra-corrected target). */
  combinedDs(lambda: Float64Array, ds: Float64Array, dz: Float64Array, sigmaMu: number, out: Float64Array): void {
    const { rows } = this;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      out[i] = lambda[i]! * lambda[i]! + ds[i]! * dz[i]! - sigmaMu;
    }
  }

  lambdaSquared(lambda: Float64Array, out: Float64Array): void {
    for (let k = 0; k < this.rows.length; k++) {
      const i = this.rows[k]!;
      out[i] = lambda[i]! * lambda[i]!;
    }
  }

  /** out = W (lambda \ ds). */
  scaledRhs(lambda: Float64Array, ds: Float64Array, out: Float64Array): void {
    const { rows, w } = this;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      out[i] = (w[k]! * ds[i]!) / lambda[i]!;
    }
  }

  /** out = -W (lambda \ ds + W dz), the step in s implied by the linearized complementarity. */
  deltaS(lambda: Float64Array, ds: Float64Array, dz: Float64Array, out: Float64Array): void {
    const { rows, w } = this;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      const wk = w[k]!;
      out[i] = -wk * (ds[i]! / lambda[i]! + wk * dz[i]!);
    }
  }

  /** dz' W'W dz. */
  hessianQuadForm(dz: Float64Array): number {
    const { rows, w } = this;
    let sum = 0;
    for (let k = 0; k < rows.length; k++) {
      const v = w[k]! * dz[rows[k]!]!;
      sum += v * v;
    }
    return sum;
  }

  /** Largest alpha with x + alpha dx >= 0 (Infinity if unbounded). */
  maxStep(x: Float64Array, dx: Float64Array): number {
    let alpha = Infinity;
    for (let k = 0; k < this.rows.length; k++) {
      const i = this.rows[k]!;
      const d = dx[i]!;
      if (d < 0) {
        const a = -x[i]! / d;
        if (a < alpha) alpha = a;
      }
    }
    return alpha;
  }

  /** True when x + alpha dx is strictly inside the orthant on every row (the step's round-off check). */
  stepIsInterior(x: Float64Array, dx: Float64Array, alpha: number): boolean {
    for (let k = 0; k < this.rows.length; k++) {
      const i = this.rows[k]!;
      if (!(x[i]! + alpha * dx[i]! > 0)) return false;
    }
    return true;
  }
}
