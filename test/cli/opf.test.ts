import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GridError } from '../../src/core/errors.js';
import { packagePath } from '../../src/core/paths.js';
import { checkWellFormed } from '../../src/report/svg/checkWellFormed.js';
import { runOpfCommand, type OpfSummary } from '../../src/cli/commands/opf.js';

const tinyCase = packagePath('test', 'data', 'matpower', 'feeder5-tie.m');
const cliMain = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Splits one CSV line on commas outside quotes. */
function csvFields(line: string): string[] {
  return line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.slice(0, -1).map((f) => f.replace(/,$/, ''));
}

describe('gridconsensus opf', () => {
  it('writes schedule.json, well-formed CSV tables, SVG figures, report.html and summary.md', (t) => {
    const out = mkdtempSync(join(tmpdir(), 'gc-opf-'));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    let printed = '';
    assert.equal(runOpfCommand(tinyCase, { out, json: true }, (s) => { printed += s; }), 0);
    const summary = JSON.parse(printed) as OpfSummary;
    assert.equal(summary.status, 'solved');
    assert.equal(summary.buses, 5);
    assert.ok(summary.checksPassed);
    const written = readdirSync(out).sort();
    for (const name of ['schedule.json', 'buses.csv', 'devices.csv', 'voltage.csv', 'dlmp.csv', 'network-voltage.svg', 'device-power.svg', 'device-average.svg', 'voltage-heatmap.svg', 'dlmp-heatmap.svg', 'report.html', 'summary.md']) {
      assert.ok(written.includes(name), `${name} written (got ${written.join(', ')})`);
    }
    const schedule = JSON.parse(readFileSync(join(out, 'schedule.json'), 'utf8')) as { format: string; buses: unknown[]; periods: number };
    assert.equal(schedule.format, 'gridconsensus.schedule/1');
    for (const svg of written.filter((f) => f.endsWith('.svg'))) {
      const text = readFileSync(join(out, svg), 'utf8');
      assert.match(text, /^<svg /);
      assert.deepEqual(checkWellFormed(text), [], svg);
    }
    assert.deepEqual(checkWellFormed(readFileSync(join(out, 'report.html'), 'utf8'), { html: true }), []);
    const buses = readFileSync(join(out, 'buses.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(buses.length, 1 + 5 * schedule.periods, 'a header and one row per bus and period');
    const header = csvFields(buses[0]!);
    for (const column of ['p_injection_mw', 'line_current_ka', 'voltage_pu', 'dlmp_per_mwh', 'dlmp_energy_per_mwh', 'dlmp_loss_per_mwh', 'dlmp_voltage_per_mwh']) assert.ok(header.includes(column), column);
    for (const row of buses.slice(1)) assert.equal(csvFields(row).length, header.length);
    // The DLMP parts add up in the table too (engineering units).
    const col = (name: string) => header.indexOf(name);
    for (const row of buses.slice(1)) {
      const f = csvFields(row).map(Number);
      assert.ok(Math.abs(f[col('dlmp_per_mwh')]! - f[col('dlmp_energy_per_mwh')]! - f[col('dlmp_loss_per_mwh')]! - f[col('dlmp_voltage_per_mwh')]!) < 1e-6);
    }
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /^# feeder5_tie day-ahead schedule/);
  });

  it('rejects an unknown convention with the flag and a fix', () => {
    assert.throws(() => runOpfCommand(tinyCase, { convention: 'middle' }, () => {}), (e: unknown) => e instanceof GridError && e.field === '--convention');
  });

  it('runs from the command line under its alias `central`, sending-end with a free substation voltage', (t) => {
    const out = mkdtempSync(join(tmpdir(), 'gc-opf-'));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    const run = spawnSync(process.execPath, [cliMain, 'central', tinyCase, '--out', out, '--json', '--convention', 'sending', '--free-substation-voltage'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as OpfSummary;
    assert.equal(summary.convention, 'sendingEnd');
    assert.equal(summary.substationVoltage, 'free');
    assert.match(run.stderr, /building and solving the central OPF/, 'progress on stderr');
    const help = spawnSync(process.execPath, [cliMain, 'opf', '--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /default: \.\/out\/opf/);
  });
});
