/**
 * When the OPF has no solution, checks simple necessary conditions (device by device, then
 * per-period supply against demand) so the error can name the likely culprit.
 */
import type { Scenario } from '../../scenario/types.js';

export interface InfeasibilityHint {
  field: string;
  message: string;
  fix: string;
}

export function diagnoseInfeasibility(scenario: Scenario): InfeasibilityHint[] {
  const hints: InfeasibilityHint[] = [];
  const { periods, dtHours } = scenario;
  const supply = new Float64Array(periods);
  const demand = new Float64Array(periods);
  const qSupply = new Float64Array(periods);
  const qDemand = new Float64Array(periods);
  scenario.buses.forEach((bus, i) => {
    if (bus.voltageSqMin > bus.voltageSqMax) {
      hints.push({ field: `buses[${i}].voltageSqMin`, message: 'the voltage limits are crossed', fix: 'make the minimum voltage lower than the maximum' });
    }
    bus.devices.forEach((d, j) => {
      const field = `buses[${i}].devices[${j}]`;
      for (let t = 0; t < periods; t++) {
        switch (d.kind) {
          case 'generator': supply[t]! += d.pMax; qSupply[t]! += d.qMax; break;
          case 'pv': supply[t]! += d.p[t]!; demand[t]! += d.curtailable ? 0 : Math.max(0, -d.p[t]!); qSupply[t]! += Math.max(0, d.q[t]!); qDemand[t]! += Math.max(0, -d.q[t]!); break;
          case 'fixedLoad': demand[t]! += d.p[t]!; qDemand[t]! += d.q[t]!; break;
          case 'battery': supply[t]! += d.dischargeMax; break;
          case 'shapableLoad': if (t >= d.windowStart && t < d.windowEnd) demand[t]! += d.pMin; break;
          case 'deferrableLoad': break;
        }
      }
      if (d.kind === 'shapableLoad') {
        const length = Math.max(0, Math.min(periods, d.windowEnd) - Math.max(0, d.windowStart));
        const most = d.pMax * length * dtHours;
        const least = d.pMin * length * dtHours;
        if (d.energy > most + 1e-12) {
          hints.push({ field: `${field}.energy`, message: `shapable load '${d.name}' needs ${d.energy} p.u.h but can draw at most ${most} p.u.h in its window`, fix: 'widen its window, raise pMax or lower its energy' });
        } else if (d.energy < least - 1e-12) {
          hints.push({ field: `${field}.energy`, message: `shapable load '${d.name}' must draw at least ${least} p.u.h in its window but needs only ${d.energy}`, fix: 'lower pMin or raise its energy' });
        }
      }
      if (d.kind === 'battery') {
        if (d.energyInitial < d.energyMin || d.energyInitial > d.energyMax) {
          hints.push({ field: `${field}.energyInitial`, message: `battery '${d.name}' starts outside [energyMin, energyMax]`, fix: 'set energyInitial inside the energy limits' });
        }
      }
      if (d.kind === 'generator' && (d.pMin > d.pMax || d.qMin > d.qMax)) {
        hints.push({ field: `${field}.pMin`, message: `generator '${d.name}' has crossed limits`, fix: 'make pMin ≤ pMax and qMin ≤ qMax' });
      }
    });
  });
  for (let t = 0; t < periods; t++) {
    if (demand[t]! > supply[t]! + 1e-12) {
      hints.push({ field: 'buses', message: `in period ${t} the fixed demand (${demand[t]!.toFixed(4)} p.u.) exceeds all available generation (${supply[t]!.toFixed(4)} p.u.) even before losses`, fix: 'add generation capacity or reduce the load' });
    }
    if (qDemand[t]! > qSupply[t]! + 1e-12) {
      hints.push({ field: 'buses', message: `in period ${t} the reactive demand (${qDemand[t]!.toFixed(4)} p.u.) exceeds the reactive capability (${qSupply[t]!.toFixed(4)} p.u.)`, fix: 'widen the generators\' qMin/qMax' });
    }
  }
  const sub = scenario.substationVoltage;
  const root = scenario.buses[0];
  if (root && sub.mode === 'fixed' && (sub.voltageSq < root.voltageSqMin || sub.voltageSq > root.voltageSqMax)) {
    hints.push({ field: 'substationVoltage.voltageSq', message: 'the fixed substation voltage is outside the substation bus\'s limits', fix: 'choose a substation voltage inside the limits' });
  }
  return hints;
}
