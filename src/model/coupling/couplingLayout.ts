/**
 * The consensus-ADMM coupling layout (docs/admm-protocol.md §Coupling layout): which global
 * entries z holds, which local copies each bus keeps, and the copy counts used by the
 * averaging step (eq. 16). Shared by the float ADMM, its fixed-point mirror and the contract.
 */
import { GridError } from '../../core/errors.js';

export type BranchFlowConvention = 'receivingEnd' | 'sendingEnd';
export type CouplingQuantity = 'pFlow' | 'qFlow' | 'currentSq' | 'voltageSq';

export interface CouplingEntry {
  bus: number;
  quantity: CouplingQuantity;
}

export interface CouplingLayout {
  convention: BranchFlowConvention;
  periods: number;
  busCount: number;
  /** Entry e covers global indices e·periods … e·periods + periods − 1. */
  entries: CouplingEntry[];
  /** Entry index of each bus's quantity, −1 where the bus has none (the root has no flows). */
  pFlowEntry: Int32Array;
  qFlowEntry: Int32Array;
  currentSqEntry: Int32Array;
  voltageSqEntry: Int32Array;
  /** G = entries.length · periods. */
  globalSize: number;
  /** n_g: number of local copies of each global value (length G). */
  copyCount: Int32Array;
  /** Per bus: the entry index of each of its copied entries, in local order. */
  busCopyEntries: Int32Array[];
  /** Per bus: the global index of each local value (copyMap; length = busCopyEntries·periods). */
  copyMap: Int32Array[];
  /** Per bus: offset of its first local value in the concatenation of all local vectors. */
  localOffset: Int32Array;
  /** C = Σ_g n_g = total number of local values. */
  totalCopies: number;
}

/**
 * Builds the layout for a radial tree given in topological order (`parent[0] = −1`,
 * `parent[k] < k`).
 * @throws GridError when the parent array is not such a tree or periods < 1.
 */
export function buildCouplingLayout(
  parent: readonly number[],
  periods: number,
  convention: BranchFlowConvention = 'receivingEnd',
): CouplingLayout {
  const busCount = parent.length;
  if (busCount < 1) throw new GridError('the network has no buses', { field: 'parent', fix: ['give at least the substation bus'] });
  if (!Number.isInteger(periods) || periods < 1) {
    throw new GridError(`periods must be a positive integer, got ${periods}`, { field: 'periods', fix: ['use e.g. 24'] });
  }
  if (parent[0] !== -1) throw new GridError('bus 0 must be the root (parent −1)', { field: 'parent[0]', fix: ['order buses from the substation'] });
  const children: number[][] = Array.from({ length: busCount }, () => []);
  for (let k = 1; k < busCount; k++) {
    const p = parent[k]!;
    if (!Number.isInteger(p) || p < 0 || p >= k) {
      throw new GridError(`parent of bus ${k} is ${p}; it must be an earlier bus index`, {
        field: `parent[${k}]`,
        fix: ['order buses so that every parent comes before its children (tree order from the substation)'],
      });
    }
    children[p]!.push(k);
  }

  const entries: CouplingEntry[] = [];
  const none = () => new Int32Array(busCount).fill(-1);
  const pFlowEntry = none();
  const qFlowEntry = none();
  const currentSqEntry = none();
  const voltageSqEntry = none();
  for (let i = 0; i < busCount; i++) {
    if (i > 0) {
      pFlowEntry[i] = entries.push({ bus: i, quantity: 'pFlow' }) - 1;
      qFlowEntry[i] = entries.push({ bus: i, quantity: 'qFlow' }) - 1;
      if (convention === 'sendingEnd') currentSqEntry[i] = entries.push({ bus: i, quantity: 'currentSq' }) - 1;
    }
    voltageSqEntry[i] = entries.push({ bus: i, quantity: 'voltageSq' }) - 1;
  }

  const busCopyEntries: Int32Array[] = [];
  for (let b = 0; b < busCount; b++) {
    const list: number[] = [];
    const ownFlows = (i: number) => {
      list.push(pFlowEntry[i]!, qFlowEntry[i]!);
      if (convention === 'sendingEnd') list.push(currentSqEntry[i]!);
    };
    if (b > 0) ownFlows(b);
    list.push(voltageSqEntry[b]!);
    if (b > 0) list.push(voltageSqEntry[parent[b]!]!);
    for (const k of children[b]!) ownFlows(k);
    busCopyEntries.push(Int32Array.from(list));
  }

  const globalSize = entries.length * periods;
  const copyCount = new Int32Array(globalSize);
  const copyMap: Int32Array[] = [];
  const localOffset = new Int32Array(busCount);
  let offset = 0;
  for (let b = 0; b < busCount; b++) {
    const list = busCopyEntries[b]!;
    const map = new Int32Array(list.length * periods);
    for (let j = 0; j < list.length; j++) {
      for (let t = 0; t < periods; t++) {
        const g = list[j]! * periods + t;
        map[j * periods + t] = g;
        copyCount[g]!++;
      }
    }
    copyMap.push(map);
    localOffset[b] = offset;
    offset += map.length;
  }

  return {
    convention, periods, busCount, entries, pFlowEntry, qFlowEntry, currentSqEntry, voltageSqEntry,
    globalSize, copyCount, busCopyEntries, copyMap, localOffset, totalCopies: offset,
  };
}
