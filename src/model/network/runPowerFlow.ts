/**
 * The AC power flow of a scenario, period by period: with given net injections, or by default
 * with the devices' fixed profiles only (fixed loads, PV at its available output; controllable
 * devices idle), the substation bus being the slack.
 */
import type { Scenario } from '../../scenario/types.js';
import { solveRadialPowerFlow, type PowerFlowOptions, type RadialPowerFlowResult } from './powerFlow.js';

export interface PeriodInjections {
  /** Net injection per bus (rows) and period (columns), p.u. */
  p: ArrayLike<number>[];
  q: ArrayLike<number>[];
}

export interface PeriodPowerFlow {
  period: number;
  result: RadialPowerFlowResult;
  /** Σ r·l, p.u. */
  losses: number;
  minVoltage: number;
  minVoltageBus: number;
  maxVoltage: number;
  maxVoltageBus: number;
}

export interface ScenarioPowerFlow {
  rootVoltage: number;
  periods: PeriodPowerFlow[];
}

export function runPowerFlow(
  scenario: Scenario,
  injections: PeriodInjections = fixedProfileInjections(scenario),
  options: PowerFlowOptions & { rootVoltageSq?: number[] } = {},
): ScenarioPowerFlow {
  const n = scenario.buses.length;
  const parent = scenario.buses.map((b) => b.parent);
  const r = scenario.buses.map((b) => b.r);
  const x = scenario.buses.map((b) => b.x);
  const sub = scenario.substationVoltage;
  const defaultRootSq = sub.mode === 'fixed' ? sub.voltageSq : 1;
  const periods: PeriodPowerFlow[] = [];
  for (let t = 0; t < scenario.periods; t++) {
    const p = new Float64Array(n);
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      p[i] = injections.p[i]![t]!;
      q[i] = injections.q[i]![t]!;
    }
    const rootVoltage = Math.sqrt(options.rootVoltageSq?.[t] ?? defaultRootSq);
    const result = solveRadialPowerFlow({ parent, r, x, p, q, rootVoltage }, options);
    let minBus = 0;
    let maxBus = 0;
    for (let i = 1; i < n; i++) {
      if (result.voltageSq[i]! < result.voltageSq[minBus]!) minBus = i;
      if (result.voltageSq[i]! > result.voltageSq[maxBus]!) maxBus = i;
    }
    periods.push({
      period: t, result, losses: result.lossP,
      minVoltage: Math.sqrt(result.voltageSq[minBus]!), minVoltageBus: minBus,
      maxVoltage: Math.sqrt(result.voltageSq[maxBus]!), maxVoltageBus: maxBus,
    });
  }
  return { rootVoltage: Math.sqrt(defaultRootSq), periods };
}

/** Net injections from fixed loads and PV availability only (controllable devices idle). */
export function fixedProfileInjections(scenario: Scenario): PeriodInjections {
  const p = scenario.buses.map(() => new Float64Array(scenario.periods));
  const q = scenario.buses.map(() => new Float64Array(scenario.periods));
  scenario.buses.forEach((bus, i) => {
    for (const d of bus.devices) {
      for (let t = 0; t < scenario.periods; t++) {
        if (d.kind === 'fixedLoad') { p[i]![t]! -= d.p[t]!; q[i]![t]! -= d.q[t]!; }
        if (d.kind === 'pv') { p[i]![t]! += d.p[t]!; q[i]![t]! += d.q[t]!; }
      }
    }
  });
  return { p, q };
}
