/**
 * Every command, fed bad input through the built CLI: exit 2 (69 for an unreachable node), one
 * "error: <field>: ..." message with a Fix line, no stack trace, no outputs written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAnvil } from '../../src/chain/node/startAnvil.js';
import { packagePath } from '../../src/core/paths.js';
import { tinyCaseFile } from '../helpers/tinyCaseFile.js';

const cliMain = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const matpowerCase = packagePath('test', 'data', 'matpower', 'case33bw.m');
const address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
// Port 1 on loopback: nothing listens there, so the connection is refused at once.
const deadNode = 'http://127.0.0.1:1';

/** Each bad case changes one thing of tinyCaseFile(). */
const tinyCase = tinyCaseFile;

interface CliResult { status: number | null; stdout: string; stderr: string }

function runCli(args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliMain, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A hang is a failure too: the test runner's own timeout would report it less clearly.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

test('every command rejects bad input with exit 2 (69 for an unreachable node), the field and a fix, no stack, no outputs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-badinput-'));
  try {
    const file = (name: string, content: string | Record<string, unknown>) => {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    };
    const variant = (name: string, change: (c: Record<string, any>) => void) => {
      const c = tinyCase() as Record<string, any>;
      change(c);
      return file(name, c);
    };
    const good = file('good.json', tinyCase());
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    const outs = join(dir, 'outs');
    const wrongType = variant('wrong-type.json', (c) => { c.baseKv = 'twelve'; });
    const negative = variant('negative.json', (c) => { c.lines[0].rPu = -0.001; });
    const unknownParent = variant('unknown-parent.json', (c) => { c.lines[1].from = 9; });
    const duplicate = variant('duplicate.json', (c) => { c.buses[2].id = 2; });
    const cycle = variant('cycle.json', (c) => { c.lines.push({ from: 3, to: 1, rPu: 0.001, xPu: 0.002 }); });
    const noSubstation = variant('no-substation.json', (c) => { delete c.substation; });
    const nan = file('nan.json', JSON.stringify(tinyCase()).replace('"pKw":100', '"pKw":NaN'));
    // JSON.parse reads 1e999 as Infinity; the message gives the number as written.
    const overflow = file('overflow.json', JSON.stringify(tinyCase()).replace('"xPu":0.002', '"xPu":1e999'));
    const brokenMatpower = file('broken.m', readFileSync(matpowerCase, 'utf8').replace('mpc.bus = [', 'mpc.bus = [['));
    const hs21 = packagePath('test', 'data', 'conic', 'HS21.QPS');

    const cases: Array<{ args: string[]; field: RegExp; exit?: number }> = [
      { args: ['powerflow', join(dir, 'missing.json')], field: /^error: CASE: .*does not exist/ },
      { args: ['opf', folder, '--out', join(outs, 'opf-folder')], field: /^error: SCENARIO: .*is a folder/ },
      { args: ['scenario', file('empty.json', '')], field: /^error: CASE: .*is empty/ },
      { args: ['admm', file('malformed.json', '{"format": "gridconsensus-case", "buses": ['), '--no-compare'], field: /not valid JSON/ },
      { args: ['powerflow', wrongType], field: /^error: baseKv: / },
      { args: ['powerflow', negative], field: /^error: lines\[0\]\.rPu: / },
      { args: ['opf', unknownParent, '--out', join(outs, 'opf-parent')], field: /^error: lines\[1\]\.from: / },
      { args: ['powerflow', duplicate], field: /^error: buses\[2\]\.id: .*duplicate bus id/s },
      { args: ['powerflow', cycle], field: /^error: lines\[2\]: .*closes a loop/s },
      { args: ['admm', noSubstation, '--no-compare', '--out', join(outs, 'admm-nosub')], field: /^error: substation: / },
      { args: ['powerflow', nan], field: /not valid JSON/ },
      { args: ['powerflow', overflow], field: /^error: lines\[0\]\.xPu: .*\n {2}- lines\[0\]\.xPu: must be a finite number, got 1e999 / },
      { args: ['powerflow', brokenMatpower], field: /^error: mpc\.bus: .*unreadable/ },
      { args: ['opf', 'sce57', '--out', join(outs, 'opf-name')], field: /^error: SCENARIO: 'sce57' is neither a built-in case nor a file/ },
      { args: ['scenario', 'sce56', '--seed', 'abc'], field: /^error: --seed: must be a whole number/ },
      { args: ['powerflow', 'sce56-paper', '--seed', ''], field: /^error: --seed: is empty/ },
      // The parser reads 0x10 as 16 and 1e3 as 1000; a seed is refused unless written in digits.
      { args: ['scenario', 'sce56', '--seed', '0x10'], field: /^error: --seed: must be a whole number .*written in decimal digits, got '0x10'/ },
      { args: ['admm', good, '--max-iter', '1e3'], field: /^error: --max-iter: .*decimal digits, got '1e3'/ },
      // The case after a bare --dashboard is the scenario, not the port (here it is missing, so run stops at once).
      { args: ['run', '--dashboard', join(dir, 'missing-day.json')], field: /^error: SCENARIO: case file .*missing-day\.json' does not exist/ },
      { args: ['admm', good, '--max-iter', '-1'], field: /^error: --max-iter: must be a whole number ≥ 1, got '-1'/ },
      { args: ['admm', good, '--workers', '0.5'], field: /^error: --workers: / },
      { args: ['admm', good, '--eps-rel', '0'], field: /^error: --eps-rel: / },
      { args: ['solve', hs21, '--tol', '0'], field: /^error: --tol: must be a number > 0/ },
      { args: ['solve', folder], field: /^error: FILE: .*is a folder/ },
      { args: ['opf', good, '--out', good], field: /^error: --out: .*is a file, not a folder/ },
      { args: ['verify', '--rpc-url', deadNode, '--coordinator', '0x12', '--case', 'sce56'], field: /^error: --coordinator: '0x12' is not an address/ },
      { args: ['verify', '--rpc-url', 'notaurl', '--coordinator', address, '--case', 'sce56'], field: /^error: --rpc-url: 'notaurl' is not/ },
      { args: ['verify', '--rpc-url', deadNode, '--coordinator', address, '--case', 'sce56', '--admm-options', '{"rho":'], field: /^error: --admm-options: is not valid JSON/ },
      { args: ['verify', '--rpc-url', deadNode, '--coordinator', address, '--case', 'sce56'], field: /^error: --rpc-url: cannot reach/, exit: 69 },
      { args: ['dashboard', '--rpc-url', deadNode, '--coordinator', address], field: /^error: --rpc-url: cannot reach/, exit: 69 },
    ];
    // Two at a time: the machine has two cores and each CLI start costs a module load.
    const results: CliResult[] = [];
    for (let i = 0; i < cases.length; i += 2) results.push(...await Promise.all(cases.slice(i, i + 2).map((c) => runCli(c.args, dir))));
    cases.forEach((c, i) => {
      const r = results[i]!;
      const label = c.args.join(' ');
      assert.equal(r.status, c.exit ?? 2, `${label}: exit ${r.status}\n${r.stderr}`);
      // opf prints progress lines before the error; the message starts at 'error: '.
      assert.match(r.stderr.slice(Math.max(0, r.stderr.indexOf('error: '))), c.field, `${label}\n${r.stderr}`);
      assert.match(r.stderr, /\n {2}Fix: /, `${label}: no fix line\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${label}: stack trace\n${r.stderr}`);
      assert.equal(r.stdout, '', `${label}: printed a result`);
    });
    // Bad input is found before any output folder is made, so nothing half-written can look complete.
    assert.equal(existsSync(outs), false, `outputs written: ${existsSync(outs) ? readdirSync(outs, { recursive: true }).join(', ') : ''}`);

    // The unchanged case passes, so the failures above come from the one change each made.
    const control = await runCli(['powerflow', good, '--json'], dir);
    assert.equal(control.status, 0, control.stderr);

    // A negative reactance (a series capacitor) is accepted with a warning naming the line (docs/case-format.md).
    const capacitor = await runCli(['powerflow', variant('capacitor.json', (c) => { c.lines[1].xPu = -0.002; }), '--json'], dir);
    assert.equal(capacitor.status, 0, capacitor.stderr);
    assert.match(capacitor.stderr, /^warning: negative reactance: lines\[1\] \(2 - 3\) has xPu = -0\.002 .*relaxation/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('verify and dashboard on a live node refuse an address without a contract (exit 2) instead of reading or serving nothing', async () => {
  const node = await startAnvil({ accounts: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'gc-badinput-'));
  try {
    const results = await Promise.all([
      runCli(['verify', '--rpc-url', node.rpcUrl, '--coordinator', address, '--case', 'sce56'], dir),
      runCli(['dashboard', '--rpc-url', node.rpcUrl, '--coordinator', address], dir),
    ]);
    for (const r of results) {
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /coordinator: there is no contract at/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
