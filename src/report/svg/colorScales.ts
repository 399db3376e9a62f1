/**
 * Colour-blind-safe palettes: a viridis-like sequential ramp, a blue-white-red diverging ramp
 * (ColorBrewer RdBu, reversed so high is red) and the Okabe-Ito categorical set.
 */
import { ReportError } from '../reportError.js';

/** Sequential: dark purple (low) to yellow (high), perceptually ordered, readable in greyscale. */
export const sequentialStops: readonly string[] = [
  '#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725',
];

/** Diverging: blue (below centre), near-white (centre), red (above centre). */
export const divergingStops: readonly string[] = [
  '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b',
];

/** Okabe-Ito categorical colours (black moved last), safe for the common colour-vision deficiencies. */
export const categoricalColors: readonly string[] = [
  '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000',
];

/** Colour for missing (non-finite) cells and nodes. */
export const missingColor = '#d9dde3';

export type ColorScaleKind = 'sequential' | 'diverging';

export interface ColorScale {
  kind: ColorScaleKind;
  /** Value mapped to the first and last stop. */
  min: number;
  max: number;
  /** Diverging centre (the value mapped to the middle stop). */
  center: number;
  /** Colour for a value; values outside [min, max] clamp to the ends, non-finite → missingColor. */
  color(value: number): string;
}

function parseHex(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

/** Colour at position t in [0, 1] along the stops, interpolated in sRGB. */
export function interpolateStops(stops: readonly string[], t: number): string {
  const clamped = Math.min(1, Math.max(0, t));
  const scaled = clamped * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(scaled));
  const f = scaled - k;
  const a = parseHex(stops[k]!);
  const b = parseHex(stops[k + 1]!);
  return toHex([0, 1, 2].map((c) => a[c]! + (b[c]! - a[c]!) * f));
}

/**
 * A colour scale over [min, max]. A diverging scale is symmetric about `center` (default 0) so
 * equal distances from the centre get equally strong colours.
 */
export function colorScale(kind: ColorScaleKind, min: number, max: number, center = 0): ColorScale {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new ReportError(`colour range [${min}, ${max}] is not a finite range`, { field: 'colorDomain', fix: ['give finite bounds, smaller first'] });
  }
  let lo = min;
  let hi = max;
  if (kind === 'diverging') {
    const reach = Math.max(Math.abs(max - center), Math.abs(min - center)) || 1;
    lo = center - reach;
    hi = center + reach;
  } else if (hi === lo) {
    // A constant field: one mid colour rather than a division by zero.
    lo -= 0.5;
    hi += 0.5;
  }
  const stops = kind === 'diverging' ? divergingStops : sequentialStops;
  return {
    kind,
    min: lo,
    max: hi,
    center,
    color: (value: number) => (Number.isFinite(value) ? interpolateStops(stops, (value - lo) / (hi - lo)) : missingColor),
  };
}

/** Text colour readable on top of a fill (dark on light, white on dark), by relative luminance. */
export function textColorOn(fill: string): string {
  const [r, g, b] = parseHex(fill).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#1f2933' : '#ffffff';
}

/** The i-th categorical colour, cycling. */
export function categoricalColor(index: number): string {
  return categoricalColors[index % categoricalColors.length]!;
}
