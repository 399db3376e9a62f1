import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPaperScenario } from './buildPaperScenario.js';
import type { CaseDevice, CaseFile } from './caseFile.js';
import { CaseFileError } from './errors.js';
import { formatCaseFile } from './formatCaseFile.js';
import { loadCaseFile } from './io.js';
import { parseCaseFile } from './parseCaseFile.js';
import { parsePaperScenarioOverrides } from './paperScenarioOptions.js';
import { toScenario } from './toScenario.js';
import { runCentralOpf } from '../solve/central/runCentralOpf.js';
import { testSolver } from '../../test/helpers/testSolver.js';

const sce56 = loadCaseFile('sce56');
const devicesOf = (c: CaseFile, kind: CaseDevice['kind']) => c.buses.flatMap((b) => (b.devices ?? []).filter((d) => d.kind === kind).map((d) => ({ bus: String(b.id), d })));

describe('buildPaperScenario', () => {
  const paper = buildPaperScenario(sce56, { seed: 11 });

  it('round-trips: scenario -> JSON text -> parse gives the same case file and the same Scenario', () => {
    const reread = parseCaseFile(formatCaseFile(paper), 'paper.json');
    assert.deepEqual(reread, paper);
    assert.deepEqual(toScenario(reread), toScenario(paper));
  });

  it('is determined by the seed alone; different seeds differ', () => {
    assert.deepEqual(buildPaperScenario(sce56, { seed: 11 }), paper);
    const other = buildPaperScenario(sce56, { seed: 12 });
    assert.notDeepEqual(other.buses, paper.buses);
    assert.equal(other.seed, 12);
  });

  it('follows the paper: microturbine at bus 1, PV at 60 %, deferrable and EV at 70 % of load buses, windows and sizes', () => {
    const loadBuses = devicesOf(paper, 'fixedLoad');
    assert.equal(loadBuses.length, 42);
    assert.equal(devicesOf(paper, 'pv').filter((x) => x.d.name.startsWith('pv-') && !x.d.name.startsWith('pv-plant')).length, Math.round(0.6 * 42));
    assert.equal(devicesOf(paper, 'deferrableLoad').length, Math.round(0.7 * 42));
    assert.equal(devicesOf(paper, 'shapableLoad').length, Math.round(0.7 * 42));
    const root = paper.buses[0]!.devices!;
    assert.deepEqual(root.map((d) => d.name), ['microturbine']);
    assert.ok(devicesOf(paper, 'pv').some((x) => x.bus === '45' && x.d.kind === 'pv' && x.d.ratedKw === 5000));
    const peak = new Map(sce56.buses.map((b) => [String(b.id), (b.devices ?? []).reduce((s, d) => s + (d.kind === 'fixedLoad' ? (d.pKw as number) : 0), 0)]));
    for (const { d } of devicesOf(paper, "deferrableLoad")) {
      assert.ok(d.kind === 'deferrableLoad' && d.earliestStartHour >= 7 && d.earliestStartHour <= 11);
    }
    for (const { bus, d } of devicesOf(paper, 'shapableLoad')) {
      assert.ok(d.kind === 'shapableLoad' && d.windowStartHour >= 10 && d.windowEndHour <= 24);
      assert.ok(d.energyKwh >= 0 && d.energyKwh <= 10 * peak.get(bus)! + 1e-9);
    }
    for (const { bus, d } of devicesOf(paper, 'battery')) {
      const controllable = (paper.buses.find((b) => String(b.id) === bus)!.devices ?? []).reduce(
        (s, x) => s + (x.kind === 'shapableLoad' ? x.pMaxKw : x.kind === 'deferrableLoad' ? Math.max(...x.profileKw) : 0), 0);
      assert.ok(d.kind === 'battery' && Math.abs(d.chargeMaxKw - 0.5 * controllable) < 1e-3 && Math.abs(d.energyMaxKwh - 4 * d.chargeMaxKw) < 1e-3);
    }
  });

  it('applies overrides from a scenario file and checks them', () => {
    const overrides = parsePaperScenarioOverrides({ periods: 12, dtHours: 2, pv: { fraction: 1 }, battery: { energyHours: 2 } });
    const c = buildPaperScenario(sce56, { seed: 3, ...overrides });
    assert.equal(c.periods, 12);
    assert.equal(devicesOf(c, 'pv').length, 43);
    assert.ok(devicesOf(c, 'battery').every(({ d }) => d.kind === 'battery' && Math.abs(d.energyMaxKwh - 2 * d.chargeMaxKw) < 1e-3));
    assert.equal(toScenario(c).periods, 12);
    assert.throws(() => parsePaperScenarioOverrides({ pv: { fractoin: 1 }, load: { noise: -1 } }), (e: unknown) => {
      assert.ok(e instanceof CaseFileError);
      assert.deepEqual(e.issues.map((i) => i.path).sort(), ['load.noise', 'pv.fractoin']);
      return true;
    });
  });

  it('gives a 24-h central OPF that is feasible with the voltages inside +-5 % and DLMPs of 50-150 per MWh', async () => {
    const solve = await testSolver();
    const { schedule } = runCentralOpf(toScenario(buildPaperScenario(sce56, { seed: 1 })), {}, solve);
    const v = schedule.buses.flatMap((b) => b.voltageSq);
    assert.ok(Math.min(...v) >= 0.9025 - 1e-6 && Math.max(...v) <= 1.1025 + 1e-6);
    // Margin: no bus comes near the lower limit (the paper's only binding voltage is the substation's upper one).
    assert.ok(Math.min(...v) > 0.95, `lowest v ${Math.min(...v)}`);
    const prices = schedule.prices?.active.flat() ?? assert.fail("the central OPF returned no prices");
    assert.ok(Math.min(...prices) > 40 && Math.max(...prices) < 150, `DLMPs ${Math.min(...prices)} .. ${Math.max(...prices)}`);
  });

  it('sizes the microturbine to a feeder whose peak load passes 80 % of its limits, unless the limits are given', () => {
    // SCE-56 with every load ten times larger: peak about 38 MW against the 10 MW turbine.
    const heavy: CaseFile = { ...sce56, buses: sce56.buses.map((b) => ({ ...b, devices: (b.devices ?? []).map((d) => (d.kind === 'fixedLoad' ? { ...d, pKw: (d.pKw as number) * 10, qKvar: ((d.qKvar as number | undefined) ?? 0) * 10 } : d)) })) };
    const turbine = (c: CaseFile) => devicesOf(c, 'generator').find((g) => g.d.name === 'microturbine')!.d;
    const sized = buildPaperScenario(heavy, { seed: 2 });
    const t = turbine(sized);
    assert.ok(t.kind === 'generator' && t.pMaxKw > 2 * 0.8 * 10000 && t.pMaxKw % 1000 === 0, `pMax ${t.kind === 'generator' ? t.pMaxKw : ''}`);
    assert.ok(sized.notes!.some((n) => /above 80 % of the microturbine's 10000 kW/.test(n)));
    const given = turbine(buildPaperScenario(heavy, { seed: 2, microturbine: { pMaxKw: 12000 } }));
    assert.ok(given.kind === 'generator' && given.pMaxKw === 12000);
    assert.ok(turbine(paper).kind === 'generator' && (turbine(paper) as { pMaxKw: number }).pMaxKw === 10000, 'SCE-56 keeps the paper turbine');
  });
});
