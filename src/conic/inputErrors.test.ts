import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConicInputError, createConicSolver, cscFromTriplets, solveConic } from './index.js';
import { problemOf } from './testing/conicTestKit.js';
import type { ConicProblem } from './types.js';

function base(): ConicProblem {
  return problemOf([[1, 0], [0, 1]], [1, -1], [[1, 1], [-1, 0]], [1, 0], [{ type: 'zero', dim: 1 }, { type: 'nonnegative', dim: 1 }]);
}

function rejects(problem: ConicProblem, field: string, message: RegExp, settings = {}): void {
  assert.throws(
    () => solveConic(problem, settings),
    (err: unknown) => {
      assert.ok(err instanceof ConicInputError, 'a ConicInputError');
      assert.equal(err.field, field);
      assert.match(err.shortMessage, message);
      assert.ok(err.fix.length > 0, 'says how to fix it');
      return true;
    },
  );
}

test('a NaN in A is named by its index', () => {
  const p = base();
  p.A.nzval[2] = NaN;
  rejects(p, 'A.nzval[2]', /NaN/);
});

test('non-finite q and b entries are named', () => {
  const p = base();
  p.q[1] = Infinity;
  rejects(p, 'q[1]', /Infinity/);
  const r = base();
  r.b[0] = -Infinity;
  rejects(r, 'b[0]', /Infinity/);
});

test('dimensions that disagree are rejected', () => {
  const p = base();
  p.b = Float64Array.of(1, 0, 3);
  rejects(p, 'A', /2x2 but must be 3x2/);
  const r = base();
  r.q = Float64Array.of(1);
  rejects(r, 'P', /must be 1x1/);
});

test('cones must cover the rows exactly and have valid dims', () => {
  const p = base();
  p.cones = [{ type: 'nonnegative', dim: 1 }];
  rejects(p, 'cones', /add up to 1 but A has 2 rows/);
  const r = base();
  r.cones = [{ type: 'zero', dim: 1 }, { type: 'rotatedSecondOrder', dim: 1 }];
  rejects(r, 'cones[1].dim', />= 2/);
  const t = base();
  t.cones = [{ type: 'zero', dim: 0 }, { type: 'nonnegative', dim: 2 }];
  rejects(t, 'cones[0].dim', />= 1/);
});

test('P must be upper triangular', () => {
  const p = base();
  p.P = cscFromTriplets(2, 2, [0, 1, 1], [0, 0, 1], [1, 0.5, 1]);
  rejects(p, 'P.rowval[1]', /below the diagonal/);
});

test('bad settings are named', () => {
  rejects(base(), 'settings.tolFeas', /positive/, { tolFeas: -1 });
  rejects(base(), 'settings.maxStepFraction', /\(0, 1\)/, { maxStepFraction: 1 });
  rejects(base(), 'settings.maxIter', /whole number/, { maxIter: 2.5 });
});

test('updates with the wrong length are rejected', () => {
  const solver = createConicSolver(base());
  assert.throws(() => solver.updateLinearCost(Float64Array.of(1)), (e: unknown) => e instanceof ConicInputError && e.field === 'q');
  assert.throws(() => solver.updateRhs(Float64Array.of(1, NaN)), (e: unknown) => e instanceof ConicInputError && e.field === 'b[1]');
});
