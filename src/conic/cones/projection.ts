import type { InternalCone } from './coneSet.js';

/**
 * Euclidean projection of v onto K = K_1 x K_2 x ..., in place: zero rows to 0, nonnegative
 * rows to max(0, v_i), a second-order block (t, w) to itself when ||w|| <= t, to 0 when
 * ||w|| <= -t, else to ((t + ||w||) / 2) (1, w / ||w||).
 */
export function projectOntoCones(cones: readonly InternalCone[], v: Float64Array): void {
  let o = 0;
  for (const cone of cones) {
    const d = cone.dim;
    if (cone.type === 'zero') for (let k = 0; k < d; k++) v[o + k] = 0;
    else if (cone.type === 'nonnegative') for (let k = 0; k < d; k++) v[o + k] = Math.max(0, v[o + k]!);
    else {
      let sum = 0;
      for (let k = 1; k < d; k++) sum += v[o + k]! * v[o + k]!;
      const norm = Math.sqrt(sum);
      const t = v[o]!;
      if (norm <= -t) for (let k = 0; k < d; k++) v[o + k] = 0;
      else if (norm > t) {
        const half = (t + norm) / 2;
        v[o] = half;
        for (let k = 1; k < d; k++) v[o + k] = (half * v[o + k]!) / norm;
      }
    }
    o += d;
  }
}
