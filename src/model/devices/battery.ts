/**
 * Battery (model.md §Devices, eq. 7 with the corrected end-of-day row):
 * 0 ≤ c ≤ chargeMax, 0 ≤ d ≤ dischargeMax, energyMin ≤ E(t) ≤ energyMax,
 * E(t) = E(t−1) + c(t)·dt·ηc − d(t)·dt/ηd with E(−1) = E0, (1 − ε)·E0 ≤ E(T−1) ≤ (1 + ε)·E0.
 * Net injection d − c. Charging and discharging at once is not excluded (it is never optimal
 * unless energy must be burnt); verifySchedule reports it.
 */
import type { Battery } from '../../scenario/types.js';
import { addActiveTerm } from '../network/busInjection.js';
import { addPeriodVariables, requireOrdered, type DeviceContext } from './deviceContext.js';

export interface BatteryHandle {
  kind: 'battery';
  device: Battery;
  charge: Int32Array;
  discharge: Int32Array;
  energy: Int32Array;
}

export const batteryTags = {
  energy: (name: string, t: number) => `battery.energy[${name}][${t}]`,
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
  for (let t = 0; t < periods; t++) {
    builder.addBounds(`${prefix}.charge[${t}]`, charge[t]!, 0, device.chargeMax);
    builder.addBounds(`${prefix}.discharge[${t}]`, discharge[t]!, 0, device.dischargeMax);
    builder.addBounds(`${prefix}.energy[${t}]`, energy[t]!, device.energyMin, device.energyMax);
    // E(t) − E(t−1) − dt·ηc·c(t) + dt/ηd·d(t) = 0, E(−1) = E0 moved to the right-hand side (eq. 7e).
    const cols = [energy[t]!, charge[t]!, discharge[t]!];
    const coefs = [1, -dtHours * device.etaCharge, dtHours / device.etaDischarge];
    if (t > 0) {
      cols.push(energy[t - 1]!);
      coefs.push(-1);
    }
    builder.addEquality(batteryTags.energy(device.name, t), cols, coefs, t === 0 ? device.energyInitial : 0);
    addActiveTerm(ctx.injection, t, discharge[t]!, 1);
    addActiveTerm(ctx.injection, t, charge[t]!, -1);
    if (device.throughputCost !== 0) {
      builder.addLinearCost(charge[t]!, dtHours * device.throughputCost);
      builder.addLinearCost(discharge[t]!, dtHours * device.throughputCost);
    }
  }
  // Corrected (7f): the day ends within ε of the initial energy.
  const e0 = device.energyInitial;
  builder.addBounds(batteryTags.end(device.name), energy[periods - 1]!, (1 - device.endTolerance) * e0, (1 + device.endTolerance) * e0);
  return { kind: 'battery', device, charge, discharge, energy };
}
