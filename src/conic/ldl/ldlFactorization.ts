import type { CscMatrix } from '../types.js';

/** Settings of the numeric factorization's dynamic regularization. */
export interface DynamicRegularization {
  enabled: boolean;
  /** A pivot d with sign*d <= eps is replaced by sign*delta. */
  eps: number;
  delta: number;
}

/**
 * Sparse LDL' of a symmetric quasidefinite matrix given by its upper triangle, without pivoting
 * (the fill-reducing order is applied by the caller). Up-looking: row k of L is found by walking
 * the elimination tree from the nonzeros of column k, so the symbolic analysis (tree and column
 * counts) is done once in the constructor and `factor` only does arithmetic into preallocated
 * arrays. The diagonal signs are known in advance (+ for the primal block, - for the dual
 * block), which is what makes dynamic regularization of tiny pivots safe.
 */
export class LdlFactorization {
  readonly n: number;
  readonly etree: Int32Array;
  /** Column pointers of L (strictly lower part, stored by column). */
  readonly Lp: Int32Array;
  readonly Li: Int32Array;
  readonly Lx: Float64Array;
  readonly D: Float64Array;
  readonly Dinv: Float64Array;
  /** Pivots replaced by dynamic regularization in the last `factor` call. */
  regularizedPivots = 0;
  /** Number of positive pivots in the last factorization (the inertia check). */
  positivePivots = 0;
  private readonly colptr: Int32Array;
  private readonly rowval: Int32Array;
  private readonly yValues: Float64Array;
  private readonly yMarked: Uint8Array;
  private readonly yPattern: Int32Array;
  private readonly eliminationBuffer: Int32Array;
  private readonly nextSlot: Int32Array;
  /** Row k of L's column indices are rowPattern[rowPatternStart[k] .. rowPatternStart[k+1]), in elimination order. */
  private readonly rowPatternStart: Int32Array;
  private readonly rowPattern: Int32Array;

  /** @throws Error if the pattern has an entry below the diagonal. */
  constructor(upper: CscMatrix) {
    const n = upper.ncols;
    this.n = n;
    this.colptr = upper.colptr;
    this.rowval = upper.rowval;
    this.etree = new Int32Array(n).fill(-1);
    const columnCounts = new Int32Array(n);
    const visited = new Int32Array(n).fill(-1);
    for (let j = 0; j < n; j++) {
      visited[j] = j;
      for (let p = upper.colptr[j]!; p < upper.colptr[j + 1]!; p++) {
        let i = upper.rowval[p]!;
        if (i > j) throw new Error(`LDL input has an entry below the diagonal at (${i}, ${j})`);
        // climb the tree from i until a node already reached from column j
        while (visited[i] !== j) {
          if (this.etree[i] === -1) this.etree[i] = j;
          columnCounts[i]!++;
          visited[i] = j;
          i = this.etree[i]!;
        }
      }
    }
    this.Lp = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.Lp[i + 1] = this.Lp[i]! + columnCounts[i]!;
    const nnzL = this.Lp[n]!;
    this.Li = new Int32Array(nnzL);
    this.Lx = new Float64Array(nnzL);
    this.D = new Float64Array(n);
    this.Dinv = new Float64Array(n);
    this.yValues = new Float64Array(n);
    this.yMarked = new Uint8Array(n);
    this.yPattern = new Int32Array(n);
    this.eliminationBuffer = new Int32Array(n);
    this.nextSlot = new Int32Array(n);
    // the nonzero pattern of each row of L, in the topological order the numeric phase needs,
    // found once here (it only depends on the pattern) instead of by tree walks in every factor
    this.rowPatternStart = new Int32Array(n + 1);
    this.rowPattern = new Int32Array(nnzL);
    let t = 0;
    for (let k = 0; k < n; k++) {
      this.rowPatternStart[k] = t;
      const size = this.reachOfRow(k);
      // reachOfRow leaves the pattern in yPattern[0..size) in reverse topological order
      for (let q = size - 1; q >= 0; q--) this.rowPattern[t++] = this.yPattern[q]!;
    }
    this.rowPatternStart[n] = t;
  }

