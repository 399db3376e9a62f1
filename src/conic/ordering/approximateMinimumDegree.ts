import type { CscMatrix } from '../types.js';

/**
 * Fill-reducing ordering of a symmetric pattern by approximate minimum degree on a quotient
 * graph (eliminated nodes become "elements" that stand for their cliques, so memory stays
 * O(nnz(L)) instead of storing every fill edge). Degrees use the AMD upper bound
 * |A_i| + |L_p \ i| + sum_e |L_e \ L_p| and elements fully covered by the new one are absorbed.
 * No supervariable detection: our KKT systems have little indistinguishability to exploit.
 *
 * Input: any CSC whose pattern (either triangle or both) describes the symmetric matrix;
 * values and the diagonal are ignored. Returns `perm` with perm[k] = original index eliminated
 * k-th, and its inverse.
 */
export function approximateMinimumDegree(pattern: CscMatrix): { perm: Int32Array; inversePerm: Int32Array } {
  const n = pattern.ncols;
  const variableAdjacency = symmetricAdjacency(pattern);
  const elementAdjacency: number[][] = [];
  const elementMembers: number[][] = [];
  for (let i = 0; i < n; i++) {
    elementAdjacency.push([]);
    elementMembers.push([]);
  }
  const eliminated = new Uint8Array(n);
  const absorbed = new Uint8Array(n);
  const inPivotClique = new Int32Array(n).fill(-1);
  const externalCount = new Int32Array(n);
  const externalStamp = new Int32Array(n).fill(-1);
  const degree = new Int32Array(n);
  // degree buckets as doubly linked lists
  const head = new Int32Array(n + 1).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const insert = (i: number, d: number): void => {
    degree[i] = d;
    prev[i] = -1;
    next[i] = head[d]!;
    if (head[d]! >= 0) prev[head[d]!] = i;
    head[d] = i;
  };
  const remove = (i: number): void => {
    const d = degree[i]!;
    if (prev[i]! >= 0) next[prev[i]!] = next[i]!;
    else head[d] = next[i]!;
    if (next[i]! >= 0) prev[next[i]!] = prev[i]!;
  };
  for (let i = 0; i < n; i++) insert(i, Math.min(variableAdjacency[i]!.length, n));

  const perm = new Int32Array(n);
  let minDegree = 0;
  for (let k = 0; k < n; k++) {
    while (head[minDegree]! < 0) minDegree++;
    const p = head[minDegree]!;
    remove(p);
    perm[k] = p;
    eliminated[p] = 1;
    // L_p: the union of p's elements and remaining neighbours, minus p
    const clique: number[] = [];
    inPivotClique[p] = k;
    for (const e of elementAdjacency[p]!) {
      if (absorbed[e]) continue;
      for (const v of elementMembers[e]!) {
        if (inPivotClique[v] !== k && !eliminated[v]) {
          inPivotClique[v] = k;
          clique.push(v);
        }
      }
      absorbed[e] = 1;
      elementMembers[e] = [];
    }
    for (const v of variableAdjacency[p]!) {
      if (inPivotClique[v] !== k && !eliminated[v]) {
        inPivotClique[v] = k;
        clique.push(v);
      }
    }
    elementMembers[p] = clique;
    variableAdjacency[p] = [];
    elementAdjacency[p] = [];
    // |L_e \ L_p| for every element e touching the clique
    for (const i of clique) {
      for (const e of elementAdjacency[i]!) {
        if (absorbed[e]) continue;
        if (externalStamp[e] !== k) {
          externalStamp[e] = k;
          externalCount[e] = elementMembers[e]!.length;
        }
        externalCount[e]!--;
      }
    }
    const remaining = n - k - 1;
    for (const i of clique) {
      remove(i);
      // prune i's lists in place (no allocation per pivot): drop absorbed elements, add p
      const elements = elementAdjacency[i]!;
      let kept = 0;
      let elementDegree = 0;
      for (let t = 0; t < elements.length; t++) {
        const e = elements[t]!;
        if (absorbed[e] || e === p) continue;
        const outside = externalCount[e]!;
        if (outside === 0) {
          absorbed[e] = 1; // L_e inside L_p: aggressive absorption
          elementMembers[e] = [];
          continue;
        }
        elements[kept++] = e;
        elementDegree += outside;
      }
      elements.length = kept;
      elements.push(p);
      const variables = variableAdjacency[i]!;
      kept = 0;
      for (let t = 0; t < variables.length; t++) {
        const u = variables[t]!;
        if (!eliminated[u] && inPivotClique[u] !== k) variables[kept++] = u;
      }
      variables.length = kept;
      const d = Math.min(remaining, kept + clique.length - 1 + elementDegree);
      insert(i, Math.max(d, 0));
      if (d < minDegree) minDegree = Math.max(d, 0);
    }
  }
  const inversePerm = new Int32Array(n);
  for (let k = 0; k < n; k++) inversePerm[perm[k]!] = k;
  return { perm, inversePerm };
}

function symmetricAdjacency(pattern: CscMatrix): number[][] {
  const n = pattern.ncols;
  const adjacency: number[][] = [];
  for (let i = 0; i < n; i++) adjacency.push([]);
  const seen = new Int32Array(n).fill(-1);
  const { colptr, rowval } = pattern;
  for (let j = 0; j < n; j++) {
    for (let p = colptr[j]!; p < colptr[j + 1]!; p++) {
      const i = rowval[p]!;
      if (i === j) continue;
      adjacency[i]!.push(j);
      adjacency[j]!.push(i);
    }
  }
  // drop duplicates (a pattern holding both triangles lists each edge twice)
  for (let i = 0; i < n; i++) {
    const list = adjacency[i]!;
    let w = 0;
    for (let t = 0; t < list.length; t++) {
      const v = list[t]!;
      if (seen[v] !== i) {
        seen[v] = i;
        list[w++] = v;
      }
    }
    list.length = w;
  }
  return adjacency;
}
