/**
 * The final slices' net injections against what each bus's devices can inject (no I/O;
 * docs/verify.md §Injection limits). Each device's constraints (docs/model.md §Devices) bound its
 * injection per period; the bus's net injection (eq. 4–5) must lie within the sum of the bounds.
 * Inter-temporal constraints (battery energy, EV energy, one deferrable start) need the device
 * setpoints, which are private, so they are not checked.
 */
import type { Device, Scenario } from '../scenario/types.js';
import type { NetworkDiscrepancy } from './verifyScheduleAgainstNetwork.js';

/** [lowest, highest] injection of one device in period t, p.u. (withdrawals negative). */
export function deviceInjectionRange(device: Device, t: number, periods: number): [number, number] {
  switch (device.kind) {
    case 'generator': return [device.pMin, device.pMax];
    case 'pv': return [device.curtailable ? 0 : device.p[t]!, device.p[t]!];
    case 'fixedLoad': return [-device.p[t]!, -device.p[t]!];
    case 'battery': return [-device.chargeMax, device.dischargeMax];
    // Outside its window an EV draws nothing (eq. 8c–8d).
    case 'shapableLoad': return t >= device.windowStart && t < device.windowEnd ? [-device.pMax, -device.pMin] : [0, 0];
    case 'deferrableLoad': {
      // Relaxed, the draw is a convex mix of the profile shifted to each allowed start (eq. 9).
      const length = device.profile.length;
      const latest = Math.min(device.arrival + device.maxDelay, periods - length);
      let lo = Infinity;
      let hi = -Infinity;
      for (let start = device.arrival; start <= latest; start++) {
        const draw = t - start >= 0 && t - start < length ? device.profile[t - start]! : 0;
        lo = Math.min(lo, draw);
        hi = Math.max(hi, draw);
      }
      return lo > hi ? [0, 0] : [-hi, -lo];
    }
  }
}

/**
 * How far each slice injection lies outside its bus's range (0 inside); violations beyond
 * `tolerance` p.u. plus 1e-6 of the range's size.
 */
export function checkInjectionLimits(scenario: Scenario, sliceP: readonly (readonly number[])[], tolerance: number): NetworkDiscrepancy {
  const d: NetworkDiscrepancy = { largest: 0, bus: 0, period: 0, firstViolation: null };
  scenario.buses.forEach((bus, b) => {
    for (let t = 0; t < scenario.periods; t++) {
      let lo = 0;
      let hi = 0;
      for (const device of bus.devices) {
        const [l, h] = deviceInjectionRange(device, t, scenario.periods);
        lo += l;
        hi += h;
      }
      const p = sliceP[b]![t]!;
      const excess = p < lo ? p - lo : p > hi ? p - hi : 0;
      const a = Math.abs(excess);
      if (a > d.largest || Number.isNaN(a)) Object.assign(d, { largest: a, bus: b, period: t });
      const limit = tolerance + 1e-6 * Math.max(Math.abs(lo), Math.abs(hi));
      if ((a > limit || Number.isNaN(a)) && !d.firstViolation) d.firstViolation = { bus: b, period: t, value: excess, limit };
    }
  });
  return d;
}
