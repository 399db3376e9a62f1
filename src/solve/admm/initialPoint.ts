/**
 * Initial global point z^0 for ADMM: flat (flows 0, voltageSq 1 or the fixed substation value)
 * or a linearised branch flow (LinDistFlow, losses dropped) of the buses' fixed injections
 * (fixed loads, fixed PV). Line flows point towards the parent in both conventions (model.md
 * §Network), so P_i = −(net load of i's subtree), v_i = v_π(i) + 2(r_i·P_i + x_i·Q_i),
 * l_i = (P_i² + Q_i²)/v_π(i). Or 'forecastOpf': the central OPF of the scenario's public part
 * (forecastStart.ts; the power-flow point when that has no solution), and 'auto' that where it is
 * exact, else the power-flow point (resolveInitialPoint). Values are in transport
 * scale (multiplied by sqrt(w_q)).
 */
import type { Scenario } from '../../scenario/types.js';
import type { CouplingLayout } from '../../model/coupling/couplingLayout.js';
import { entryScaleOf, type CouplingScale, type EntryScale } from '../../model/problems/busSubproblem.js';
import { forecastInitialPoint, resolveInitialPoint, type InitialPointKind } from './forecastStart.js';

export type { InitialPointKind };

export function initialGlobalPoint(scenario: Scenario, layout: CouplingLayout, kind: InitialPointKind, scale: CouplingScale | EntryScale): Float64Array {
  kind = resolveInitialPoint(scenario, kind);
  if (kind === 'forecastOpf') {
    const forecast = forecastInitialPoint(scenario, layout, scale);
    if (forecast) return forecast;
  }
  const T = layout.periods;
  const n = scenario.buses.length;
  const rootVoltage = scenario.substationVoltage.mode === 'fixed' ? scenario.substationVoltage.voltageSq : 1;
  const pFlow = new Float64Array(n * T);
  const qFlow = new Float64Array(n * T);
  const currentSq = new Float64Array(n * T);
  const voltageSq = new Float64Array(n * T).fill(rootVoltage);
  if (kind !== 'flat') {
    // Net fixed injection of each bus, accumulated up the tree (children have larger indices).
    for (let i = n - 1; i >= 1; i--) {
      for (const device of scenario.buses[i]!.devices) {
        for (let t = 0; t < T; t++) {
          if (device.kind === 'fixedLoad') {
            pFlow[i * T + t]! -= device.p[t]!;
            qFlow[i * T + t]! -= device.q[t]!;
          } else if (device.kind === 'pv' && !device.curtailable) {
            pFlow[i * T + t]! += device.p[t]!;
            qFlow[i * T + t]! += device.q[t]!;
          }
        }
      }
      const parent = scenario.buses[i]!.parent;
      if (parent > 0) {
        for (let t = 0; t < T; t++) {
          pFlow[parent * T + t]! += pFlow[i * T + t]!;
          qFlow[parent * T + t]! += qFlow[i * T + t]!;
        }
      }
    }
    for (let i = 1; i < n; i++) {
      const { parent, r, x, voltageSqMin, voltageSqMax } = scenario.buses[i]!;
      for (let t = 0; t < T; t++) {
        const vParent = voltageSq[parent * T + t]!;
        const P = pFlow[i * T + t]!;
        const Q = qFlow[i * T + t]!;
        voltageSq[i * T + t] = Math.min(voltageSqMax, Math.max(voltageSqMin, vParent + 2 * (r * P + x * Q)));
        currentSq[i * T + t] = (P * P + Q * Q) / vParent;
      }
    }
  }
  const z = new Float64Array(layout.globalSize);
  const entryScale = entryScaleOf(layout, scale);
  layout.entries.forEach((entry, e) => {
    const source = { pFlow, qFlow, currentSq, voltageSq }[entry.quantity];
    const s = entryScale[e]!;
    for (let t = 0; t < T; t++) z[e * T + t] = s * source[entry.bus * T + t]!;
  });
  return z;
}
