import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProgramBuilder, tripletsToCsc } from './programBuilder.js';

describe('ProgramBuilder', () => {
  it('lays rows out zero → nonnegative → second-order and finds them by tag', () => {
    const b = new ProgramBuilder();
    const x = b.addVariables('x', 3);
    b.addSecondOrderCone('cone', [{ cols: [x.start], coefs: [1] }, { cols: [x.start + 1], coefs: [1] }, { cols: [x.start + 2], coefs: [1] }]);
    b.addLessEqual('le', [x.start], [1], 4);
    b.addEquality('eq', [x.start, x.start + 1], [1, 1], 2);
    b.addBounds('bx', x.start + 2, 0, 0);
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

  it('rejects a tag used twice', () => {
    const b = new ProgramBuilder();
    const x = b.addVariables('x', 1);
    b.addEquality('row', [x.start], [1], 0);
    b.addLessEqual('row', [x.start], [1], 0);
    assert.throws(() => b.build(), /used twice/);
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
