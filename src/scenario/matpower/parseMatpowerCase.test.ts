import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { packagePath } from '../../core/paths.js';
import { MatpowerImportError } from '../errors.js';
import { toScenario } from '../toScenario.js';
import { defaultGridPricePerMwh, parseMatpowerCase } from './parseMatpowerCase.js';
import { runPowerFlow } from '../../model/network/runPowerFlow.js';

const read = (name: string) => readFileSync(packagePath('test', 'data', 'matpower', name), 'utf8');

function totals(text: string, sourceName: string) {
  const caseFile = parseMatpowerCase(text, { sourceName });
  const scenario = toScenario(caseFile);
  let p = 0;
  let q = 0;
  for (const b of scenario.buses) for (const d of b.devices) if (d.kind === 'fixedLoad') [p, q] = [p + d.p[0]!, q + d.q[0]!];
  return { caseFile, scenario, pMw: p * scenario.baseMva, qMvar: q * scenario.baseMva };
}

describe('parseMatpowerCase', () => {
  it('loads MATPOWER case33bw as a 33-bus tree with 3.715 MW and 2.3 MVAr of load, applying its unit conversions', () => {
    const { caseFile, scenario, pMw, qMvar } = totals(read('case33bw.m'), 'case33bw.m');
    assert.equal(scenario.buses.length, 33);
    assert.ok(scenario.buses.every((b, k) => (k === 0 ? b.parent === -1 : b.parent >= 0 && b.parent < k)));
    assert.ok(Math.abs(pMw - 3.715) < 1e-9 && Math.abs(qMvar - 2.3) < 1e-9, `${pMw} MW, ${qMvar} MVAr`);
    assert.equal(caseFile.lines.filter((l) => l.status === 'open').length, 5);
    // Line 1-2: 0.0922 ohm on Zbase = 12.66^2 / 10 ohm.
    assert.ok(Math.abs(scenario.buses[1]!.r - 0.0922 / (12.66 ** 2 / 10)) < 1e-12);
    assert.deepEqual(scenario.substationVoltage, { mode: 'fixed', voltageSq: 1 });
    assert.equal(caseFile.notes!.filter((n) => n.includes('applied')).length, 2);
    assert.equal(caseFile.warnings, undefined);
    const gen = scenario.buses[0]!.devices.find((d) => d.kind === 'generator');
    assert.ok(gen && gen.kind === 'generator' && gen.pMax === 1 && gen.costLinear[0] === 20 * 10);
    assert.match(caseFile.source, /Baran/);
  });

  it('keeps open tie switches out of the tree and warns about each code line it does not run', () => {
    const { caseFile, scenario, pMw } = totals(read('feeder5-tie.m'), 'feeder5-tie.m');
    assert.equal(caseFile.name, 'feeder5_tie');
    assert.deepEqual(scenario.buses.map((b) => [b.id, b.parent]), [['1', -1], ['2', 0], ['3', 1], ['5', 2], ['4', 1]]);
    assert.equal(caseFile.lines[3]!.status, 'open');
    assert.ok(Math.abs(pMw - 0.5) < 1e-12);
    const warnings = caseFile.warnings ?? [];
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.match(warnings[0]!, /^line 39: `mpc = scale_load\(1.2, mpc\)` not run by the importer; check the imported values$/);
    assert.match(warnings[1]!, /^line 40: `mpc.branch\(2, BR_STATUS\) = 0` not run by the importer/);
    assert.deepEqual(caseFile.buses[4]!.voltageLimitsPu, [0.9, 1.1]);
    assert.deepEqual(caseFile.voltageLimitsPu, [0.95, 1.05]);
    const gen = caseFile.buses[0]!.devices![0]!;
    assert.deepEqual(gen, { kind: 'generator', name: 'gen-1', pMinKw: 0, pMaxKw: 3000, qMinKvar: -2000, qMaxKvar: 2000, costQuadraticPerMw2h: 12.5, costLinearPerMwh: 45, costConstantPerHour: 0 });
    assert.deepEqual(caseFile.substation.voltage, { mode: 'fixed', magnitudePu: 1.02 });
  });

  it('warns when a conversion refers to a name it does not know and leaves the values as written', () => {
    const text = `${read('feeder5-tie.m').split('mpc = scale_load')[0]}\nmpc.branch(:, BR_R) = mpc.branch(:, BR_R) / Zbase;\n`;
    const caseFile = parseMatpowerCase(text);
    assert.match(caseFile.warnings![0]!, /`mpc.branch\(:, BR_R\) = mpc.branch\(:, BR_R\) \/ Zbase` was NOT applied/);
    assert.equal(caseFile.lines[0]!.rPu, 0.01);
  });

  it('rejects a meshed network, naming a branch in the loop', () => {
    assert.throws(() => parseMatpowerCase(read('feeder5-meshed.m'), { sourceName: 'feeder5-meshed.m' }), (error: unknown) => {
      assert.ok(error instanceof MatpowerImportError);
      assert.match(error.message, /the network is meshed: branch row 5 \(3 - 5\) closes the loop 5 - 4 - 2 - 3 - 5/);
      assert.match(error.fix[0]!, /BR_STATUS = 0/);
      return true;
    });
  });

  it('rejects a case without exactly one reference bus, and non-numbers in matrices', () => {
    const noRef = read('feeder5-tie.m').replace(/\t1\t3\t0\t0/, '\t1\t1\t0\t0');
    assert.throws(() => parseMatpowerCase(noRef), /no reference bus \(type 3\)/);
    const bad = read('feeder5-tie.m').replace('0.01\t0.02', 'r1\t0.02');
    assert.throws(() => parseMatpowerCase(bad), /mpc.branch \(line \d+\): 'r1' is not a number/);
  });

  it('imports MATPOWER case69 (ohm and kW converted by its own code) so the power flow gives the published 224.98 kW losses and 0.9092 p.u. at bus 65', () => {
    const scenario = toScenario(parseMatpowerCase(read('case69.m'), { sourceName: 'case69.m' }), { periods: 1 });
    const flow = runPowerFlow(scenario).periods[0]!;
    // Baran & Wu 1989 (IEEE Trans. Power Delivery 4(1)), as reproduced by MATPOWER's runpf: 224.98 kW, Vmin 0.9092 at bus 65.
    assert.ok(Math.abs(flow.losses * scenario.baseMva * 1000 - 224.98) < 0.05, `losses ${flow.losses * scenario.baseMva * 1000} kW`);
    assert.equal(scenario.buses[flow.minVoltageBus]!.id, '65');
    assert.ok(Math.abs(flow.minVoltage - 0.9092) < 5e-5, `min V ${flow.minVoltage}`);
  });

  const base = read('feeder5-tie.m').split('mpc = scale_load')[0]!;

  it('merges a zero-impedance branch, leaves out buses the substation cannot reach, and says so', () => {
    const zero = parseMatpowerCase(base.replace('2\t4\t0.015\t0.03', '2\t4\t0\t0'));
    assert.deepEqual(zero.buses.map((b) => b.id), [1, 2, 3, 5]);
    assert.deepEqual(zero.buses[1]!.devices!.map((d) => d.name), ['load-2', 'load-4'], 'bus 4 and its load moved into bus 2');
    assert.ok(zero.lines.every((l) => l.from !== 4 && l.to !== 4));
    assert.match(zero.warnings!.join('\n'), /branch row 3 \(2 - 4\) has \(near\) zero impedance \|z\| = 0 p\.u\.: bus 4 is merged into bus 2/);
    const island = parseMatpowerCase(base.replace(/\t3\t5 \.\.\.\n.*\n/, ''));
    assert.deepEqual(island.buses.map((b) => b.id), [1, 2, 3, 4]);
    assert.match(island.warnings!.join('\n'), /bus\(es\) 5 are not connected to the substation 1 by closed branches and were left out \(their 50 kW of load is not served\)/);
  });

  it('gives a feeder without a substation generator the grid supply at the default price, and widens placeholder limits', () => {
    const noGen = parseMatpowerCase(base.replace('mpc.gen = [ 1 0 0 2 -2 1.02 1 1 3 0 ];', 'mpc.gen = [];').replace('\t2\t0\t0\t3\t12.5\t45\t0;\n', ''));
    assert.deepEqual(noGen.buses[0]!.devices, [{ kind: 'generator', name: 'grid', pMinKw: -1000, pMaxKw: 1000, qMinKvar: -1000, qMaxKvar: 1000, costLinearPerMwh: defaultGridPricePerMwh }]);
    assert.match(noGen.warnings![0]!, /^substation supply: the substation \(bus 1\) has no generator in service/);
    // 0.5 MW of load against a 0.3 MW generator: Pmax becomes twice the load, rounded up to whole MW.
    const small = parseMatpowerCase(base.replace('mpc.gen = [ 1 0 0 2 -2 1.02 1 1 3 0 ];', 'mpc.gen = [ 1 0 0 2 -2 1.02 1 1 0.3 0 ];'));
    const gen = small.buses[0]!.devices![0]!;
    assert.ok(gen.kind === 'generator' && gen.pMaxKw === 1000 && gen.qMaxKvar === 2000);
    assert.match(small.warnings!.join('\n'), /Pmax 300 kW cannot carry the feeder's 500 kW load/);
  });

  it('joins several reference buses at the same voltage into one substation (case16ci has one per feeder) and refuses different voltages', () => {
    // Bus 4 becomes a second substation feeding bus 5 only: open its line to bus 2, close the tie 4-5.
    const twoFeeders = base.replace('\t4\t1\t0.15\t0.05', '\t4\t3\t0.15\t0.05').replace('mpc.gen = [ 1 0 0 2 -2 1.02 1 1 3 0 ];', 'mpc.gen = [ 1 0 0 2 -2 1.02 1 1 3 0; 4 0 0 2 -2 1.02 1 1 3 0 ];')
      .replace('\t2\t4\t0.015\t0.03\t0\t0\t0\t0\t0\t0\t1', '\t2\t4\t0.015\t0.03\t0\t0\t0\t0\t0\t0\t0').replace(/\t3\t5 \.\.\.\n.*\n/, '').replace('\t4\t5\t0.01\t0.01\t0\t0\t0\t0\t0\t0\t0', '\t4\t5\t0.01\t0.01\t0\t0\t0\t0\t0\t0\t1')
      .replace('\t2\t0\t0\t3\t12.5\t45\t0;', '\t2\t0\t0\t3\t12.5\t45\t0;\n\t2\t0\t0\t3\t12.5\t45\t0;');
    const joined = parseMatpowerCase(twoFeeders);
    assert.deepEqual(joined.buses.map((b) => b.id), [1, 2, 3, 5]);
    assert.deepEqual(joined.buses[0]!.devices!.map((d) => d.name), ['load-4', 'gen-1', 'gen-4']);
    assert.ok(joined.lines.some((l) => l.from === 1 && l.to === 5 && l.status !== 'open'), 'the second feeder hangs off the joined substation');
    assert.match(joined.warnings!.join('\n'), /2 reference buses \(1, 4\), all at 1\.02 p\.u\.: their feeders are joined at one substation bus 1/);
    const scenario = toScenario(joined);
    assert.equal(scenario.buses.find((b) => b.id === '5')!.parent, 0);
    assert.throws(() => parseMatpowerCase(twoFeeders.replace('4 0 0 2 -2 1.02', '4 0 0 2 -2 1.0')), /2 reference buses \(type 3\) at different voltages \(bus 1: 1\.02, bus 4: 1\)/);
  });

  it('applies a conversion from one column to another with elementary functions (case141 loads in kVA at a power factor)', () => {
    const text = `${base}\npf = 0.85;\nmpc.bus(:, QD) = mpc.bus(:, PD) * sin(acos(pf));\nmpc.bus(:, PD) = mpc.bus(:, PD) * pf;\n`;
    const caseFile = parseMatpowerCase(text);
    const load = caseFile.buses[2]!.devices![0]!;
    assert.ok(load.kind === 'fixedLoad');
    assert.ok(Math.abs((load.pKw as number) - 200 * 0.85) < 1e-9 && Math.abs((load.qKvar as number) - 200 * Math.sin(Math.acos(0.85))) < 1e-9);
    assert.equal(caseFile.warnings, undefined);
  });
});

