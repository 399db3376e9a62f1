/**
 * Shapable load (EV, model.md §Devices, eq. 8): pMin ≤ s(t) ≤ pMax inside [windowStart,
 * windowEnd), s(t) = 0 outside (no variable there), Σ_t s(t)·dt = energy. Withdrawal s.
 */
import type { ShapableLoad } from '../../scenario/types.js';
import { addActiveTerms } from '../network/busInjection.js';
import { requireOrdered, type DeviceContext } from './deviceContext.js';

export interface ShapableLoadHandle {
  kind: 'shapableLoad';
  device: ShapableLoad;
  /** Column of s(t), −1 outside the window. */
  power: Int32Array;
}

/** Row block names (index 0). */
export const shapableTags = {
  energy: (name: string) => `shapable.energy[${name}]`,
};

export function addShapableLoad(ctx: DeviceContext, device: ShapableLoad): ShapableLoadHandle {
  const { builder, periods, dtHours } = ctx;
  requireOrdered(ctx, 'pMin', device.pMin, 'pMax', device.pMax);
  const start = Math.max(0, device.windowStart);
  const end = Math.min(periods, device.windowEnd);
  const power = new Int32Array(periods).fill(-1);
  const prefix = `shapable[${device.name}]`;
  const block = builder.addVariables(`${prefix}.p`, Math.max(0, end - start));
  for (let t = start; t < end; t++) power[t] = block.start + (t - start);
  addActiveTerms(ctx.injection, power, -1);
  const window = power.subarray(start, Math.max(start, end));
  builder.addBoundsBlock(block.name, window, device.pMin, device.pMax, start);
  // Σ_t dt·s(t) = energy over the window.
  builder.addEquality(shapableTags.energy(device.name), 0, window, new Float64Array(window.length).fill(dtHours), device.energy);
  return { kind: 'shapableLoad', device, power };
}
