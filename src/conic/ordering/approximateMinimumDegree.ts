import type { CscMatrix } from '../types.js';

/**
 * Fill-reducing ordering of a symmetric pattern by approximate minimum degree on a quotient
 * graph (eliminated nodes become "elements" that stand for their cliques, so memory stays
 * O(nnz(L)) instead of storing every fill edge). Degrees use the AMD upper bound
 * |A_i| + |L_p \ i| + sum_e |L_e \ L_p| and elements fully covered by the new one are absorbed.
 * No supervariable detection: our KKT systems have little indistinguishability to exploit.
 *
 * Everything lives in flat typed arrays (no per-node arrays, so no garbage in the solver's
 * setup): each variable's adjacency is one fixed slot of `adjacency` holding its elements then
 * its variables, and element member lists are appended to one growing `members` buffer.
 *
 * Input: any CSC whose pattern (either triangle or both) describes the symmetric matrix;
 * values and the diagonal are ignored. Returns `perm` with perm[k] = original index eliminated
 * k-th, and its inverse.
 */
export function approximateMinimumDegree(pattern: CscMatrix): { perm: Int32Array; inversePerm: Int32Array } {
  const n = pattern.ncols;
  // node i's slot is adjacency[slotStart[i] .. slotStart[i+1]): elementCount[i] elements, then
  // variableCount[i] variables. A slot never overflows: when i joins pivot p's clique it loses
  // p (a direct neighbour, now eliminated) or an element of p (absorbed), and gains only p.
  const { slotStart, adjacency, variableCount } = symmetricAdjacency(pattern);
  const elementCount = new Int32Array(n);
  // members of element e are members[memberStart[e] .. + memberCount[e]), kept as built (eliminated ones included)
  const memberStart = new Int32Array(n);
  const memberCount = new Int32Array(n);
  let members = new Int32Array(Math.max(16, 2 * adjacency.length));
  let membersUsed = 0;
  const clique = new Int32Array(n);
  const variableScratch = new Int32Array(n);
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
  const absorb = (e: number): void => {
    absorbed[e] = 1;
    memberCount[e] = 0;
  };
  const perm = new Int32Array(n);
  let eliminatedCount = 0;
  // room for `needed` more members: first squeeze out absorbed elements' lists, then grow
  const reserveMembers = (needed: number): void => {
    if (membersUsed + needed <= members.length) return;
    // lists were appended in elimination order, so walking perm keeps them in place order
    let used = 0;
    for (let q = 0; q < eliminatedCount; q++) {
      const e = perm[q]!;
      const count = memberCount[e]!;
      if (count === 0) continue;
      const from = memberStart[e]!;
      if (from !== used) members.copyWithin(used, from, from + count);
      memberStart[e] = used;
      used += count;
    }
    membersUsed = used;
    // grow when compaction freed less than half, so compactions stay rare
    if (2 * (membersUsed + needed) > members.length) {
      const grown = new Int32Array(Math.max(2 * members.length, 2 * (membersUsed + needed)));
      grown.set(members.subarray(0, membersUsed));
      members = grown;
    }
  };
  for (let i = 0; i < n; i++) insert(i, Math.min(variableCount[i]!, n));

  let minDegree = 0;
  for (let k = 0; k < n; k++) {
    while (head[minDegree]! < 0) minDegree++;
    const p = head[minDegree]!;
    remove(p);
    perm[k] = p;
    eliminated[p] = 1;
    // L_p: the union of p's elements and remaining neighbours, minus p
    let cliqueSize = 0;
    inPivotClique[p] = k;
    const pStart = slotStart[p]!;
    const pElementsEnd = pStart + elementCount[p]!;
    for (let t = pStart; t < pElementsEnd; t++) {
      const e = adjacency[t]!;
      if (absorbed[e]) continue;
      const from = memberStart[e]!;
      const to = from + memberCount[e]!;
      for (let q = from; q < to; q++) {
        const v = members[q]!;
        if (inPivotClique[v] !== k && !eliminated[v]) {
          inPivotClique[v] = k;
          clique[cliqueSize++] = v;
        }
      }
      absorb(e);
    }
    const pVariablesEnd = pElementsEnd + variableCount[p]!;
    for (let t = pElementsEnd; t < pVariablesEnd; t++) {
      const v = adjacency[t]!;
      if (inPivotClique[v] !== k && !eliminated[v]) {
        inPivotClique[v] = k;
        clique[cliqueSize++] = v;
      }
    }
    reserveMembers(cliqueSize);
    memberStart[p] = membersUsed;
    memberCount[p] = cliqueSize;
    // plain loops, not set(subarray): a subarray view per pivot costs more than the copy
    for (let c = 0; c < cliqueSize; c++) members[membersUsed++] = clique[c]!;
    eliminatedCount = k + 1;
    elementCount[p] = 0;
    variableCount[p] = 0;
    // |L_e \ L_p| for every element e touching the clique
    for (let c = 0; c < cliqueSize; c++) {
      const i = clique[c]!;
      const start = slotStart[i]!;
      const end = start + elementCount[i]!;
      for (let t = start; t < end; t++) {
        const e = adjacency[t]!;
        if (absorbed[e]) continue;
        if (externalStamp[e] !== k) {
          externalStamp[e] = k;
          externalCount[e] = memberCount[e]!;
        }
        externalCount[e]!--;
      }
    }
    const remaining = n - k - 1;
    for (let c = 0; c < cliqueSize; c++) {
      const i = clique[c]!;
      remove(i);
      // prune i's slot in place: drop absorbed elements, add p, drop eliminated and clique variables
      const start = slotStart[i]!;
      const elementsEnd = start + elementCount[i]!;
      const variablesEnd = elementsEnd + variableCount[i]!;
      let keptVariables = 0;
      for (let t = elementsEnd; t < variablesEnd; t++) {
        const u = adjacency[t]!;
        if (!eliminated[u] && inPivotClique[u] !== k) variableScratch[keptVariables++] = u;
      }
      let write = start;
      let elementDegree = 0;
      for (let t = start; t < elementsEnd; t++) {
        const e = adjacency[t]!;
        if (absorbed[e] || e === p) continue;
        const outside = externalCount[e]!;
        if (outside === 0) {
          absorb(e); // L_e inside L_p: aggressive absorption
          continue;
        }
        adjacency[write++] = e;
        elementDegree += outside;
      }
      adjacency[write++] = p;
      elementCount[i] = write - start;
      for (let t = 0; t < keptVariables; t++) adjacency[write + t] = variableScratch[t]!;
      variableCount[i] = keptVariables;
      const d = Math.min(remaining, keptVariables + cliqueSize - 1 + elementDegree);
      insert(i, Math.max(d, 0));
      if (d < minDegree) minDegree = Math.max(d, 0);
    }
  }
  const inversePerm = new Int32Array(n);
  for (let k = 0; k < n; k++) inversePerm[perm[k]!] = k;
  return { perm, inversePerm };
}

