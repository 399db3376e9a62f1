/**
 * Tidy layout of a rooted tree (the radial feeder): depth on one axis, leaves spread evenly on
 * the other in depth-first order, each parent centred over its first and last child. Subtrees
 * occupy disjoint breadth intervals, so no two nodes collide and edges never cross.
 */
import { ReportError } from '../reportError.js';

export interface TreeLayout {
  /** Edges from the root (root = 0). */
  depth: number[];
  /** Position across the tree in leaf slots: leaves at 0, 1, 2, …; parents in between. */
  breadth: number[];
  leafCount: number;
  maxDepth: number;
  root: number;
}

/**
 * @param parent parent index of each node, -1 for the one root; any order.
 * @throws ReportError when there is not exactly one root, a parent index is out of range, or
 *   the parent links contain a cycle.
 */
export function layoutTree(parent: readonly number[]): TreeLayout {
  const count = parent.length;
  if (count === 0) throw new ReportError('the tree has no nodes', { field: 'nodes', fix: ['give at least the substation'] });
  const children: number[][] = Array.from({ length: count }, () => []);
  const roots: number[] = [];
  parent.forEach((p, k) => {
    if (p === -1) roots.push(k);
    else if (!Number.isInteger(p) || p < 0 || p >= count || p === k) {
      throw new ReportError(`parent ${p} is not a node index`, { field: `nodes[${k}].parent`, fix: [`use -1 for the root or an index in 0..${count - 1}`] });
    } else children[p]!.push(k);
  });
  if (roots.length !== 1) {
    throw new ReportError(`the tree has ${roots.length} roots`, { field: 'nodes[].parent', fix: ['give exactly one node (the substation) parent -1'] });
  }
  const root = roots[0]!;
  const depth = new Array<number>(count).fill(-1);
  const breadth = new Array<number>(count).fill(0);
  // Iterative post-order walk: leaves take the next slot, parents centre over their children.
  let nextLeaf = 0;
  depth[root] = 0;
  const stack: { node: number; visited: boolean }[] = [{ node: root, visited: false }];
  let seen = 1;
  while (stack.length > 0) {
    const top = stack.pop()!;
    const kids = children[top.node]!;
    if (!top.visited) {
      stack.push({ node: top.node, visited: true });
      for (let k = kids.length - 1; k >= 0; k--) {
        depth[kids[k]!] = depth[top.node]! + 1;
        seen += 1;
        stack.push({ node: kids[k]!, visited: false });
      }
    } else if (kids.length === 0) {
      breadth[top.node] = nextLeaf++;
    } else {
      breadth[top.node] = (breadth[kids[0]!]! + breadth[kids[kids.length - 1]!]!) / 2;
    }
  }
  if (seen !== count) {
    const orphan = depth.findIndex((d) => d < 0);
    throw new ReportError(`node ${orphan} is not connected to the root (a cycle in the parent links)`, { field: `nodes[${orphan}].parent`, fix: ['make every parent chain end at the root'] });
  }
  return { depth, breadth, leafCount: nextLeaf, maxDepth: Math.max(...depth), root };
}
