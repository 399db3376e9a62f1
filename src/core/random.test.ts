import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRandom } from './random.js';

describe('createRandom (mulberry32)', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const draw = (seed: number) => Array.from({ length: 8 }, createRandom(seed).next);
    assert.deepEqual(draw(42), draw(42));
    assert.notDeepEqual(draw(42), draw(43));
  });

  it('keeps every helper in its range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 20 }), (seed, low, span) => {
        const random = createRandom(seed);
        const u = random.uniform(low, low + span + 0.5);
        const k = random.integer(low, low + span);
        const items = Array.from({ length: span + 1 }, (_, i) => i);
        const picked = random.sample(items, Math.floor(span / 2));
        return random.next() >= 0 && u >= low && u < low + span + 0.5 && Number.isInteger(k) && k >= low && k <= low + span
          && new Set(picked).size === picked.length && picked.every((x) => items.includes(x)) && items.includes(random.choice(items));
      }),
    );
  });

  it('is roughly uniform', () => {
    const random = createRandom(7);
    const bins = new Array<number>(10).fill(0);
    for (let i = 0; i < 20000; i++) bins[Math.floor(random.next() * 10)]! += 1;
    for (const b of bins) assert.ok(Math.abs(b - 2000) < 200, `bin count ${b}`);
  });

  it('rejects seeds that are not unsigned 32-bit integers', () => {
    assert.throws(() => createRandom(-1), RangeError);
    assert.throws(() => createRandom(1.5), RangeError);
    assert.throws(() => createRandom(2 ** 32), RangeError);
  });
});
