/**
 * All equality rows (s = 0). Their dual is free, so they never limit a step, carry no
 * barrier term (degree 0) and contribute nothing to the KKT's dual block except the static
 * regularization. Every output vector gets zeros on these rows.
 */
export class ZeroCones {
  readonly rows: Int32Array;

  constructor(rows: Int32Array) {
    this.rows = rows;
  }

  zeroRows(out: Float64Array): void {
    for (let k = 0; k < this.rows.length; k++) out[this.rows[k]!] = 0;
  }
}
