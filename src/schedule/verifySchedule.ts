/**
 * The checks that go with every schedule: the SOC relaxation's largest gap, an AC power flow
 * of the scheduled injections compared with the schedule's voltages, and device / voltage limit
 * violations. Pure: same scenario and schedule, same report.
 */
import type { Scenario } from '../scenario/types.js';
import { solveRadialPowerFlow } from '../model/network/powerFlow.js';
import { deferrableConsumption, deferrableLatestStart } from '../model/devices/deferrableLoad.js';
import type { DeviceSchedule, Schedule } from './schedule.js';

export interface LimitViolation {
  /** Dotted path of the limit in the scenario, e.g. `buses[3].devices[0].pMax`. */
  field: string;
  period: number | null;
  /** How far beyond the limit, in the limit's unit (p.u., p.u.·h or squared p.u. voltage). */
  amount: number;
}

export interface ScheduleChecks {
  /** Largest l·v_ref − P² − Q² (v_ref = parent voltage, receiving end; own voltage, sending end). */
  coneGap: { largest: number; bus: number; period: number };
  powerFlow: {
    /** Largest | |V| from the power flow − √v from the schedule |, p.u. */
    largestVoltageMismatch: number;
    bus: number;
    period: number;
    /** Σ r·l of the power flow per period, p.u. */
    losses: number[];
    iterations: number;
  };
  /** Limit breaches larger than the tolerance, largest first. */
  violations: LimitViolation[];
  largestViolation: number;
  /** Largest min(charge, discharge) of any battery: > 0 means it charges and discharges at once. */
  simultaneousChargeDischarge: number;
  tolerance: number;
}

export function verifySchedule(scenario: Scenario, schedule: Schedule, options: { tolerance?: number } = {}): ScheduleChecks {
  const tolerance = options.tolerance ?? 1e-6;
  const { periods } = schedule;
  const buses = schedule.buses;
  const n = buses.length;

  const coneGap = { largest: 0, bus: 0, period: 0 };
  for (let i = 1; i < n; i++) {
    const b = buses[i]!;
    const ref = schedule.convention === 'receivingEnd' ? buses[scenario.buses[i]!.parent]! : b;
    for (let t = 0; t < periods; t++) {
      const gap = b.currentSq[t]! * ref.voltageSq[t]! - b.pFlow[t]! ** 2 - b.qFlow[t]! ** 2;
      if (Math.abs(gap) > Math.abs(coneGap.largest)) Object.assign(coneGap, { largest: gap, bus: i, period: t });
    }
  }

  const powerFlow = { largestVoltageMismatch: 0, bus: 0, period: 0, losses: [] as number[], iterations: 0 };
  const parent = scenario.buses.map((b) => b.parent);
  const r = scenario.buses.map((b) => b.r);
  const x = scenario.buses.map((b) => b.x);
  for (let t = 0; t < periods; t++) {
    const pf = solveRadialPowerFlow({
      parent, r, x,
      p: buses.map((b) => b.p[t]!),
      q: buses.map((b) => b.q[t]!),
      rootVoltage: Math.sqrt(buses[0]!.voltageSq[t]!),
    });
    powerFlow.losses.push(pf.lossP);
    powerFlow.iterations = Math.max(powerFlow.iterations, pf.iterations);
    for (let i = 0; i < n; i++) {
      const mismatch = Math.abs(Math.sqrt(pf.voltageSq[i]!) - Math.sqrt(buses[i]!.voltageSq[t]!));
      if (mismatch > powerFlow.largestVoltageMismatch) Object.assign(powerFlow, { largestVoltageMismatch: mismatch, bus: i, period: t });
    }
  }

  const violations: LimitViolation[] = [];
  const check = (field: string, period: number | null, amount: number) => {
    if (amount > tolerance) violations.push({ field, period, amount });
  };
  let simultaneousChargeDischarge = 0;
  scenario.buses.forEach((bus, i) => {
    for (let t = 0; t < periods; t++) {
      const v = buses[i]!.voltageSq[t]!;
      check(`buses[${i}].voltageSqMin`, t, bus.voltageSqMin - v);
      check(`buses[${i}].voltageSqMax`, t, v - bus.voltageSqMax);
    }
    bus.devices.forEach((device, j) => {
      const field = `buses[${i}].devices[${j}]`;
      const d = buses[i]!.devices.find((s) => s.kind === device.kind && s.name === device.name);
      if (!d) {
        check(`${field}.name`, null, Infinity);
        return;
      }
      simultaneousChargeDischarge = Math.max(simultaneousChargeDischarge, checkDevice(scenario, device, d, field, check));
    });
  });
  violations.sort((a, b) => b.amount - a.amount);
  return {
    coneGap, powerFlow, violations, largestViolation: violations[0]?.amount ?? 0, simultaneousChargeDischarge, tolerance,
  };
}

