import type { InternalCone } from '../cones/coneSet.js';
import { cscFromTriplets } from '../sparse/cscFromTriplets.js';
import type { ConicProblem, CscMatrix } from '../types.js';
import { type Equilibration, type EquilibrationSettings, equilibrate, scaleMatrix } from './equilibrate.js';

const SQRT_HALF = Math.SQRT1_2;

/**
 * The problem as the interior-point loop sees it: rotated cones turned into second-order cones
 * by the orthogonal, symmetric row map T (u, v) -> ((u+v)/sqrt2, (u-v)/sqrt2), then Ruiz
 * equilibrated. The original data is kept so residuals and updates can be done unscaled.
 */
export class ProblemData {
  readonly n: number;
  readonly m: number;
  readonly cones: InternalCone[];
  /** First row (u) of every rotated block; row u+1 is v. */
  readonly rotatedRows: Int32Array;
  readonly P: CscMatrix;
  readonly A: CscMatrix;
  readonly q: Float64Array;
  readonly b: Float64Array;
  readonly scaling: Equilibration;

  constructor(problem: ConicProblem, settings: EquilibrationSettings) {
    const n = problem.q.length;
    const m = problem.b.length;
    this.n = n;
    this.m = m;
    const rotated: number[] = [];
    const rowRole = new Int8Array(m); // 1: u row of a rotated block, 2: v row
    let row = 0;
    this.cones = problem.cones.map((cone) => {
      if (cone.type === 'rotatedSecondOrder') {
        rotated.push(row);
        rowRole[row] = 1;
        rowRole[row + 1] = 2;
      }
      row += cone.dim;
      return { type: cone.type === 'rotatedSecondOrder' ? 'secondOrder' : cone.type, dim: cone.dim };
    });
    this.rotatedRows = Int32Array.from(rotated);
    this.P = { ...problem.P, colptr: problem.P.colptr.slice(), rowval: problem.P.rowval.slice(), nzval: problem.P.nzval.slice() };
    this.A = rotated.length > 0 ? rotateRows(problem.A, rowRole) : { ...problem.A, colptr: problem.A.colptr.slice(), rowval: problem.A.rowval.slice(), nzval: problem.A.nzval.slice() };
    this.q = new Float64Array(n);
    this.b = new Float64Array(m);
    this.scaling = equilibrate(this.P, this.A, problem.q, this.cones, settings);
    this.setLinearCost(problem.q);
    this.setRhs(problem.b);
  }

  /** q^ = c D q. */
  setLinearCost(q: Float64Array): void {
    const { D, c } = this.scaling;
    for (let j = 0; j < this.n; j++) this.q[j] = c * D[j]! * q[j]!;
  }

  /** b^ = E T b. */
  setRhs(b: Float64Array): void {
    this.b.set(b);
    this.rotate(this.b);
    const { E } = this.scaling;
    for (let i = 0; i < this.m; i++) this.b[i]! *= E[i]!;
  }

  /** P^ = c D P D with the kept scaling (values in the caller's pattern order). */
  setQuadraticCostValues(values: Float64Array): void {
    this.P.nzval.set(values);
    const { D, c } = this.scaling;
    scaleMatrix(this.P, D, D, c);
  }

  /** Applies T (its own inverse) in place: maps rotated (u, v) rows to (t, r) and back. */
  rotate(v: Float64Array): void {
    const rows = this.rotatedRows;
    for (let k = 0; k < rows.length; k++) {
      const u = rows[k]!;
      const a = v[u]!;
      const c = v[u + 1]!;
      v[u] = SQRT_HALF * (a + c);
      v[u + 1] = SQRT_HALF * (a - c);
    }
  }
}

function rotateRows(A: CscMatrix, rowRole: Int8Array): CscMatrix {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let j = 0; j < A.ncols; j++) {
    for (let p = A.colptr[j]!; p < A.colptr[j + 1]!; p++) {
      const i = A.rowval[p]!;
      const v = A.nzval[p]!;
      const role = rowRole[i]!;
      if (role === 0) {
        rows.push(i);
        cols.push(j);
        vals.push(v);
      } else {
        const u = role === 1 ? i : i - 1;
        rows.push(u, u + 1);
        cols.push(j, j);
        vals.push(SQRT_HALF * v, role === 1 ? SQRT_HALF * v : -SQRT_HALF * v);
      }
    }
  }
  return cscFromTriplets(A.nrows, A.ncols, rows, cols, vals);
}
