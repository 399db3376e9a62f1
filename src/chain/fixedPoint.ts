/**
 * The one fixed-point encoding of the chain (docs/admm-protocol.md §Fixed point): int64 at scale
 * S = 1e9, and the calldata packing: zig-zag int64, 8 big-endian bytes per value, so small
 * negative numbers have zero high bytes (cheaper calldata, docs/chain-design.md).
 */
import { GridError } from '../core/errors.js';

export const fixedPointScale = 1_000_000_000n;
export const int64Min = -(1n << 63n);
export const int64Max = (1n << 63n) - 1n;

const scratch = new DataView(new ArrayBuffer(8));

/**
 * x · S rounded to the nearest integer (ties away from zero), computed exactly from the binary
 * value of x. Throws a GridError naming the value when x is not finite or the result leaves int64.
 */
export function toFixed(x: number, field = 'value'): bigint {
  if (!Number.isFinite(x)) {
    throw new GridError(`${x} cannot be encoded in fixed point`, { field, fix: ['give a finite number'] });
  }
  scratch.setFloat64(0, x);
  const bits = scratch.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  if (exponentBits !== 0) mantissa |= 1n << 52n;
  const exponent = (exponentBits === 0 ? 1 : exponentBits) - 1075; // |x| = mantissa · 2^exponent
  const scaled = mantissa * fixedPointScale;
  let magnitude: bigint;
  if (exponent >= 0) magnitude = scaled << BigInt(exponent);
  else {
    const shift = BigInt(-exponent);
    magnitude = (scaled + (1n << (shift - 1n))) >> shift;
  }
  const v = negative ? -magnitude : magnitude;
  if (v < int64Min || v > int64Max) {
    throw new GridError(`${x} is outside the int64 fixed-point range (|x| < 9.22e9 at scale 1e9)`, {
      field,
      fix: ['check the units: values are per unit (p.u.) and prices in currency per p.u.'],
    });
  }
  return v;
}

/** The number closest to v / S. */
export function fromFixed(v: bigint): number {
  const whole = v / fixedPointScale;
  const frac = v - whole * fixedPointScale;
  return Number(whole) + Number(frac) / 1e9;
}

/** Throws a GridError naming `field` when v is outside int64. */
export function assertInt64(v: bigint, field: string): bigint {
  if (v < int64Min || v > int64Max) {
    throw new GridError(`${v} is outside the int64 range`, { field, fix: ['the fixed-point computation overflowed int64; use smaller values or a smaller rho'] });
  }
  return v;
}

/** Zig-zag: 0, -1, 1, -2, ... -> 0, 1, 2, 3, ... */
export function zigzagEncode(v: bigint): bigint {
  return v >= 0n ? v << 1n : ((-v) << 1n) - 1n;
}

export function zigzagDecode(w: bigint): bigint {
  return (w & 1n) === 0n ? w >> 1n : -((w + 1n) >> 1n);
}

/** Packs int64 values as zig-zag 8-byte big-endian words (the calldata format of AdmmCoordinator). */
export function packInt64(values: readonly bigint[], field = 'values'): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  packInt64Into(new DataView(out.buffer), 0, values, field);
  return out;
}

/** packInt64 written into `view` from byte `offset` on; returns the offset after the last word. */
export function packInt64Into(view: DataView, offset: number, values: readonly bigint[], field = 'values'): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // the field name is built only for the error: a template string per value was most of the packing time
    if (v < int64Min || v > int64Max) assertInt64(v, `${field}[${i}]`);
    view.setBigUint64(offset, zigzagEncode(v));
    offset += 8;
  }
  return offset;
}

/** Inverse of packInt64. */
export function unpackInt64(bytes: Uint8Array, field = 'values'): bigint[] {
  if (bytes.length % 8 !== 0) {
    throw new GridError(`packed int64 data has ${bytes.length} bytes, not a multiple of 8`, { field, fix: ['pass the bytes produced by packInt64 unchanged'] });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<bigint>(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = zigzagDecode(view.getBigUint64(i * 8));
  return out;
}

/** Floor of the square root of a non-negative bigint (Newton's method). */
export function isqrt(a: bigint): bigint {
  if (a < 0n) throw new GridError(`isqrt of the negative value ${a}`, { field: 'isqrt', fix: ['pass a squared norm'] });
  if (a < 2n) return a;
  // Newton's method from a power of two above the root decreases monotonically to the floor.
  let x = 1n << BigInt(Math.ceil(a.toString(2).length / 2));
  for (;;) {
    const y = (x + a / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
