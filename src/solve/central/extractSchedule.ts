/** Reads the Schedule's per-bus, per-period values out of the central OPF's primal point. */
import type { ConicSolution } from '../../conic/types.js';
import type { BusSchedule, DeviceSchedule } from '../../schedule/schedule.js';
import type { DeviceHandle } from '../../model/devices/addBusDevices.js';
import { generatorCost } from '../../model/devices/generator.js';
import { deferrableConsumption, deferrableDeparture } from '../../model/devices/deferrableLoad.js';
import type { CentralOpf } from './buildCentralOpf.js';

export function extractBuses(opf: CentralOpf, solution: ConicSolution): BusSchedule[] {
  const { scenario } = opf;
  const { periods, dtHours } = scenario;
  const x = solution.x;
  const read = (cols: Int32Array | null) => Array.from({ length: periods }, (_, t) => (cols ? x[cols[t]!]! : 0));
  return scenario.buses.map((bus, i) => {
    const line = opf.lines[i] ?? null;
    const devices = opf.busDevices[i]!.devices.map((h) => extractDevice(h, x, periods, dtHours));
    const p = new Array<number>(periods).fill(0);
    const q = new Array<number>(periods).fill(0);
    for (const d of devices) addInjection(d, p, q);
    return {
      index: i,
      id: bus.id,
      p, q,
      pFlow: read(line?.pFlow ?? null),
      qFlow: read(line?.qFlow ?? null),
      currentSq: read(line?.currentSq ?? null),
      voltageSq: read(opf.voltageSq[i]!),
      devices,
    };
  });
}

/** Device setpoints; fixed parts come from the scenario, variable parts from x. */
export function extractDevice(h: DeviceHandle, x: ArrayLike<number>, periods: number, dtHours: number): DeviceSchedule {
  const read = (cols: Int32Array) => Array.from({ length: periods }, (_, t) => (cols[t]! >= 0 ? x[cols[t]!]! : 0));
  switch (h.kind) {
    case 'generator': {
      const p = read(h.p);
      return { kind: 'generator', name: h.device.name, p, q: read(h.q), cost: generatorCost(h.device, p, dtHours) };
    }
    case 'pv':
      return { kind: 'pv', name: h.device.name, p: h.p ? read(h.p) : [...h.device.p], q: [...h.device.q], available: [...h.device.p] };
    case 'fixedLoad':
      return { kind: 'fixedLoad', name: h.device.name, p: [...h.device.p], q: [...h.device.q] };
    case 'battery':
      return { kind: 'battery', name: h.device.name, charge: read(h.charge), discharge: read(h.discharge), energy: read(h.energy) };
    case 'shapableLoad':
      return { kind: 'shapableLoad', name: h.device.name, p: read(h.power) };
    case 'deferrableLoad': {
      const departure = deferrableDeparture(h, x, periods);
      const startShares = departure.map((d, t) => d - (t > 0 ? departure[t - 1]! : 0));
      return {
        kind: 'deferrableLoad', name: h.device.name, p: deferrableConsumption(h.device, departure), departure, startShares,
        startSpread: 1 - Math.max(...startShares),
      };
    }
  }
}

/** Adds a device's contribution to the bus's net injection (generation positive). */
export function addInjection(d: DeviceSchedule, p: number[], q: number[]): void {
  for (let t = 0; t < p.length; t++) {
    switch (d.kind) {
      case 'generator': case 'pv': p[t]! += d.p[t]!; q[t]! += d.q[t]!; break;
      case 'fixedLoad': p[t]! -= d.p[t]!; q[t]! -= d.q[t]!; break;
      case 'battery': p[t]! += d.discharge[t]! - d.charge[t]!; break;
      case 'shapableLoad': case 'deferrableLoad': p[t]! -= d.p[t]!; break;
    }
  }
}
