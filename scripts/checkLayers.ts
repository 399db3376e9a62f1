/**
 * Enforces docs/architecture.md: every import under src/ goes to an allowed layer, Node
 * built-ins with side effects and viem appear only in I/O folders and files, and the table in
 * docs/architecture.md is the one this script enforces. Exit 1 with one line per violation.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Which src folders each src folder may import (itself always allowed). */
export const allowedImports: Record<string, string[]> = {
  core: [],
  conic: ['core'],
  scenario: ['core'],
  model: ['core', 'conic', 'scenario'],
  schedule: ['core', 'conic', 'scenario', 'model'],
  solve: ['core', 'conic', 'scenario', 'model', 'schedule'],
  chain: ['core', 'scenario', 'model', 'schedule', 'solve'],
  settlement: ['core', 'scenario', 'model', 'schedule', 'chain'],
  report: ['core', 'scenario', 'model', 'schedule', 'solve', 'chain', 'settlement'],
  agents: ['core', 'conic', 'scenario', 'model', 'schedule', 'solve', 'chain', 'settlement'],
  pipeline: ['core', 'conic', 'scenario', 'model', 'schedule', 'solve', 'chain', 'settlement', 'report', 'agents'],
  dashboard: ['core', 'scenario', 'schedule', 'chain', 'report', 'pipeline'],
  cli: ['core', 'conic', 'scenario', 'model', 'schedule', 'solve', 'chain', 'settlement', 'report', 'agents', 'pipeline', 'dashboard'],
};

/** Folders (or single files) where side-effecting Node built-ins and viem may be imported. */
export const ioPlaces = [
  'core/paths.ts', 'scenario/io.ts', 'schedule/io.ts', 'solve/admm/parallel', 'solve/admm/worker',
  'chain/', 'settlement/actions/', 'agents/', 'pipeline/', 'cli/', 'dashboard/',
];
const sideEffectModules = /^(node:)?(fs|fs\/promises|child_process|net|http|https|worker_threads|dgram|cluster)$|^viem/;

function walk(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (e.endsWith('.ts')) out.push(p);
  }
  return out;
}

export function checkLayers(root: string): string[] {
  const src = join(root, 'src');
  const problems: string[] = [];
  for (const file of walk(src, [])) {
    const rel = relative(src, file).split('\\').join('/');
    const layer = rel.split('/')[0]!;
    const isTest = rel.endsWith('.test.ts');
    const allowed = allowedImports[layer];
    if (!allowed) {
      problems.push(`${rel}: folder src/${layer} is not in docs/architecture.md's layer table`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) {
        const target = relative(src, resolve(dirname(file), spec)).split('\\').join('/');
        const targetLayer = target.split('/')[0]!;
        if (target.startsWith('..')) continue;
        if (targetLayer !== layer && !allowed.includes(targetLayer) && !isTest) {
          problems.push(`${rel}: imports src/${targetLayer} ('${spec}'), which src/${layer} may not use`);
        }
      } else if (sideEffectModules.test(spec) && !isTest && !ioPlaces.some((p) => rel.startsWith(p))) {
        problems.push(`${rel}: imports '${spec}' outside the I/O files (${ioPlaces.join(', ')})`);
      }
    }
  }
  const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  for (const [layer, deps] of Object.entries(allowedImports)) {
    const row = `| ${layer} | ${deps.length ? deps.join(', ') : '(nothing)'} |`;
    if (!doc.includes(row)) problems.push(`docs/architecture.md: missing or different row '${row}'`);
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]).endsWith(join('scripts', 'checkLayers.js'))) {
  const problems = checkLayers(process.cwd());
  for (const p of problems) console.error(p);
  if (problems.length > 0) process.exit(1);
  console.log('layers: ok');
}
