/**
 * Conic corpus benchmark: every instance of test/data/conic/manifest.json solved by our solver
 * and by CVXOPT side by side (bench/cvxopt.ts), one result line per instance, plus our objective's
 * relative error against the published optimum.
 */
import { readFileSync } from 'node:fs';
import { readConicFile } from '../src/conic/io/readConicFile.js';
import { packagePath } from '../src/core/paths.js';
import { runCvxoptSideBySide } from './cvxopt.js';

interface ManifestEntry {
  file: string;
  optimalObjective: number;
}

export async function runConicCorpusBench(): Promise<object[]> {
  const dir = packagePath('test', 'data', 'conic');
  const manifest = JSON.parse(readFileSync(`${dir}/manifest.json`, 'utf8')) as ManifestEntry[];
  const lines: object[] = [];
  for (const entry of manifest) {
    const parsed = readConicFile(entry.file, readFileSync(`${dir}/${entry.file}`, 'utf8'));
    const line = await runCvxoptSideBySide(parsed.problem, entry.file);
    if (line) lines.push(line);
  }
  return lines;
}
