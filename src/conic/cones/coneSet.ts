import { NonnegativeCones } from './nonnegativeCones.js';
import { SOC_EXPANSION_MIN_DIM, SecondOrderCones } from './secondOrderCones.js';
import { ZeroCones } from './zeroCones.js';

/** An internal cone block: rotated cones have already been mapped to second-order ones. */
export interface InternalCone {
  type: 'zero' | 'nonnegative' | 'secondOrder';
  dim: number;
}

/**
 * The product cone K, grouped by type so every loop is monomorphic: one object for all
 * equality rows, one for all nonnegative rows, one for all second-order blocks. Owns the
 * scaled variable lambda = W z (= W^-T s) of the current iterate.
 */
export class ConeSet {
  readonly m: number;
  readonly zero: ZeroCones;
  readonly nonnegative: NonnegativeCones;
  readonly secondOrder: SecondOrderCones;
  readonly lambda: Float64Array;

  /** `expansionMinDim`: second-order cones of at least this dimension get the sparse KKT expansion (SecondOrderCones). */
  constructor(cones: InternalCone[], m: number, expansionMinDim = SOC_EXPANSION_MIN_DIM) {
    this.m = m;
    const zeroRows: number[] = [];
    const nonnegativeRows: number[] = [];
    const socOffsets: number[] = [];
    const socDims: number[] = [];
    let row = 0;
    for (const cone of cones) {
      if (cone.type === 'zero') for (let k = 0; k < cone.dim; k++) zeroRows.push(row + k);
      else if (cone.type === 'nonnegative') for (let k = 0; k < cone.dim; k++) nonnegativeRows.push(row + k);
      else {
        socOffsets.push(row);
        socDims.push(cone.dim);
      }
      row += cone.dim;
    }
    this.zero = new ZeroCones(Int32Array.from(zeroRows));
    this.nonnegative = new NonnegativeCones(Int32Array.from(nonnegativeRows));
    this.secondOrder = new SecondOrderCones(Int32Array.from(socOffsets), Int32Array.from(socDims), m, expansionMinDim);
    this.lambda = new Float64Array(m);
  }

  /** Barrier degree nu: one per nonnegative row and per second-order block. */
  get degree(): number {
    return this.nonnegative.degree + this.secondOrder.degree;
  }

  /** Smallest eigenvalue of s over the non-zero cones (Infinity if there are none). */
  minEigenvalue(s: Float64Array): number {
    return Math.min(this.nonnegative.minEigenvalue(s), this.secondOrder.minEigenvalue(s));
  }

  /** s += alpha e on the non-zero cones; equality rows are set to 0. */
  addIdentity(s: Float64Array, alpha: number): void {
    this.nonnegative.addIdentity(s, alpha);
    this.secondOrder.addIdentity(s, alpha);
    this.zero.zeroRows(s);
  }

  updateScaling(s: Float64Array, z: Float64Array): boolean {
    return this.nonnegative.updateScaling(s, z, this.lambda) && this.secondOrder.updateScaling(s, z, this.lambda);
  }

  writeHessian(values: Float64Array): void {
    this.nonnegative.writeHessian(values);
    this.secondOrder.writeHessian(values);
  }

  lambdaSquared(out: Float64Array): void {
    this.nonnegative.lambdaSquared(this.lambda, out);
    this.secondOrder.lambdaSquared(this.lambda, out);
    this.zero.zeroRows(out);
  }

  combinedDs(ds: Float64Array, dz: Float64Array, sigmaMu: number, out: Float64Array): void {
    this.nonnegative.combinedDs(this.lambda, ds, dz, sigmaMu, out);
    this.secondOrder.combinedDs(this.lambda, ds, dz, sigmaMu, out);
    this.zero.zeroRows(out);
  }

  scaledRhs(ds: Float64Array, out: Float64Array): void {
    this.nonnegative.scaledRhs(this.lambda, ds, out);
    this.secondOrder.scaledRhs(this.lambda, ds, out);
    this.zero.zeroRows(out);
  }

  deltaS(ds: Float64Array, dz: Float64Array, out: Float64Array): void {
    this.nonnegative.deltaS(this.lambda, ds, dz, out);
    this.secondOrder.deltaS(this.lambda, ds, dz, out);
    this.zero.zeroRows(out);
  }

  hessianQuadForm(dz: Float64Array): number {
    return this.nonnegative.hessianQuadForm(dz) + this.secondOrder.hessianQuadForm(dz);
  }

  /** Largest alpha keeping x + alpha dx in K (equality rows never bind). */
  maxStep(x: Float64Array, dx: Float64Array): number {
    return Math.min(this.nonnegative.maxStep(x, dx), this.secondOrder.maxStep(x, dx));
  }

  /** True when x + alpha dx is strictly inside every non-zero cone. */
  stepIsInterior(x: Float64Array, dx: Float64Array, alpha: number): boolean {
    return this.nonnegative.stepIsInterior(x, dx, alpha) && this.secondOrder.stepIsInterior(x, dx, alpha);
  }
}
