/**
 * Converts a checked case file (engineering units, human names) into the per-unit, tree-ordered
 * Scenario every later stage consumes (types.ts; docs/model.md §Units and data).
 * p.u. power = kW / (1000·baseMva); Zbase = baseKv² / baseMva ohm; v = |V|²; generator costs
 * per hour a·P² + b·P + c with P in MW become a·baseMva², b·baseMva, c per p.u.
 */
import type { CaseDevice, CaseFile, PerPeriod } from './caseFile.js';
import { caseDefaults } from './caseFile.js';
import { fileHorizon, type Horizon } from './checkCaseFile.js';
import { solarProfile } from './dailyShapes.js';
import { validateCaseFile } from './parseCaseFile.js';
import { orderRadialTree } from './radialOrder.js';
import type { Device, Scenario, ScenarioBus } from './types.js';

/** Horizon used when the file has none (a network-only case). File values win. */
export type ToScenarioOptions = Partial<Horizon>;

export function toScenario(caseFile: CaseFile, options: ToScenarioOptions = {}): Scenario {
  const horizon = fileHorizon(caseFile, options);
  validateCaseFile(caseFile, caseFile.name, horizon);
  const { periods, dtHours } = horizon;
  const baseMva = caseFile.baseMva;
  const zBase = (caseFile.baseKv * caseFile.baseKv) / baseMva;
  const perKw = 1 / (1000 * baseMva);

  const byId = new Map(caseFile.buses.map((b) => [String(b.id), b]));
  const closed = caseFile.lines.flatMap((l, index) => (l.status === 'open' ? [] : [{ from: String(l.from), to: String(l.to), index }]));
  const tree = orderRadialTree([...byId.keys()], String(caseFile.substation.bus), closed);

  const expand = (value: PerPeriod | undefined, scale: number): number[] =>
    Array.isArray(value) ? value.map((x) => x * scale) : new Array<number>(periods).fill((value ?? 0) * scale);
  const period = (hours: number): number => Math.round(hours / dtHours);

  const convertDevice = (d: CaseDevice): Device => {
    switch (d.kind) {
      case 'generator':
        return {
          kind: 'generator', name: d.name,
          pMin: d.pMinKw * perKw, pMax: d.pMaxKw * perKw, qMin: d.qMinKvar * perKw, qMax: d.qMaxKvar * perKw,
          costQuadratic: expand(d.costQuadraticPerMw2h, baseMva * baseMva),
          costLinear: expand(d.costLinearPerMwh, baseMva),
          costConstant: expand(d.costConstantPerHour, 1),
        };
      case 'pv': {
        const p = (d.profile ?? solarProfile(periods, dtHours)).map((f) => f * d.ratedKw * perKw);
        const ratio = d.powerFactor === undefined ? 0 : Math.tan(Math.acos(d.powerFactor));
        return { kind: 'pv', name: d.name, p, q: p.map((x) => x * ratio), curtailable: d.curtailable ?? false };
      }
      case 'fixedLoad':
        return { kind: 'fixedLoad', name: d.name, p: expand(d.pKw, perKw), q: expand(d.qKvar, perKw) };
      case 'battery':
        return {
          kind: 'battery', name: d.name,
          chargeMax: d.chargeMaxKw * perKw, dischargeMax: d.dischargeMaxKw * perKw,
          energyMin: (d.energyMinKwh ?? 0) * perKw, energyMax: d.energyMaxKwh * perKw, energyInitial: d.energyInitialKwh * perKw,
          etaCharge: d.etaCharge ?? caseDefaults.etaCharge, etaDischarge: d.etaDischarge ?? caseDefaults.etaDischarge,
          endTolerance: d.endTolerance ?? caseDefaults.endTolerance,
          throughputCost: (d.throughputCostPerMwh ?? 0) * baseMva,
        };
      case 'shapableLoad':
        return {
          kind: 'shapableLoad', name: d.name, pMin: (d.pMinKw ?? 0) * perKw, pMax: d.pMaxKw * perKw,
          windowStart: period(d.windowStartHour), windowEnd: period(d.windowEndHour), energy: d.energyKwh * perKw,
        };
      case 'deferrableLoad':
        return { kind: 'deferrableLoad', name: d.name, profile: d.profileKw.map((x) => x * perKw), arrival: period(d.earliestStartHour), maxDelay: period(d.maxDelayHours) };
    }
  };

  const buses: ScenarioBus[] = tree.order.map((id, k) => {
    const bus = byId.get(id)!;
    const [vMin, vMax] = bus.voltageLimitsPu ?? caseFile.voltageLimitsPu;
    const line = tree.upstreamLine[k]! >= 0 ? caseFile.lines[tree.upstreamLine[k]!]! : undefined;
    return {
      id,
      parent: tree.parent[k]!,
      r: line ? (line.rPu ?? line.rOhm! / zBase) : 0,
      x: line ? (line.xPu ?? line.xOhm! / zBase) : 0,
      voltageSqMin: vMin * vMin,
      voltageSqMax: vMax * vMax,
      devices: (bus.devices ?? []).map(convertDevice),
    };
  });

  const voltage = caseFile.substation.voltage;
  return {
    name: caseFile.name,
    source: caseFile.source,
    baseMva,
    baseKv: caseFile.baseKv,
    periods,
    dtHours,
    ...(caseFile.seed === undefined ? {} : { seed: caseFile.seed }),
    substationVoltage: voltage.mode === 'fixed' ? { mode: 'fixed', voltageSq: voltage.magnitudePu * voltage.magnitudePu } : { mode: 'free' },
    buses,
  };
}
