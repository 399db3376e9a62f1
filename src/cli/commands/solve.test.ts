import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GridError } from '../../core/errors.js';
import { packagePath } from '../../core/paths.js';
import { runSolveCommand } from './solve.js';

const hs21 = packagePath('test', 'data', 'conic', 'HS21.QPS');

test('solve prints status, objective in the file sense, iterations and time', () => {
  let out = '';
  const code = runSolveCommand(hs21, {}, (s) => (out += s));
  assert.equal(code, 0);
  assert.match(out, /status\s+solved/);
  assert.match(out, /objective\s+-99\.9(6|59)/);
  assert.match(out, /iterations\s+\d+/);
});

test('solve --json prints one object; gzipped files are read; a maximized CBF keeps its sense', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-solve-'));
  try {
    const gz = join(dir, 'rsoc.cbf.gz');
    writeFileSync(gz, gzipSync(readFileSync(packagePath('test', 'data', 'conic', 'rsoc_max_offset.cbf'))));
    let out = '';
    assert.equal(runSolveCommand(gz, { json: true, tol: '1e-9' }, (s) => (out += s)), 0);
    const result = JSON.parse(out) as { status: string; objective: number; format: string; objectiveSense: string };
    assert.equal(result.format, 'cbf');
    assert.equal(result.objectiveSense, 'max');
    assert.ok(Math.abs(result.objective - 3.5) < 1e-6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('solve exits 1 on an infeasible problem and throws input errors (exit 2) naming the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-solve-'));
  try {
    const infeasible = join(dir, 'infeasible.qps');
    writeFileSync(infeasible, 'NAME bad\nROWS\n N obj\n G r\nCOLUMNS\n    x obj 1 r 1\nRHS\n    RHS r 5\nBOUNDS\n UP BND x 1\nENDATA\n');
    assert.equal(runSolveCommand(infeasible, {}, () => {}), 1);
    const broken = join(dir, 'broken.qps');
    writeFileSync(broken, 'NAME bad\nROWS\n N obj\nCOLUMNS\n    x obj\n');
    assert.throws(() => runSolveCommand(broken, {}, () => {}), (e: unknown) => e instanceof GridError && e.exitCode === 2 && /QPS line 5/.test(e.message));
    writeFileSync(join(dir, 'p.txt'), 'NAME p\n');
    assert.throws(() => runSolveCommand(join(dir, 'p.txt'), {}, () => {}), /cannot tell the format/);
    assert.throws(() => runSolveCommand(join(dir, 'missing.cbf'), {}, () => {}), /does not exist/);
    assert.throws(() => runSolveCommand(hs21, { tol: 'abc' }, () => {}), /--tol: must be/);
    assert.throws(() => runSolveCommand(hs21, { maxIter: 2.5 }, () => {}), /--max-iter: must be a whole number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('solve --time-limit stops with status timeLimit (exit 1); --json carries status, objective, iterations, time and residuals', () => {
  let out = '';
  assert.equal(runSolveCommand(hs21, { json: true, timeLimit: '1e-9' }, (s) => (out += s)), 1);
  const stopped = JSON.parse(out) as Record<string, unknown>;
  assert.equal(stopped.status, 'timeLimit');
  out = '';
  assert.equal(runSolveCommand(hs21, { json: true }, (s) => (out += s)), 0);
  const result = JSON.parse(out) as Record<string, unknown>;
  for (const key of ['status', 'objective', 'iterations', 'timeMs', 'primalResidual', 'dualResidual', 'gap']) assert.ok(key in result, key);
  assert.throws(() => runSolveCommand(hs21, { timeLimit: '-1' }, () => {}), /--time-limit: must be/);
});

test('solve refuses a binary or empty file with a clear message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-solve-'));
  try {
    const binary = join(dir, 'noise.qps');
    writeFileSync(binary, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x42]));
    assert.throws(() => runSolveCommand(binary, {}, () => {}), (e: unknown) => e instanceof GridError && e.exitCode === 2);
    const empty = join(dir, 'empty.cbf');
    writeFileSync(empty, '');
    assert.throws(() => runSolveCommand(empty, {}, () => {}), /is empty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
