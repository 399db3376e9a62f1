import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseFile } from './caseFile.js';
import { CaseFileError } from './errors.js';
import { parseCaseFile } from './parseCaseFile.js';
import { toScenario } from './toScenario.js';
import { defaultGridPricePerMwh, withGridSupply } from './gridSupply.js';
import { loadScenario, readCaseFile } from './io.js';
import { packagePath } from '../core/paths.js';

/** A small case: substation 'S' with a branch to A, A to B and C, listed out of order. */
function smallCase(): CaseFile {
  return {
    format: 'gridconsensus-case', version: 1, name: 'small', source: 'hand-written test case',
    baseMva: 2, baseKv: 10, periods: 3, dtHours: 0.5,
    substation: { bus: 'S', voltage: { mode: 'fixed', magnitudePu: 1.02 } },
    voltageLimitsPu: [0.95, 1.05],
    buses: [
      { id: 'B', devices: [{ kind: 'fixedLoad', name: 'loadB', pKw: [100, 200, 300], qKvar: 50 }] },
      { id: 'S', devices: [{ kind: 'generator', name: 'g', pMinKw: 0, pMaxKw: 4000, qMinKvar: -1000, qMaxKvar: 1000, costQuadraticPerMw2h: 10, costLinearPerMwh: [40, 50, 60] }] },
      { id: 'C', voltageLimitsPu: [0.9, 1.1], devices: [
        { kind: 'battery', name: 'batC', chargeMaxKw: 100, dischargeMaxKw: 80, energyMaxKwh: 400, energyInitialKwh: 200 },
        { kind: 'shapableLoad', name: 'evC', pMaxKw: 100, windowStartHour: 0.5, windowEndHour: 1.5, energyKwh: 50 },
        { kind: 'deferrableLoad', name: 'dC', profileKw: [20, 10], earliestStartHour: 0, maxDelayHours: 0.5 },
        { kind: 'pv', name: 'pvC', ratedKw: 100, profile: [0, 0.5, 1], powerFactor: 0.8 },
      ] },
      { id: 'A' },
    ],
    lines: [
      { from: 'A', to: 'B', rOhm: 1, xOhm: 2 },
      { from: 'S', to: 'A', rPu: 0.01, xPu: 0.02 },
      { from: 'C', to: 'A', rOhm: 0.5, xPu: 0.03 },
      { from: 'B', to: 'C', rOhm: 9, xOhm: 9, status: 'open' },
    ],
  };
}

