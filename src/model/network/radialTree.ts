/**
 * Radial tree helpers: children lists, depth, the path from the root, given the scenario's
 * topological order (bus 0 = root, parent[k] < k, so index order is already a depth order).
 */
import { GridError } from '../../core/errors.js';

export interface RadialTree {
  busCount: number;
  parent: Int32Array;
  /** children[i] in increasing index order. */
  children: number[][];
  /** Number of lines between the root and each bus. */
  depth: Int32Array;
}

/** @throws GridError when `parent` is not a tree in topological order. */
export function buildRadialTree(parent: ArrayLike<number>): RadialTree {
  const busCount = parent.length;
  if (busCount < 1) throw new GridError('the network has no buses', { field: 'buses', fix: ['give at least the substation bus'] });
  if (parent[0] !== -1) {
    throw new GridError(`bus 0 must be the substation (parent -1), got parent ${parent[0]}`, { field: 'buses[0].parent', fix: ['list the substation first'] });
  }
  const parents = new Int32Array(busCount);
  const depth = new Int32Array(busCount);
  const children: number[][] = Array.from({ length: busCount }, () => []);
  parents[0] = -1;
  for (let k = 1; k < busCount; k++) {
    const p = parent[k]!;
    if (!Number.isInteger(p) || p < 0 || p >= k) {
      throw new GridError(`parent of bus ${k} is ${p}; it must be an earlier bus index`, {
        field: `buses[${k}].parent`,
        fix: ['order buses from the substation so that every parent comes before its children'],
      });
    }
    parents[k] = p;
    depth[k] = depth[p]! + 1;
    children[p]!.push(k);
  }
  return { busCount, parent: parents, children, depth };
}

/** Buses on the path from the root's first line down to `bus` (root excluded), top first. */
export function pathFromRoot(tree: RadialTree, bus: number): number[] {
  const path: number[] = [];
  for (let i = bus; i > 0; i = tree.parent[i]!) path.push(i);
  return path.reverse();
}