  /** Columns of row k of L (excluding k), by walking the elimination tree; returns the count. */
  private reachOfRow(k: number): number {
    const { colptr, rowval, etree, yMarked, yPattern, eliminationBuffer } = this;
    let patternSize = 0;
    for (let p = colptr[k]!; p < colptr[k + 1]!; p++) {
      const row = rowval[p]!;
      if (row === k || yMarked[row]) continue;
      let depth = 0;
      let node = row;
      while (node !== -1 && node < k && !yMarked[node]) {
        yMarked[node] = 1;
        eliminationBuffer[depth++] = node;
        node = etree[node]!;
      }
      while (depth > 0) yPattern[patternSize++] = eliminationBuffer[--depth]!;
    }
    for (let q = 0; q < patternSize; q++) yMarked[yPattern[q]!] = 0;
    return patternSize;
  }

  /** Nonzeros in the strictly lower triangle of L. */
  get factorNonzeros(): number {
    return this.Lp[this.n]!;
  }

  /**
   * Numeric factorization of the matrix with this pattern and values `nzval`.
   * `signs[k]` is +1 or -1, the expected sign of pivot k. Returns false if a pivot is zero or
   * non-finite after regularization (the factor is then unusable).
   */
  factor(nzval: Float64Array, signs: Int8Array, reg: DynamicRegularization): boolean {
    const { n, colptr, rowval, Lp, Li, Lx, D, Dinv, yValues, nextSlot, rowPattern, rowPatternStart } = this;
    for (let i = 0; i < n; i++) nextSlot[i] = Lp[i]!;
    let regularized = 0;
    let positive = 0;
    for (let k = 0; k < n; k++) {
      let diagonal = 0;
      for (let p = colptr[k]!; p < colptr[k + 1]!; p++) {
        const row = rowval[p]!;
        if (row === k) diagonal += nzval[p]!;
        else yValues[row]! += nzval[p]!;
      }
      for (let t = rowPatternStart[k]!; t < rowPatternStart[k + 1]!; t++) {
        const col = rowPattern[t]!;
        const yCol = yValues[col]!;
        const slot = nextSlot[col]!;
        for (let p = Lp[col]!; p < slot; p++) yValues[Li[p]!]! -= Lx[p]! * yCol;
        const lValue = yCol * Dinv[col]!;
        Li[slot] = k;
        Lx[slot] = lValue;
        diagonal -= yCol * lValue;
        nextSlot[col] = slot + 1;
        yValues[col] = 0;
      }
      const sign = signs[k]!;
      // an overflowed column (Inf or NaN in L) must fail here: regularizing its pivot would hide it
      if (!Number.isFinite(diagonal)) {
        this.regularizedPivots = regularized;
        return false;
      }
      if (reg.enabled && sign * diagonal <= reg.eps) {
        diagonal = sign * reg.delta;
        regularized++;
      }
      if (diagonal === 0 || !Number.isFinite(diagonal)) {
        this.regularizedPivots = regularized;
        return false;
      }
      if (diagonal > 0) positive++;
      D[k] = diagonal;
      Dinv[k] = 1 / diagonal;
    }
    this.regularizedPivots = regularized;
    this.positivePivots = positive;
    return true;
  }

  /** Solves L D L' x = b in place (b is overwritten by x). */
  solveInPlace(x: Float64Array): void {
    const { n, Lp, Li, Lx, Dinv } = this;
    // forward substitution with L, then the scaling by D^-1 in the same pass (x[i] is final once column i is reached)
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      if (xi !== 0) for (let p = Lp[i]!; p < Lp[i + 1]!; p++) x[Li[p]!]! -= Lx[p]! * xi;
      x[i] = xi * Dinv[i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let sum = x[i]!;
      for (let p = Lp[i]!; p < Lp[i + 1]!; p++) sum -= Lx[p]! * x[Li[p]!]!;
      x[i] = sum;
    }
  }
}
