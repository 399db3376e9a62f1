import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateDistFlowProblem } from '../../bench/conicDistFlowGenerator.js';
import { solveConic } from './index.js';
import { knownOptimumProblem } from './testing/generatedProblems.js';
import type { ConicProblem } from './types.js';

interface ScsModule {
  ScsSettings: new () => Record<string, number | boolean>;
  setDefaultSettings(settings: Record<string, number | boolean>): void;
  solve(data: object, cone: object, settings: object): { status: number | string; info: { pobj: number } };
}

/** Our problem in SCS's layout: rows ordered zero, nonnegative, second-order (rotated ones mapped by T). */
function toScs(problem: ConicProblem): { data: object; cone: object } {
  const rowTarget: number[] = [];
  const rowMix: number[][] = [];
  const kinds = ['zero', 'nonnegative', 'cone'] as const;
  const socDims: number[] = [];
  let z = 0;
  let l = 0;
  let next = 0;
  for (const kind of kinds) {
    let row = 0;
    for (const cone of problem.cones) {
      const isKind = kind === 'cone' ? cone.type === 'secondOrder' || cone.type === 'rotatedSecondOrder' : cone.type === kind;
      if (isKind) {
        for (let k = 0; k < cone.dim; k++) rowTarget[row + k] = next + k;
        if (cone.type === 'rotatedSecondOrder') rowMix[row] = [next, next + 1];
        if (kind === 'zero') z += cone.dim;
        else if (kind === 'nonnegative') l += cone.dim;
        else socDims.push(cone.dim);
        next += cone.dim;
      }
      row += cone.dim;
    }
  }
  const m = problem.b.length;
  const n = problem.q.length;
  const dense = Array.from({ length: m }, () => new Array<number>(n).fill(0));
  const b = new Array<number>(m).fill(0);
  const rotatedFirst = new Set(Object.keys(rowMix).map(Number));
  for (let j = 0; j < n; j++) {
    for (let p = problem.A.colptr[j]!; p < problem.A.colptr[j + 1]!; p++) dense[problem.A.rowval[p]!]![j]! += problem.A.nzval[p]!;
  }
  const mixed = dense.map((r) => r.slice());
  const mixedB = Array.from(problem.b);
  for (const u of rotatedFirst) {
    for (let j = 0; j < n; j++) {
      mixed[u]![j] = (dense[u]![j]! + dense[u + 1]![j]!) / Math.SQRT2;
      mixed[u + 1]![j] = (dense[u]![j]! - dense[u + 1]![j]!) / Math.SQRT2;
    }
    mixedB[u] = (problem.b[u]! + problem.b[u + 1]!) / Math.SQRT2;
    mixedB[u + 1] = (problem.b[u]! - problem.b[u + 1]!) / Math.SQRT2;
  }
  const A_x: number[] = [];
  const A_i: number[] = [];
  const A_p: number[] = [0];
  const ordered = new Array<number[]>(m);
  for (let i = 0; i < m; i++) {
    ordered[rowTarget[i]!] = mixed[i]!;
    b[rowTarget[i]!] = mixedB[i]!;
  }
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      if (ordered[i]![j] !== 0) {
        A_x.push(ordered[i]![j]!);
        A_i.push(i);
      }
    }
    A_p.push(A_x.length);
  }
  return {
    data: {
      m, n, A_x, A_i, A_p,
      P_x: Array.from(problem.P.nzval), P_i: Array.from(problem.P.rowval), P_p: Array.from(problem.P.colptr),
      b, c: Array.from(problem.q),
    },
    cone: { z, l, q: socDims, qsize: socDims.length },
  };
}

test('objectives agree with SCS (WebAssembly) at its high accuracy', async () => {
  // scs-solver ships no type declarations; a non-literal specifier keeps tsc from asking for them
  const specifier = 'scs-solver';
  const createScs = ((await import(specifier)) as { default: () => Promise<ScsModule> }).default;
  const scs = await createScs();
  const problems = [generateDistFlowProblem({ buses: 6, periods: 2, seed: 9 }), knownOptimumProblem(5).problem, knownOptimumProblem(6).problem];
  for (const problem of problems) {
    const { data, cone } = toScs(problem);
    const settings = new scs.ScsSettings();
    scs.setDefaultSettings(settings);
    settings.epsAbs = 1e-9;
    settings.epsRel = 1e-9;
    settings.verbose = 0;
    const reference = scs.solve(data, cone, settings);
    assert.ok(reference.status === 1 || reference.status === 'SOLVED', `SCS status ${String(reference.status)}`);
    const ours = solveConic(problem);
    assert.equal(ours.status, 'solved');
    const scale = Math.max(1, Math.abs(reference.info.pobj));
    assert.ok(Math.abs(ours.objective - reference.info.pobj) <= 1e-5 * scale, `${ours.objective} vs SCS ${reference.info.pobj}`);
  }
});
