/** Uncontrollable load (model.md §Devices): fixed p and q withdrawals. */
import type { FixedLoad } from '../../scenario/types.js';
import type { DeviceContext } from './deviceContext.js';

export interface FixedLoadHandle {
  kind: 'fixedLoad';
  device: FixedLoad;
}

export function addFixedLoad(ctx: DeviceContext, device: FixedLoad): FixedLoadHandle {
  for (let t = 0; t < ctx.periods; t++) {
    ctx.injection.pConstant[t]! -= device.p[t]!;
    ctx.injection.qConstant[t]! -= device.q[t]!;
  }
  return { kind: 'fixedLoad', device };
}