/** Checks one device's setpoints against its limits; returns min(charge, discharge) for batteries. */
function checkDevice(
  scenario: Scenario,
  device: Scenario['buses'][number]['devices'][number],
  d: DeviceSchedule,
  field: string,
  check: (field: string, period: number | null, amount: number) => void,
): number {
  const { periods, dtHours } = scenario;
  let both = 0;
  for (let t = 0; t < periods; t++) {
    if (device.kind === 'generator' && d.kind === 'generator') {
      check(`${field}.pMin`, t, device.pMin - d.p[t]!);
      check(`${field}.pMax`, t, d.p[t]! - device.pMax);
      check(`${field}.qMin`, t, device.qMin - d.q[t]!);
      check(`${field}.qMax`, t, d.q[t]! - device.qMax);
    } else if (device.kind === 'pv' && d.kind === 'pv') {
      check(`${field}.p`, t, d.p[t]! - device.p[t]!);
      check(`${field}.p`, t, device.curtailable ? -d.p[t]! : device.p[t]! - d.p[t]!);
    } else if (device.kind === 'battery' && d.kind === 'battery') {
      check(`${field}.chargeMax`, t, d.charge[t]! - device.chargeMax);
      check(`${field}.dischargeMax`, t, d.discharge[t]! - device.dischargeMax);
      check(`${field}.charge`, t, -d.charge[t]!);
      check(`${field}.discharge`, t, -d.discharge[t]!);
      check(`${field}.energyMin`, t, device.energyMin - d.energy[t]!);
      check(`${field}.energyMax`, t, d.energy[t]! - device.energyMax);
      const before = t === 0 ? device.energyInitial : d.energy[t - 1]!;
      const expected = before + d.charge[t]! * dtHours * device.etaCharge - (d.discharge[t]! * dtHours) / device.etaDischarge;
      check(`${field}.energy`, t, Math.abs(d.energy[t]! - expected));
      both = Math.max(both, Math.min(d.charge[t]!, d.discharge[t]!));
    } else if (device.kind === 'shapableLoad' && d.kind === 'shapableLoad') {
      const inside = t >= device.windowStart && t < device.windowEnd;
      if (inside) {
        check(`${field}.pMin`, t, device.pMin - d.p[t]!);
        check(`${field}.pMax`, t, d.p[t]! - device.pMax);
      } else {
        check(`${field}.windowStart`, t, Math.abs(d.p[t]!));
      }
    } else if (device.kind === 'deferrableLoad' && d.kind === 'deferrableLoad') {
      const latest = deferrableLatestStart(device, periods);
      const dt = d.departure[t]!;
      check(`${field}.departure`, t, Math.max(-dt, dt - 1, t > 0 ? d.departure[t - 1]! - dt : 0));
      if (t < device.arrival) check(`${field}.arrival`, t, Math.abs(dt));
      if (t >= latest) check(`${field}.maxDelay`, t, Math.abs(1 - dt));
    }
  }
  if (device.kind === 'battery' && d.kind === 'battery') {
    const end = d.energy[periods - 1]!;
    check(`${field}.endTolerance`, null, Math.max((1 - device.endTolerance) * device.energyInitial - end, end - (1 + device.endTolerance) * device.energyInitial));
  }
  if (device.kind === 'shapableLoad' && d.kind === 'shapableLoad') {
    check(`${field}.energy`, null, Math.abs(d.p.reduce((a, b) => a + b, 0) * dtHours - device.energy));
  }
  if (device.kind === 'deferrableLoad' && d.kind === 'deferrableLoad') {
    const s = deferrableConsumption(device, d.departure);
    check(`${field}.profile`, null, Math.max(...s.map((v, t) => Math.abs(v - d.p[t]!))));
  }
  return both;
}
