/** Smallest and largest of many numbers by a loop: Math.min(...xs) fails on arrays longer than the call-argument limit. */
export function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of values) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}
