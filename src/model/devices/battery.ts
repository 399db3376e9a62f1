/**
 * Battery (model.md §Devices, eq. 7 with the corrected end-of-day row):
 * 0 ≤ c ≤ chargeMax, 0 ≤ d ≤ dischargeMax, energyMin ≤ E(t) ≤ energyMax,
 * E(t) = E(t−1) + c(t)·dt·ηc − d(t)·dt/ηd with E(−1) = E0, (1 − ε)·E0 ≤ E(T−1) ≤ (1 + ε)·E0.
 * Net injection d − c. Charging and discharging at once is not excluded (it is never optimal
 * unless energy must be burnt); verifySchedule reports it.
 */
import type { Battery } from '../../scenario/types.js';
import { addActiveTerms } from '../network/busInjection.js';
import { addPeriodVariables, requireOrdered, type DeviceContext } from './deviceContext.js';

export interface BatteryHandle {
  kind: 'battery';
  device: Battery;
  charge: Int32Array;
  discharge: Int32Array;
  energy: Int32Array;
}

/** Row block names (index: period t for energy, 0 for end). */
export const batteryTags = {
  energy: (name: string) => `battery.energy[${name}]`,
  end: (name: string) => `battery.end[${name}]`,
};

export function addBattery(ctx: DeviceContext, device: Battery): BatteryHandle {
  const { builder, dtHours, periods } = ctx;
  requireOrdered(ctx, 'energyMin', device.energyMin, 'energyMax', device.energyMax);
  requireOrdered(ctx, 'energyInitial', device.energyInitial, 'energyMax', device.energyMax);
  requireOrdered(ctx, 'energyMin', device.energyMin, 'energyInitial', device.energyInitial);
  const prefix = `battery[${device.name}]`;
  const charge = addPeriodVariables(ctx, `${prefix}.charge`);
  const discharge = addPeriodVariables(ctx, `${prefix}.discharge`);
  const energy = addPeriodVariables(ctx, `${prefix}.energy`);
  builder.addBoundsBlock(`${prefix}.charge`, charge, 0, device.chargeMax);
  builder.addBoundsBlock(`${prefix}.discharge`, discharge, 0, device.dischargeMax);
  builder.addBoundsBlock(`${prefix}.energy`, energy, device.energyMin, device.energyMax);
  // E(t) − E(t−1) − dt·ηc·c(t) + dt/ηd·d(t) = 0, E(−1) = E0 moved to the right-hand side (eq. 7e).
  const energyBefore = new Int32Array(periods);
  energyBefore[0] = -1;
  for (let t = 1; t < periods; t++) energyBefore[t] = energy[t - 1]!;
  const rhs = new Float64Array(periods);
  rhs[0] = device.energyInitial;
  builder.addEqualityBlock(batteryTags.energy(device.name), periods, [
    { cols: energy, coef: 1 },
    { cols: charge, coef: -dtHours * device.etaCharge },
    { cols: discharge, coef: dtHours / device.etaDischarge },
    { cols: energyBefore, coef: -1 },
  ], rhs);
  addActiveTerms(ctx.injection, discharge, 1);
  addActiveTerms(ctx.injection, charge, -1);
  for (let t = 0; t < periods; t++) {
    if (device.throughputCost !== 0) {
      builder.addLinearCost(charge[t]!, dtHours * device.throughputCost);
      builder.addLinearCost(discharge[t]!, dtHours * device.throughputCost);
    }
  }
  // Corrected (7f): the day ends within ε of the initial energy.
  const e0 = device.energyInitial;
  builder.addBounds(batteryTags.end(device.name), 0, energy[periods - 1]!, (1 - device.endTolerance) * e0, (1 + device.endTolerance) * e0);
  return { kind: 'battery', device, charge, discharge, energy };
}
