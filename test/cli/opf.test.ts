import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GridError } from '../../core/errors.js';
import { runCentralCommand } from './central.js';

describe('gridconsensus central', () => {
  it('rejects an unknown convention with the flag and a fix', () => {
    assert.throws(() => runCentralCommand('sce56', { convention: 'middle' }, () => {}), (e: unknown) => e instanceof GridError && e.field === '--convention');
  });

  it('solves the plain SCE-56 case and reports clean checks', () => {
    let out = '';
    assert.equal(runCentralCommand('sce56', { json: true }, (s) => { out += s; }), 0);
    const summary = JSON.parse(out) as { status: string; violations: number; largestVoltageMismatch: number };
    assert.equal(summary.status, 'solved');
    assert.equal(summary.violations, 0);
    assert.ok(summary.largestVoltageMismatch < 1e-6);
  });
});
