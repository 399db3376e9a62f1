import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagePath } from '../../src/core/paths.js';

const cliMain = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const matpower = (name: string) => packagePath('test', 'data', 'matpower', name);
const cli = (...args: string[]) => spawnSync(process.execPath, [cliMain, ...args], { encoding: 'utf8' });

describe('the CLI on MATPOWER feeders', () => {
  it('powerflow on case69 prints the published losses and no voltage outside the limits', () => {
    const run = cli('powerflow', matpower('case69.m'), '--json');
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { buses: number; periods: { lossesKw: number; minVoltage: number }[]; voltagesOutsideLimits: number };
    assert.equal(out.buses, 69);
    assert.ok(Math.abs(out.periods[0]!.lossesKw - 224.98) < 0.05);
    assert.equal(out.voltagesOutsideLimits, 0);
  });

  it('opf on a feeder with loads only: the substation supplies at the default price', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-feeder-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const text = readFileSync(matpower('feeder5-tie.m'), 'utf8').split('mpc = scale_load')[0]!
      .replace('mpc.gen = [ 1 0 0 2 -2 1.02 1 1 3 0 ];', 'mpc.gen = [];').replace('\t2\t0\t0\t3\t12.5\t45\t0;\n', '');
    writeFileSync(join(dir, 'loads-only.m'), text);
    const run = cli('opf', join(dir, 'loads-only.m'), '--out', join(dir, 'out'), '--json');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /warning: substation supply: the substation \(bus 1\) has no generator in service: added the grid supply 'grid'/);
    const summary = JSON.parse(run.stdout) as { dlmpMin: number; dlmpMax: number; checksPassed: boolean };
    assert.ok(Math.abs(summary.dlmpMin - 50) < 1e-6, `substation DLMP ${summary.dlmpMin} = the default grid price`);
    assert.ok(summary.dlmpMax > 50 && summary.checksPassed);
  });

  it('scenario --case puts the paper devices on case69; a meshed case is refused with the branch that closes a loop', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-feeder-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const run = cli('scenario', '--case', matpower('case69.m'), '--seed', '4', '--periods', '24', '--out', join(dir, 's.json'));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /case69-paper \(seed 4\), 69 buses, 24 x 1 h; 1 generator, 48 loads/);
    const file = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')) as { seed: number; buses: { devices?: { kind: string }[] }[] };
    assert.equal(file.seed, 4);
    assert.ok(file.buses.some((b) => (b.devices ?? []).some((d) => d.kind === 'battery')));
    const meshed = cli('opf', matpower('feeder5-meshed.m'), '--out', join(dir, 'm'));
    assert.equal(meshed.status, 2);
    assert.match(meshed.stderr, /the network is meshed: branch row 5 \(3 - 5\) closes the loop/);
    assert.match(meshed.stderr, /Fix: gridconsensus needs a radial feeder/);
  });
});
