// Runs every compiled test file with Node's own test runner.
// `node scripts/runTests.mjs [folder|file ...]` narrows the run to src/<folder> (or a dist path).
// GC_DIST=build/mine selects another build output folder (each developer may build to its own).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const dist = process.env.GC_DIST ?? 'dist';
const args = process.argv.slice(2);
const starts = args.length > 0
  ? args.map((a) => (a.startsWith(dist) ? a : join(dist, 'src', a)))
  : [join(dist, 'src'), join(dist, 'test'), join(dist, 'scripts')];
const files = [];
function walk(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return; }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (e.endsWith('.test.js')) files.push(p);
  }
}
for (const s of starts) {
  if (s.endsWith('.js')) files.push(s); else walk(s);
}
files.sort();
if (files.length === 0) {
  console.error('no test files found under', starts.join(', '));
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