function issuesOf(text: string): string[] {
  try {
    parseCaseFile(text, 'bad.json');
  } catch (error) {
    assert.ok(error instanceof CaseFileError);
    assert.equal(error.details.length, error.issues.length);
    return error.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('expected a CaseFileError');
}

describe('toScenario', () => {
  it('orders the tree depth-first from the substation with parent < child, skipping open lines', () => {
    const s = toScenario(parseCaseFile(JSON.stringify(smallCase())));
    assert.deepEqual(s.buses.map((b) => b.id), ['S', 'A', 'B', 'C']);
    assert.deepEqual(s.buses.map((b) => b.parent), [-1, 0, 1, 1]);
  });

  it('converts to per unit: kW / (1000 baseMva), ohm / Zbase, squared voltages, costs per p.u.', () => {
    const s = toScenario(smallCase());
    const zBase = 100 / 2;
    const [root, a, b, c] = s.buses;
    assert.equal(a!.r, 0.01);
    assert.equal(b!.r, 1 / zBase);
    assert.equal(b!.x, 2 / zBase);
    assert.equal(c!.r, 0.5 / zBase);
    assert.equal(c!.x, 0.03);
    assert.ok(Math.abs(c!.voltageSqMax - 1.21) < 1e-12 && Math.abs(a!.voltageSqMin - 0.9025) < 1e-12);
    assert.deepEqual(s.substationVoltage, { mode: 'fixed', voltageSq: 1.02 * 1.02 });
    const load = b!.devices[0]!;
    assert.ok(load.kind === 'fixedLoad');
    assert.deepEqual(load.p, [0.05, 0.1, 0.15]);
    assert.deepEqual(load.q, [0.025, 0.025, 0.025]);
    const g = root!.devices[0]!;
    assert.ok(g.kind === 'generator');
    assert.equal(g.pMax, 2);
    assert.deepEqual(g.costQuadratic, [40, 40, 40]);
    assert.deepEqual(g.costLinear, [80, 100, 120]);
    const [bat, ev, def, pv] = c!.devices;
    assert.ok(bat!.kind === 'battery' && ev!.kind === 'shapableLoad' && def!.kind === 'deferrableLoad' && pv!.kind === 'pv');
    assert.deepEqual([bat.chargeMax, bat.dischargeMax, bat.energyMax, bat.energyInitial, bat.etaCharge], [0.05, 0.04, 0.2, 0.1, 0.95]);
    assert.deepEqual([ev.windowStart, ev.windowEnd, ev.energy], [1, 3, 0.025]);
    assert.deepEqual([def.arrival, def.maxDelay, def.profile], [0, 1, [0.01, 0.005]]);
    assert.deepEqual(pv.p, [0, 0.025, 0.05]);
    assert.ok(Math.abs(pv.q[2]! - 0.05 * 0.75) < 1e-12);
  });

  it('gives a network-only case the default 24 x 1 h horizon and the solar shape', () => {
    const s = loadScenario('sce56');
    assert.equal(s.buses.length, 56);
    assert.equal(s.periods, 24);
    assert.ok(s.buses.every((b, k) => b.id === String(k + 1) && b.parent < k));
    const plant = s.buses[44]!.devices.find((d) => d.kind === 'pv');
    assert.ok(plant && plant.kind === 'pv' && plant.curtailable);
    assert.ok(Math.max(...plant.p) > 4.9 && plant.p[0] === 0 && plant.p[23] === 0);
    assert.ok(Math.abs(s.buses[1]!.r - 0.001111) < 1e-12 && s.buses[1]!.voltageSqMin === 0.9025);
  });
});

describe('parseCaseFile errors', () => {
  it('reports every schema problem at once, each naming the field and the fix', () => {
    const bad = smallCase() as unknown as { buses: Array<{ devices?: Array<Record<string, unknown>> }>; [k: string]: unknown };
    bad['baseMva'] = -1;
    bad['periodz'] = 24;
    bad.buses[2]!.devices![0]!['energyMaxKwh'] = -5;
    bad.buses[2]!.devices![1]!['kind'] = 'car';
    delete bad.buses[1]!.devices![0]!['pMaxKw'];
    const issues = issuesOf(JSON.stringify(bad));
    const find = (prefix: string) => issues.find((i) => i.startsWith(prefix)) ?? assert.fail(`no issue for ${prefix} in\n${issues.join('\n')}`);
    assert.match(find('baseMva:'), /must be a power base in MVA > 0.*; write/);
    assert.match(find('periodz:'), /unknown field 'periodz'; did you mean 'periods'\?/);
    assert.match(find('buses[2].devices[0].energyMaxKwh:'), /must be a number of kWh >= 0, got -5; write a number of kWh >= 0/);
    assert.match(find('buses[2].devices[1].kind:'), /device kind "car" is not known; write kind: one of/);
    assert.match(find('buses[1].devices[0].pMaxKw:'), /is required; add pMaxKw/);
    assert.ok(issues.length >= 5);
  });

  it('reports the semantic problems together: loops, unknown buses, lengths, limits, windows', () => {
    const bad = smallCase();
    bad.lines[3]!.status = 'closed';
    bad.lines.push({ from: 'A', to: 'Z', rPu: 0.1, xPu: 0.1 });
    const c = bad.buses[2]!.devices!;
    Object.assign(c[0]!, { energyInitialKwh: 500 });
    Object.assign(c[1]!, { energyKwh: 500, windowEndHour: 1.25 });
    Object.assign(c[2]!, { maxDelayHours: 1 });
    Object.assign(bad.buses[0]!.devices![0]!, { pKw: [1, 2] });
    bad.buses[3]!.voltageLimitsPu = [1.1, 0.9];
    const issues = issuesOf(JSON.stringify(bad));
    const expected = [
      /^lines\[4\]\.to: bus 'Z' is not in buses\[\]; add the bus or correct the id/,
      /^buses\[2\]\.devices\[0\]\.energyInitialKwh: 500 kWh is outside \[energyMinKwh, energyMaxKwh\] = \[0, 400\]/,
      /^buses\[2\]\.devices\[1\]\.windowEndHour: 1.25 h is not on a period boundary \(dtHours 0.5\); write a multiple of 0.5/,
      /^buses\[2\]\.devices\[1\]\.energyKwh: 500 kWh cannot be delivered in 0.75 h at pMaxKw 100/,
      /^buses\[2\]\.devices\[2\]\.maxDelayHours: started as late as 1 h, its 2-period profile ends at 2 h, after the horizon \(1.5 h\)/,
      /^buses\[0\]\.devices\[0\]\.pKw: has 2 entries but periods is 3; write exactly 3 entries/,
      /^buses\[3\]\.voltageLimitsPu: minimum 1.1 is above maximum 0.9/,
    ];
    for (const e of expected) assert.ok(issues.some((i) => e.test(i)), `missing ${e} in\n${issues.join('\n')}`);
  });

  it('names the line that closes a loop and the buses cut off from the substation', () => {
    const loop = smallCase();
    loop.lines[3]!.status = 'closed';
    assert.ok(issuesOf(JSON.stringify(loop)).some((i) => /^lines\[3\]: closes a loop C - A - B - C/.test(i)));
    const cut = smallCase();
    cut.lines.splice(2, 1);
    assert.ok(issuesOf(JSON.stringify(cut)).some((i) => /^lines: bus\(es\) C are not connected to the substation 'S'/.test(i)));
  });

  it('gives a case without a substation generator the grid supply at the default price, and leaves other cases alone', () => {
    const loadsOnly = smallCase();
    loadsOnly.buses[1] = { id: 'S' };
    const supplied = withGridSupply(loadsOnly);
    assert.deepEqual(supplied.buses[1]!.devices, [{ kind: 'generator', name: 'grid', pMinKw: -1000, pMaxKw: 1000, qMinKvar: -1000, qMaxKvar: 1000, costLinearPerMwh: defaultGridPricePerMwh }]);
    assert.match(supplied.warnings!.at(-1)!, /^substation supply: the substation \(bus S\) has no generator: added the grid supply 'grid'/);
    assert.ok(toScenario(supplied).buses[0]!.devices.some((d) => d.kind === 'generator'));
    const withGenerator = smallCase();
    assert.equal(withGridSupply(withGenerator), withGenerator, 'a substation generator is kept as it is');
  });

  it('rejects a closed zero-impedance line and says how to merge its buses', () => {
    const tie = smallCase();
    tie.lines[0] = { from: 'A', to: 'B', rOhm: 0, xPu: 0 };
    assert.ok(issuesOf(JSON.stringify(tie)).some((i) => /^lines\[0\]: has zero impedance \(r = x = 0\): 'A' and 'B' are one electrical node; merge the two buses/.test(i)));
  });

  it('rejects text that is not JSON and a file of the wrong format', () => {
    assert.match(issuesOf('{ "format": ')[0]!, /is not valid JSON/);
    assert.match(issuesOf(JSON.stringify({ ...smallCase(), format: 'matpower' })).join('\n'), /^format: must be "gridconsensus-case"/m);
  });

  it('reads the built-in SCE-56 case file', () => {
    const c = readCaseFile(packagePath('data', 'cases', 'sce56.json'));
    assert.equal(c.buses.length, 56);
    assert.equal(c.lines.length, 55);
    assert.match(c.source, /Gan, N. Li, U. Topcu, S. H. Low/);
  });
});
