/**
 * Adds every device of one bus to a program and collects the bus's net injection. Used by the
 * central OPF for each bus and by a bus's own ADMM subproblem.
 */
import type { ScenarioBus } from '../../scenario/types.js';
import type { ProgramBuilder } from '../program/programBuilder.js';
import { createBusInjection, type BusInjection } from '../network/busInjection.js';
import { addBattery, type BatteryHandle } from './battery.js';
import { addDeferrableLoad, type DeferrableLoadHandle } from './deferrableLoad.js';
import { addFixedLoad, type FixedLoadHandle } from './fixedLoad.js';
import { addGenerator, type GeneratorHandle } from './generator.js';
import { addPhotovoltaic, type PhotovoltaicHandle } from './photovoltaic.js';
import { addShapableLoad, type ShapableLoadHandle } from './shapableLoad.js';

export type DeviceHandle =
  | GeneratorHandle | PhotovoltaicHandle | FixedLoadHandle | BatteryHandle | ShapableLoadHandle | DeferrableLoadHandle;

export interface BusDevices {
  injection: BusInjection;
  devices: DeviceHandle[];
}

export function addBusDevices(
  builder: ProgramBuilder,
  bus: ScenarioBus,
  busIndex: number,
  horizon: { periods: number; dtHours: number },
): BusDevices {
  const injection = createBusInjection(horizon.periods);
  const devices: DeviceHandle[] = [];
  bus.devices.forEach((device, j) => {
    const ctx = { builder, periods: horizon.periods, dtHours: horizon.dtHours, injection, bus: busIndex, field: `buses[${busIndex}].devices[${j}]` };
    switch (device.kind) {
      case 'generator': devices.push(addGenerator(ctx, device)); break;
      case 'pv': devices.push(addPhotovoltaic(ctx, device)); break;
      case 'fixedLoad': devices.push(addFixedLoad(ctx, device)); break;
      case 'battery': devices.push(addBattery(ctx, device)); break;
      case 'shapableLoad': devices.push(addShapableLoad(ctx, device)); break;
      case 'deferrableLoad': devices.push(addDeferrableLoad(ctx, device)); break;
    }
  });
  return { injection, devices };
}
