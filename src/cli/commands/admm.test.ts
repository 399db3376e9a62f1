import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { GridError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { runAdmmCommand } from './admm.js';

const fourBus = packagePath('test', 'e2e', 'data', 'four-bus-day.json');

test('admm --json --out writes schedule.json, convergence.csv and a two-panel convergence.svg and compares with the central OPF', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-admm-'));
  try {
    let out = '';
    let progress = '';
    const code = await runAdmmCommand(fourBus, { workers: 0, maxIter: 30, out: dir, json: true }, (s) => (out += s), { write: (s: string) => (progress += s) });
    const summary = JSON.parse(out) as Record<string, unknown>;
    assert.equal(code, summary.status === 'converged' ? 0 : 1);
    for (const key of ['iterations', 'totalCost', 'centralCost', 'costGapPercent', 'maxDlmpDiffPercent', 'msPerIteration', 'workers']) assert.ok(key in summary, key);
    assert.match(progress, /iteration +\d+ +r /);
    const schedule = JSON.parse(readFileSync(join(dir, 'schedule.json'), 'utf8')) as { method: string };
    assert.equal(schedule.method, 'admm');
    assert.ok(existsSync(join(dir, 'convergence.csv')));
    const svg = readFileSync(join(dir, 'convergence.svg'), 'utf8');
    assert.equal(svg.match(/<svg\b/g)?.length, 3, 'an outer SVG holding the residual and the cost-gap charts');
    assert.match(svg, /Cost gap to the central OPF/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('admm rejects --adaptive with --fixed, a non-positive --rho and an unknown --start by name', async () => {
  await assert.rejects(runAdmmCommand(fourBus, { adaptive: true, fixed: true }, () => {}), (e: unknown) => e instanceof GridError && e.field === '--fixed');
  await assert.rejects(runAdmmCommand(fourBus, { rho: '-1' }, () => {}), (e: unknown) => e instanceof GridError && e.field === '--rho');
  await assert.rejects(runAdmmCommand(fourBus, { start: 'central' }, () => {}), (e: unknown) => e instanceof GridError && e.field === '--start' && /--start auto/.test(e.message));
});
