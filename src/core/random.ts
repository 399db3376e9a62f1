/**
 * Seeded randomness: mulberry32 (Tommy Ettinger's 32-bit generator, public domain idea), small,
 * fast and fully determined by one uint32 seed. Not for cryptography: only for reproducible
 * scenarios. Every random draw in gridconsensus goes through a `Random` made here.
 */
export interface Random {
  /** The seed this stream started from. */
  readonly seed: number;
  /** Uniform on [0, 1). */
  next(): number;
  /** Uniform on [low, high). */
  uniform(low: number, high: number): number;
  /** Uniform integer on [low, high] (both inclusive). */
  integer(low: number, high: number): number;
  /** One element, each equally likely. */
  choice<T>(items: readonly T[]): T;
  /** A new array with the items in random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[];
}

/** Largest seed accepted; seeds are unsigned 32-bit integers. */
export const maxSeed = 0xffffffff;

export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed) || seed < 0 || seed > maxSeed) {
    throw new RangeError(`seed must be an integer in [0, ${maxSeed}], got ${seed}`);
  }
  let state = seed >>> 0;
  const next = (): number => {
    // mulberry32: add a Weyl constant, then two multiply-xorshift rounds.
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  const integer = (low: number, high: number): number => {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high < low) throw new RangeError(`integer(${low}, ${high}): need integers with low <= high`);
    return low + Math.floor(next() * (high - low + 1));
  };
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = integer(0, i);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  };
  return {
    seed,
    next,
    uniform: (low, high) => low + (high - low) * next(),
    integer,
    choice: (items) => {
      if (items.length === 0) throw new RangeError('choice() needs at least one item');
      return items[integer(0, items.length - 1)]!;
    },
    shuffle,
    sample: (items, count) => {
      if (!Number.isInteger(count) || count < 0 || count > items.length) throw new RangeError(`sample(): count ${count} not in [0, ${items.length}]`);
      return shuffle(items).slice(0, count);
    },
  };
}
