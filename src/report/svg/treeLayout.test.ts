import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ReportError } from '../reportError.js';
import { layoutTree } from './treeLayout.js';

/** Random trees: node k's parent is an earlier node; then node labels are shuffled. */
const randomTree = fc
  .array(fc.nat(), { minLength: 0, maxLength: 60 })
  .chain((picks) => fc.tuple(fc.constant(picks), fc.shuffledSubarray(Array.from({ length: picks.length + 1 }, (_, k) => k), { minLength: picks.length + 1, maxLength: picks.length + 1 })))
  .map(([picks, order]) => {
    const ordered = [-1, ...picks.map((p, k) => p % (k + 1))];
    const parent = new Array<number>(ordered.length);
    ordered.forEach((p, k) => (parent[order[k]!] = p < 0 ? -1 : order[p]!));
    return parent;
  });

test('children sit one level below their parent', () => {
  fc.assert(
    fc.property(randomTree, (parent) => {
      const layout = layoutTree(parent);
      parent.forEach((p, k) => {
        if (p < 0) assert.equal(layout.depth[k], 0);
        else assert.equal(layout.depth[k], layout.depth[p]! + 1);
      });
    }),
    { seed: 11, numRuns: 200 },
  );
});

test('leaves take distinct slots and nodes on one level never overlap', () => {
  fc.assert(
    fc.property(randomTree, (parent) => {
      const layout = layoutTree(parent);
      const isLeaf = parent.map((_, k) => !parent.includes(k));
      const leafSlots = layout.breadth.filter((_, k) => isLeaf[k]).sort((a, b) => a - b);
      assert.deepEqual(leafSlots, leafSlots.map((_, k) => k));
      assert.equal(layout.leafCount, leafSlots.length);
      for (let d = 0; d <= layout.maxDepth; d++) {
        const level = layout.breadth.filter((_, k) => layout.depth[k] === d).sort((a, b) => a - b);
        for (let k = 1; k < level.length; k++) assert.ok(level[k]! - level[k - 1]! >= 1 - 1e-12, `level ${d}: ${level.join(',')}`);
      }
    }),
    { seed: 12, numRuns: 200 },
  );
});

test('a parent is centred over its first and last child', () => {
  const layout = layoutTree([-1, 0, 0, 1, 1, 2]);
  assert.deepEqual(layout.breadth, [1.25, 0.5, 2, 0, 1, 2]);
  assert.equal(layout.maxDepth, 2);
});

test('malformed parent lists are reported with the field', () => {
  assert.throws(() => layoutTree([]), ReportError);
  assert.throws(() => layoutTree([-1, -1]), /2 roots/);
  assert.throws(() => layoutTree([-1, 5]), (e: unknown) => e instanceof ReportError && e.field === 'nodes[1].parent');
  assert.throws(() => layoutTree([-1, 2, 1]), /not connected/);
});
