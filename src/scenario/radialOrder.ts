/**
 * Orders a radial network: depth-first from the root over the given lines, children in the
 * order their lines are listed, so every bus's parent comes before it (types.ts convention).
 * Reports every line that closes a cycle (with the loop it closes) and every bus the root
 * cannot reach, instead of stopping at the first.
 */
export interface TreeLine {
  from: string;
  to: string;
  /** Index of the line in the caller's list, echoed in problems. */
  index: number;
}

export type TreeProblem =
  | { kind: 'cycle'; lineIndex: number; loop: string[] }
  | { kind: 'disconnected'; buses: string[] };

export interface RadialOrder {
  /** Bus ids in tree order; order[0] is the root. */
  order: string[];
  /** Position of the parent in `order` (−1 for the root). */
  parent: number[];
  /** Index of the upstream line of each bus in `order` (−1 for the root). */
  upstreamLine: number[];
  problems: TreeProblem[];
}

export function orderRadialTree(busIds: readonly string[], root: string, lines: readonly TreeLine[]): RadialOrder {
  const adjacency = new Map<string, Array<{ to: string; line: number }>>(busIds.map((b) => [b, []]));
  const problems: TreeProblem[] = [];
  const component = new Map<string, string>(busIds.map((b) => [b, b]));
  const find = (b: string): string => {
    let r = b;
    while (component.get(r) !== r) r = component.get(r)!;
    component.set(b, r);
    return r;
  };
  for (const line of lines) {
    const a = find(line.from);
    const b = find(line.to);
    if (a === b) {
      problems.push({ kind: 'cycle', lineIndex: line.index, loop: pathBetween(adjacency, line.to, line.from) });
      continue;
    }
    component.set(a, b);
    adjacency.get(line.from)!.push({ to: line.to, line: line.index });
    adjacency.get(line.to)!.push({ to: line.from, line: line.index });
  }
  const order: string[] = [];
  const parent: number[] = [];
  const upstreamLine: number[] = [];
  const position = new Map<string, number>();
  const stack: Array<{ bus: string; parent: number; line: number }> = [{ bus: root, parent: -1, line: -1 }];
  while (stack.length > 0) {
    const { bus, parent: p, line } = stack.pop()!;
    if (position.has(bus)) continue;
    position.set(bus, order.length);
    order.push(bus);
    parent.push(p);
    upstreamLine.push(line);
    const here = position.get(bus)!;
    const next = adjacency.get(bus)!.filter((e) => !position.has(e.to));
    for (let i = next.length - 1; i >= 0; i--) stack.push({ bus: next[i]!.to, parent: here, line: next[i]!.line });
  }
  const unreached = busIds.filter((b) => !position.has(b));
  if (unreached.length > 0) problems.push({ kind: 'disconnected', buses: unreached });
  return { order, parent, upstreamLine, problems };
}

/** The buses on the tree path from `start` to `goal` (both included), found breadth-first. */
function pathBetween(adjacency: Map<string, Array<{ to: string }>>, start: string, goal: string): string[] {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const bus = queue[head]!;
    if (bus === goal) break;
    for (const e of adjacency.get(bus)!) {
      if (!previous.has(e.to)) {
        previous.set(e.to, bus);
        queue.push(e.to);
      }
    }
  }
  const path: string[] = [];
  for (let b: string | null | undefined = goal; b !== null && b !== undefined; b = previous.get(b)) path.push(b);
  return path.reverse();
}
