/** Hand-built per-unit scenarios for unit tests (no files). */
import type { Device, Generator, Scenario, ScenarioBus } from '../../src/scenario/types.js';

export function generator(name: string, periods: number, costLinear: number[] | number, costQuadratic = 0, limits: Partial<Generator> = {}): Generator {
  const lin = Array.isArray(costLinear) ? costLinear : new Array<number>(periods).fill(costLinear);
  return {
    kind: 'generator', name, pMin: 0, pMax: 10, qMin: -10, qMax: 10,
    costQuadratic: new Array<number>(periods).fill(costQuadratic), costLinear: lin, costConstant: new Array<number>(periods).fill(0),
    ...limits,
  };
}

export function bus(id: string, parent: number, r: number, x: number, devices: Device[], voltageSqMin = 0.9025, voltageSqMax = 1.1025): ScenarioBus {
  return { id, parent, r, x, voltageSqMin, voltageSqMax, devices };
}

export function scenario(name: string, periods: number, buses: ScenarioBus[], overrides: Partial<Scenario> = {}): Scenario {
  return {
    name, source: 'hand-built test case', baseMva: 1, baseKv: 12, periods, dtHours: 1,
    substationVoltage: { mode: 'fixed', voltageSq: 1 }, buses, ...overrides,
  };
}

/** A 4-bus feeder 0-1-2 with a branch 1-3, loads on every non-root bus. */
export function smallFeeder(periods: number, loadScale = 1): Scenario {
  const load = (name: string, p: number, q: number) => ({
    kind: 'fixedLoad' as const, name,
    p: Array.from({ length: periods }, (_, t) => p * loadScale * (1 + 0.2 * t)),
    q: Array.from({ length: periods }, (_, t) => q * loadScale * (1 + 0.2 * t)),
  });
  return scenario('small feeder', periods, [
    bus('0', -1, 0, 0, [generator('g0', periods, 20, 5)]),
    bus('1', 0, 0.01, 0.02, [load('l1', 0.3, 0.1)]),
    bus('2', 1, 0.02, 0.01, [load('l2', 0.4, 0.2)]),
    bus('3', 1, 0.015, 0.03, [load('l3', 0.2, 0.05)]),
  ]);
}