/** Off-diagonal neighbours of every node, without duplicates, each in one slot of a flat array. */
function symmetricAdjacency(pattern: CscMatrix): {
  slotStart: Int32Array;
  adjacency: Int32Array;
  variableCount: Int32Array;
} {
  const n = pattern.ncols;
  const { colptr, rowval } = pattern;
  const slotStart = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) {
    for (let p = colptr[j]!; p < colptr[j + 1]!; p++) {
      const i = rowval[p]!;
      if (i === j) continue;
      slotStart[i + 1]!++;
      slotStart[j + 1]!++;
    }
  }
  for (let i = 0; i < n; i++) slotStart[i + 1]! += slotStart[i]!;
  const adjacency = new Int32Array(slotStart[n]!);
  const variableCount = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    for (let p = colptr[j]!; p < colptr[j + 1]!; p++) {
      const i = rowval[p]!;
      if (i === j) continue;
      adjacency[slotStart[i]! + variableCount[i]!++] = j;
      adjacency[slotStart[j]! + variableCount[j]!++] = i;
    }
  }
  // drop duplicates (a pattern holding both triangles lists each edge twice); slots keep their size
  const seen = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const start = slotStart[i]!;
    const end = start + variableCount[i]!;
    let write = start;
    for (let t = start; t < end; t++) {
      const v = adjacency[t]!;
      if (seen[v] !== i) {
        seen[v] = i;
        adjacency[write++] = v;
      }
    }
    variableCount[i] = write - start;
  }
  return { slotStart, adjacency, variableCount };
}
