/**
 * Renewable (PV) injection (model.md §Devices): a fixed zero-cost profile, or, when curtailable,
 * a variable p(t) ∈ [0, available(t)]. Reactive power stays the given profile.
 */
import type { Photovoltaic } from '../../scenario/types.js';
import { addActiveTerms } from '../network/busInjection.js';
import { addPeriodVariables, type DeviceContext } from './deviceContext.js';

export interface PhotovoltaicHandle {
  kind: 'pv';
  device: Photovoltaic;
  /** Columns of the curtailable output; null when the profile is fixed. */
  p: Int32Array | null;
}

export function addPhotovoltaic(ctx: DeviceContext, device: Photovoltaic): PhotovoltaicHandle {
  const { injection } = ctx;
  let p: Int32Array | null = null;
  if (device.curtailable) {
    p = addPeriodVariables(ctx, `pv[${device.name}].p`);
    ctx.builder.addBoundsBlock(`pv[${device.name}].p`, p, 0, device.p);
    addActiveTerms(injection, p, 1);
  }
  for (let t = 0; t < ctx.periods; t++) {
    if (!p) injection.pConstant[t]! += device.p[t]!;
    injection.qConstant[t]! += device.q[t]!;
  }
  return { kind: 'pv', device, p };
}
