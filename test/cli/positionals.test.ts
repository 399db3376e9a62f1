/**
 * A case file named like a number (007) reaches every command that takes a case as the exact
 * text typed, also right after a flag without a value, where the parser (cac/mri) turned it
 * into the number 7 (`opf --json 007`) or took it as that flag's value (`--free-substation-voltage 007`).
 * Also: `--help` on a command with a `--no-…` flag exits 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { typedPositionals } from '../../src/cli/flags.js';
import { tinyCaseFile } from '../helpers/tinyCaseFile.js';

const cliMain = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('run, admm, opf, powerflow and scenario open the case file 007, not 7, also after a flag without a value', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-positional-'));
  try {
    writeFileSync(join(dir, '007'), JSON.stringify(tinyCaseFile()));
    // The file the parser's number would name: opening it fails with exit 2.
    writeFileSync(join(dir, '7'), 'not a case');
    const cli = (...args: string[]) => spawnSync(process.execPath, [cliMain, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const cases: Array<{ args: string[]; status: number; shows: RegExp }> = [
      { args: ['powerflow', '--json', '007'], status: 0, shows: /"case":"tiny"/ },
      { args: ['opf', '--free-substation-voltage', '007', '--json', '--out', 'opf'], status: 0, shows: /"case":"tiny"|tiny/ },
      { args: ['admm', '--json', '007', '--max-iter', '2', '--no-compare', '--workers', '0'], status: 1, shows: /"scenario":"tiny"/ },
      { args: ['scenario', '007', '--out', 'scenario.json'], status: 0, shows: /tiny-paper/ },
      // Read, then the node is refused (exit 69): the case was loaded as '007'.
      { args: ['run', '--json', '007', '--rpc-url', 'http://127.0.0.1:1'], status: 69, shows: /no Ethereum JSON-RPC node answers/ },
    ];
    for (const c of cases) {
      const r = cli(...c.args);
      assert.equal(r.status, c.status, `${c.args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout + r.stderr, c.shows, c.args.join(' '));
      assert.doesNotMatch(r.stderr, /'7'/, c.args.join(' '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('typedPositionals keeps positionals as typed and skips only the values of flags that take one', () => {
  const withoutValue = new Set(['json', 'freeSubstationVoltage', 'h', 'help']);
  assert.deepEqual(typedPositionals(['opf', '--json', '007', '--out', '01', '--free-substation-voltage', 'x'], withoutValue), ['opf', '007', 'x']);
  assert.deepEqual(typedPositionals(['run', '--seed=7', '--no-central', '08', '--workers=-1', 'c'], withoutValue), ['run', '08', 'c']);
  assert.deepEqual(typedPositionals(['run', '-h', '1', '--', '2'], withoutValue), ['run', '1']);
});

test('--help exits 0 on commands with a --no-… flag (its default was reported as an unknown option, exit 2)', () => {
  for (const command of ['run', 'admm', 'verify']) {
    const r = spawnSync(process.execPath, [cliMain, command, '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `${command} --help: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`\\$ gridconsensus ${command}`));
    assert.equal(r.stderr, '');
  }
});
