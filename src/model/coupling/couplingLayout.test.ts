import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCouplingLayout } from './couplingLayout.js';

test('a 4-bus tree: entries, copies and counts follow docs/admm-protocol.md', () => {
  // 0 ─ 1 ─ 2
  //       └ 3
  const layout = buildCouplingLayout([-1, 0, 1, 1], 2);
  assert.equal(layout.entries.length, 1 + 3 * 3);
  assert.equal(layout.globalSize, 20);
  // Bus 1 copies: own P, Q, v; parent's v; children 2 and 3's P, Q.
  assert.equal(layout.busCopyEntries[1]!.length, 3 + 1 + 4);
  const v1 = layout.voltageSqEntry[1]!;
  assert.equal(layout.copyCount[v1 * 2], 3); // bus 1 and its two children
  assert.equal(layout.copyCount[layout.pFlowEntry[2]! * 2 + 1], 2);
  let sum = 0;
  for (const n of layout.copyCount) sum += n;
  assert.equal(sum, layout.totalCopies);
  assert.equal(layout.localOffset[3], layout.totalCopies - layout.copyMap[3]!.length);
});

test('SCE-56-sized chain sizes: G and C as in the protocol note', () => {
  const parent = [-1, ...Array.from({ length: 55 }, (_, k) => k)];
  const layout = buildCouplingLayout(parent, 24);
  assert.equal(layout.globalSize, (55 * 2 + 56) * 24);
  assert.equal(layout.totalCopies, (55 * 2 * 2 + 56 + 55) * 24);
});

test('sending-end adds the squared current as a coupled entry', () => {
  const layout = buildCouplingLayout([-1, 0], 1, 'sendingEnd');
  assert.deepEqual(layout.entries.map((e) => e.quantity), ['voltageSq', 'pFlow', 'qFlow', 'currentSq', 'voltageSq']);
  assert.equal(layout.busCopyEntries[0]!.length, 4);
});

test('a parent array out of tree order is rejected naming the bus', () => {
  assert.throws(() => buildCouplingLayout([-1, 2, 0], 1), /parent\[1\]/);
});
