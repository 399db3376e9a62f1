import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { packagePath } from '../../core/paths.js';
import { solveConic } from '../index.js';
import { objectiveInFileSense } from './parsedConicFile.js';
import { readConicFile } from './readConicFile.js';

interface ManifestEntry {
  file: string;
  format: 'qps' | 'cbf';
  optimalObjective: number | null;
  expectedStatus?: string;
  inTest?: boolean;
}

const dir = packagePath('test', 'data', 'conic');
const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as ManifestEntry[];

for (const entry of manifest.filter((e) => e.inTest)) {
  test(`corpus ${entry.file} solves to its published optimum or expected status`, () => {
    const parsed = readConicFile(entry.file, readFileSync(`${dir}/${entry.file}`, 'utf8'));
    const solution = solveConic(parsed.problem);
    if (entry.expectedStatus !== undefined || entry.optimalObjective === null) {
      assert.equal(solution.status, entry.expectedStatus);
      return;
    }
    assert.equal(solution.status, 'solved');
    const objective = objectiveInFileSense(parsed, solution.objective);
    // 1e-6 relative; absolute for optima below 1 in magnitude (HS51's optimum is 0).
    const error = Math.abs(objective - entry.optimalObjective) / Math.max(1, Math.abs(entry.optimalObjective));
    assert.ok(error <= 1e-6, `${entry.file}: objective ${objective}, published ${entry.optimalObjective}, error ${error}`);
  });
}
