import { ConicInputError } from '../conicInputError.js';
import type { ConicProblem, CscMatrix } from '../types.js';

/**
 * Checks a problem before anything is built: dimensions agree, CSC arrays are well formed,
 * every number is finite, P holds only its upper triangle, and the cones cover A's rows exactly.
 * @throws ConicInputError naming the first offending field (e.g. `A.nzval[17]`) and the fix.
 */
export function validateProblem(problem: ConicProblem): void {
  const { P, q, A, b, cones } = problem;
  if (!(q instanceof Float64Array)) throw new ConicInputError('q', 'must be a Float64Array', ['pass Float64Array.from(values)']);
  if (!(b instanceof Float64Array)) throw new ConicInputError('b', 'must be a Float64Array', ['pass Float64Array.from(values)']);
  const n = q.length;
  const m = b.length;
  validateCsc('P', P, n, n);
  validateCsc('A', A, m, n);
  for (let j = 0; j < n; j++) {
    for (let p = P.colptr[j]!; p < P.colptr[j + 1]!; p++) {
      if (P.rowval[p]! > j) {
        throw new ConicInputError(`P.rowval[${p}]`, `entry (${P.rowval[p]}, ${j}) is below the diagonal`, [
          'pass only the upper triangle of P (row <= column); upperTriangle(P) drops the lower part',
        ]);
      }
    }
  }
  finiteVector('q', q);
  finiteVector('b', b);
  if (!Array.isArray(cones)) throw new ConicInputError('cones', 'must be an array of cone blocks', ['pass e.g. [{ type: "zero", dim: 3 }]']);
  let rows = 0;
  cones.forEach((cone, k) => {
    const field = `cones[${k}]`;
    const minDim = cone.type === 'rotatedSecondOrder' ? 2 : 1;
    if (!['zero', 'nonnegative', 'secondOrder', 'rotatedSecondOrder'].includes(cone.type)) {
      throw new ConicInputError(`${field}.type`, `unknown cone type ${JSON.stringify(cone.type)}`, [
        'use zero, nonnegative, secondOrder or rotatedSecondOrder',
      ]);
    }
    if (!Number.isInteger(cone.dim) || cone.dim < minDim) {
      throw new ConicInputError(`${field}.dim`, `must be a whole number >= ${minDim} for a ${cone.type} cone, got ${String(cone.dim)}`, [
        cone.type === 'rotatedSecondOrder' ? 'a rotated cone needs at least its two rows u and v' : 'drop empty cone blocks',
      ]);
    }
    rows += cone.dim;
  });
  if (rows !== m) {
    throw new ConicInputError('cones', `cone dims add up to ${rows} but A has ${m} rows (b.length)`, [
      'give one cone block per group of rows so that the dims sum to A.nrows',
    ]);
  }
}

function validateCsc(name: string, M: CscMatrix, nrows: number, ncols: number): void {
  if (M === null || typeof M !== 'object') throw new ConicInputError(name, 'is missing', ['pass a CscMatrix { nrows, ncols, colptr, rowval, nzval }']);
  if (M.nrows !== nrows || M.ncols !== ncols) {
    const expected = name === 'P' ? `${ncols}x${ncols} (q.length)` : `${nrows}x${ncols} (b.length x q.length)`;
    throw new ConicInputError(name, `is ${M.nrows}x${M.ncols} but must be ${expected}`, [
      `build ${name} with the dimensions of q and b`,
    ]);
  }
  if (!(M.colptr instanceof Int32Array) || !(M.rowval instanceof Int32Array) || !(M.nzval instanceof Float64Array)) {
    throw new ConicInputError(name, 'colptr and rowval must be Int32Array and nzval a Float64Array', [
      'use cscFromTriplets(...) to build the matrix',
    ]);
  }
  if (M.colptr.length !== ncols + 1) {
    throw new ConicInputError(`${name}.colptr`, `has length ${M.colptr.length}, expected ncols + 1 = ${ncols + 1}`, [
      'colptr needs one entry per column plus a final one holding nnz',
    ]);
  }
  const nnz = M.colptr[ncols]!;
  if (M.colptr[0] !== 0 || M.rowval.length !== nnz || M.nzval.length !== nnz) {
    throw new ConicInputError(`${name}.colptr`, `colptr must start at 0 and end at nnz = rowval.length = nzval.length (got ${M.colptr[0]}, ${nnz}, ${M.rowval.length}, ${M.nzval.length})`, [
      'use cscFromTriplets(...) to build the matrix',
    ]);
  }
  for (let j = 0; j < ncols; j++) {
    if (M.colptr[j + 1]! < M.colptr[j]!) {
      throw new ConicInputError(`${name}.colptr[${j + 1}]`, 'decreases', ['colptr must be nondecreasing']);
    }
  }
  for (let p = 0; p < nnz; p++) {
    const r = M.rowval[p]!;
    if (r < 0 || r >= nrows) {
      throw new ConicInputError(`${name}.rowval[${p}]`, `row index ${r} is outside 0..${nrows - 1}`, ['fix the row index']);
    }
    const v = M.nzval[p]!;
    if (!Number.isFinite(v)) {
      throw new ConicInputError(`${name}.nzval[${p}]`, `is ${String(v)}`, [
        'every matrix entry must be finite; drop infinite bounds before building the problem',
      ]);
    }
  }
}

function finiteVector(name: string, v: Float64Array): void {
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) {
      throw new ConicInputError(`${name}[${i}]`, `is ${String(v[i])}`, [
        name === 'b' ? 'drop rows whose bound is infinite instead of passing Infinity' : 'every cost entry must be finite',
      ]);
    }
  }
}
