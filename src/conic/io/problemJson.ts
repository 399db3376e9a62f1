import type { ConeSpec, ConicProblem, CscMatrix } from '../types.js';
import { ConicFileError } from './conicFileError.js';
import { cscOfTriplets } from './triplets.js';

/**
 * A plain JSON interchange form of a ConicProblem, read by scripts/reference/cvxopt_conic.py:
 * matrices as 0-based COO triplets, P as its upper triangle, cones in row order.
 */
export interface ProblemJson {
  format: 'gridconsensus-conic-v1';
  n: number;
  m: number;
  P: CooJson;
  q: number[];
  A: CooJson;
  b: number[];
  cones: ConeSpec[];
}

export interface CooJson {
  rows: number[];
  cols: number[];
  vals: number[];
}

export function writeProblemJson(problem: ConicProblem): string {
  const doc: ProblemJson = {
    format: 'gridconsensus-conic-v1',
    n: problem.q.length,
    m: problem.b.length,
    P: cooOf(problem.P),
    q: Array.from(problem.q),
    A: cooOf(problem.A),
    b: Array.from(problem.b),
    cones: problem.cones.map((c) => ({ ...c })),
  };
  return JSON.stringify(doc);
}

export function readProblemJson(text: string): ConicProblem {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new ConicFileError('problem JSON', undefined, `not valid JSON: ${(cause as Error).message}`, ['write the file with writeProblemJson']);
  }
  const d = doc as Partial<ProblemJson>;
  if (typeof d !== 'object' || d === null || d.format !== 'gridconsensus-conic-v1') {
    throw new ConicFileError('problem JSON', undefined, "missing format 'gridconsensus-conic-v1'", ['write the file with writeProblemJson']);
  }
  const n = checkCount(d.n, 'n');
  const m = checkCount(d.m, 'm');
  const q = checkVector(d.q, n, 'q');
  const b = checkVector(d.b, m, 'b');
  const cones = checkCones(d.cones, m);
  return { P: cscOf(d.P, n, n, 'P'), q, A: cscOf(d.A, m, n, 'A'), b, cones };
}

function cooOf(mat: CscMatrix): CooJson {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let j = 0; j < mat.ncols; j++) {
    for (let k = mat.colptr[j]!; k < mat.colptr[j + 1]!; k++) {
      rows.push(mat.rowval[k]!);
      cols.push(j);
      vals.push(mat.nzval[k]!);
    }
  }
  return { rows, cols, vals };
}

function cscOf(coo: CooJson | undefined, nrows: number, ncols: number, field: string): CscMatrix {
  const bad = (what: string): ConicFileError => new ConicFileError('problem JSON', undefined, `${field}: ${what}`, [`give ${field} as {rows, cols, vals} arrays of equal length with 0-based indices`]);
  if (!coo || !Array.isArray(coo.rows) || !Array.isArray(coo.cols) || !Array.isArray(coo.vals)) throw bad('missing rows/cols/vals');
  if (coo.rows.length !== coo.vals.length || coo.cols.length !== coo.vals.length) throw bad('rows, cols and vals differ in length');
  for (let k = 0; k < coo.vals.length; k++) {
    const r = coo.rows[k]!;
    const c = coo.cols[k]!;
    if (!Number.isInteger(r) || r < 0 || r >= nrows || !Number.isInteger(c) || c < 0 || c >= ncols) throw bad(`entry ${k} index (${r}, ${c}) outside ${nrows}x${ncols}`);
    if (!Number.isFinite(coo.vals[k])) throw bad(`entry ${k} is not a finite number`);
  }
  return cscOfTriplets(nrows, ncols, coo);
}

function checkCount(v: unknown, field: string): number {
  if (!Number.isInteger(v) || (v as number) < 0) throw new ConicFileError('problem JSON', undefined, `${field} must be a nonnegative integer`, [`set ${field}`]);
  return v as number;
}

function checkVector(v: unknown, length: number, field: string): Float64Array {
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => Number.isFinite(x))) {
    throw new ConicFileError('problem JSON', undefined, `${field} must be ${length} finite numbers`, [`give ${field} with ${length} entries`]);
  }
  return Float64Array.from(v as number[]);
}

function checkCones(v: unknown, m: number): ConeSpec[] {
  const types = new Set(['zero', 'nonnegative', 'secondOrder', 'rotatedSecondOrder']);
  const fail = (): never => {
    throw new ConicFileError('problem JSON', undefined, `cones must be {type, dim} blocks whose dims add up to m = ${m}`, ['types: zero, nonnegative, secondOrder, rotatedSecondOrder']);
  };
  if (!Array.isArray(v)) return fail();
  let total = 0;
  const out: ConeSpec[] = [];
  for (const c of v as Array<{ type?: unknown; dim?: unknown }>) {
    if (typeof c !== 'object' || c === null || !types.has(c.type as string) || !Number.isInteger(c.dim) || (c.dim as number) < 0) fail();
    total += c.dim as number;
    out.push({ type: c.type, dim: c.dim } as ConeSpec);
  }
  if (total !== m) fail();
  return out;
}
