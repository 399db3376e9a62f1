import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProgramBuilder, tripletsToCsc } from './programBuilder.js';

describe('ProgramBuilder', () => {
  it('lays rows out zero → nonnegative → second-order and finds them by tag', () => {
    const b = new ProgramBuilder();
    const x = b.addVariables('x', 3);
    b.addSecondOrderCone('cone', 0, [{ cols: [x.start], coefs: [1] }, { cols: [x.start + 1], coefs: [1] }, { cols: [x.start + 2], coefs: [1] }]);
    b.addLessEqual('le', 0, [x.start], [1], 4);
    b.addEquality('eq', 0, [x.start, x.start + 1], [1, 1], 2);
    b.addBounds('bx', 0, x.start + 2, 0, 0);
    b.addQuadraticCost(x.start + 1, x.start, 3);
    b.addConstantCost(7);
    const built = b.build();
    assert.deepEqual(built.problem.cones, [{ type: 'zero', dim: 2 }, { type: 'nonnegative', dim: 1 }, { type: 'secondOrder', dim: 3 }]);
    assert.deepEqual(built.rows.get('eq'), { row: 0, dim: 1 });
    assert.deepEqual(built.rows.get('bx.fixed'), { row: 1, dim: 1 });
    assert.deepEqual(built.rows.get('le'), { row: 2, dim: 1 });
    assert.deepEqual(built.rows.get('cone'), { row: 3, dim: 3 });
    assert.equal(built.constantCost, 7);
    // P holds the upper triangle only.
    assert.deepEqual(Array.from(built.problem.P.rowval), [0]);
    assert.deepEqual(Array.from(built.problem.P.colptr), [0, 0, 1, 1]);
    // Cone rows are stored negated so that s = (x0, x1, x2).
    assert.equal(built.problem.A.nzval[built.problem.A.colptr[0]! + 2], -1);
  });

  it('rejects a row tag used twice, in one cone family or across two', () => {
    const b = new ProgramBuilder();
    const x = b.addVariables('x', 1);
    b.addEquality('row', 0, [x.start], [1], 0);
    assert.throws(() => b.addEquality('row', 0, [x.start], [1], 1), /'row\[0\]' used twice/);
    assert.throws(() => b.addLessEqual('row', 1, [x.start], [1], 0), /'row' used twice/);
  });

  it('adds whole row blocks: per-row coefficients, skipped columns, index offsets; sorts and sums the columns', () => {
    const b = new ProgramBuilder();
    const x = b.addVariables('x', 2);
    // sum[0]: x0 + 2·x1 − 10·x0 = 3; sum[1]: x1 = 4 (the last two terms have no column in row 1).
    b.addEqualityBlock('sum', 2, [
      { cols: [x.start, x.start + 1], coef: 1 },
      { cols: [x.start + 1, -1], coef: [2, 5] },
      { cols: [x.start, -1], coef: -10 },
    ], [3, 4]);
    b.addBoundsBlock('x', [x.start, x.start + 1], -1, 1, 2);
    b.addBounds('y', 1, x.start + 1, 0.5, Infinity);
    b.addSecondOrderConeBlock('cone', 1, [[{ cols: [x.start], coef: 1 }], [{ cols: [x.start + 1], coef: 1 }]]);
    const built = b.build();
    assert.deepEqual(built.rows.get('sum', 1), { row: 1, dim: 1 });
    assert.deepEqual(built.rows.get('x.min', 3), { row: 3, dim: 1 });
    assert.equal(built.rows.get('x.min', 1), undefined);
    assert.deepEqual(built.rows.get('x.max', 2), { row: 4, dim: 1 });
    assert.deepEqual(built.rows.get('y.min', 1), { row: 6, dim: 1 });
    assert.equal(built.rows.get('y.min', 0), undefined);
    assert.deepEqual(built.rows.get('cone', 0), { row: 7, dim: 2 });
    assert.equal(built.rows.size, 5);
    assert.equal(built.rows.tagCount, 8);
    assert.deepEqual(Array.from(built.problem.b), [3, 4, 1, 1, 1, 1, -0.5, 0, 0]);
    assert.deepEqual(built.problem.cones, [{ type: 'zero', dim: 2 }, { type: 'nonnegative', dim: 5 }, { type: 'secondOrder', dim: 2 }]);
    // x0 in sum[0] summed (1 − 10); x1 met in row 1 before row 0 and sorted; cone rows negated (s = (x0, x1)).
    assert.deepEqual(Array.from(built.problem.A.colptr), [0, 4, 10]);
    assert.deepEqual(Array.from(built.problem.A.rowval), [0, 2, 4, 7, 0, 1, 3, 5, 6, 8]);
    assert.deepEqual(Array.from(built.problem.A.nzval), [-9, -1, 1, -1, 2, 1, -1, 1, -1, -1]);
    assert.throws(() => b.build(), /builds once/);
  });

  it('rejects a second block under a taken name and a bounds block with a missing column', () => {
    const b = new ProgramBuilder();
    const x = b.addVariables('x', 1);
    b.addEqualityBlock('e', 1, [{ cols: [x.start], coef: 1 }], 0);
    assert.throws(() => b.addEqualityBlock('e', 1, [{ cols: [x.start], coef: 1 }], 0), /'e' used twice/);
    assert.throws(() => b.addEquality('e', 3, [x.start], [1], 0), /'e\[3\]' used twice/);
    assert.throws(() => b.addBoundsBlock('v', [x.start, -1], 0, 1), /no column at index 1/);
  });

  it('tripletsToCsc sums duplicates and sorts rows (matches a dense reference)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat(4), fc.nat(3), fc.integer({ min: -5, max: 5 })), { maxLength: 30 }),
      (triplets) => {
        const csc = tripletsToCsc(5, 4, Int32Array.from(triplets.map((t) => t[0])), Int32Array.from(triplets.map((t) => t[1])), Float64Array.from(triplets.map((t) => t[2])));
        const dense = Array.from({ length: 5 }, () => new Array<number>(4).fill(0));
        for (const [r, c, v] of triplets) dense[r]![c]! += v;
        const fromCsc = Array.from({ length: 5 }, () => new Array<number>(4).fill(0));
        for (let c = 0; c < 4; c++) {
          let last = -1;
          for (let k = csc.colptr[c]!; k < csc.colptr[c + 1]!; k++) {
            assert.ok(csc.rowval[k]! > last);
            last = csc.rowval[k]!;
            fromCsc[csc.rowval[k]!]![c] = csc.nzval[k]!;
          }
        }
        assert.deepEqual(fromCsc, dense);
      },
    ));
  });
});
