/** One point (x, z, s, tau, kappa) of the homogeneous embedding, in the scaled space. */
export class Iterate {
  readonly x: Float64Array;
  readonly z: Float64Array;
  readonly s: Float64Array;
  tau = 1;
  kappa = 1;

  constructor(n: number, m: number) {
    this.x = new Float64Array(n);
    this.z = new Float64Array(m);
    this.s = new Float64Array(m);
  }

  copyFrom(other: Iterate): void {
    this.x.set(other.x);
    this.z.set(other.z);
    this.s.set(other.s);
    this.tau = other.tau;
    this.kappa = other.kappa;
  }

  /** this += alpha * step. */
  addScaled(step: Iterate, alpha: number): void {
    axpy(this.x, step.x, alpha);
    axpy(this.z, step.z, alpha);
    axpy(this.s, step.s, alpha);
    this.tau += alpha * step.tau;
    this.kappa += alpha * step.kappa;
  }

  isFinite(): boolean {
    return Number.isFinite(this.tau) && Number.isFinite(this.kappa) && allFinite(this.x) && allFinite(this.z) && allFinite(this.s);
  }
}

function axpy(y: Float64Array, x: Float64Array, alpha: number): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) return false;
  return true;
}
