/**
 * Conic corpus benchmark: every instance of test/data/conic/manifest.json, plus any fetched
 * copies listed in build/conic-corpus/manifest.json (public files kept out of git; same entry
 * format), solved by our solver: one JSON line per instance with status, objective against the
 * published optimum, iterations and time, then a summary line that names every failure.
 * Where CVXOPT is installed (bench/cvxopt.ts) each instance also gets a side-by-side line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { solveConic } from '../src/conic/index.js';
import { objectiveInFileSense } from '../src/conic/io/parsedConicFile.js';
import { readConicFile } from '../src/conic/io/readConicFile.js';
import { packagePath } from '../src/core/paths.js';
import { runCvxoptSideBySide } from './cvxopt.js';

interface ManifestEntry {
  file: string;
  /** Published optimum in the file's own sense; null for instances that are infeasible or unbounded. */
  optimalObjective: number | null;
  /** Expected status when not 'solved' (e.g. 'primalInfeasible'). */
  expectedStatus?: string;
}

export interface ConicCorpusOptions {
  /** Extra folder with fetched instances and their manifest.json (default build/conic-corpus). */
  extraDir?: string;
  /** Relative objective error counted as a failure (default 1e-6, absolute below 1). */
  tolerance?: number;
  /** Also run CVXOPT side by side where it is installed (default true). */
  cvxopt?: boolean;
}

export async function runConicCorpusBench(options: ConicCorpusOptions = {}): Promise<object[]> {
  const tolerance = options.tolerance ?? 1e-6;
  const folders = [packagePath('test', 'data', 'conic'), options.extraDir ?? packagePath('build', 'conic-corpus')];
  const lines: object[] = [];
  const failures: string[] = [];
  let count = 0;
  for (const dir of folders) {
    const manifestFile = `${dir}/manifest.json`;
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ManifestEntry[];
    for (const entry of manifest) {
      count++;
      const line = solveCorpusEntry(dir, entry, tolerance);
      lines.push(line);
      if (!line.ok) failures.push(`${entry.file}: ${line.reason}`);
      // CVXOPT's coneqp has no infeasibility detection (it stops with a domain error), so only solvable instances go to it
      if (options.cvxopt !== false && line.reason !== 'read error' && entry.expectedStatus === undefined) {
        const parsed = readConicFile(entry.file, readText(`${dir}/${entry.file}`));
        try {
          const sideBySide = await runCvxoptSideBySide(parsed.problem, entry.file);
          if (sideBySide) lines.push(sideBySide);
        } catch (error) {
          lines.push({ bench: 'conic', case: entry.file, cvxoptError: String((error as Error).message).split('\n')[0] });
        }
      }
    }
  }
  lines.push({ bench: 'conic-corpus', case: 'summary', instances: count, failed: failures.length, failures });
  return lines;
}

interface CorpusLine {
  bench: string;
  case: string;
  ok: boolean;
  reason?: string;
  [key: string]: unknown;
}

function solveCorpusEntry(dir: string, entry: ManifestEntry, tolerance: number): CorpusLine {
  let parsed;
  try {
    parsed = readConicFile(entry.file, readText(`${dir}/${entry.file}`));
  } catch (error) {
    return { bench: 'conic-corpus', case: entry.file, ok: false, reason: 'read error', message: String((error as Error).message) };
  }
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const solution = solveConic(parsed.problem, { timeLimitSeconds: 120 });
  const cpu = process.cpuUsage(cpuStart);
  const ms = performance.now() - start;
  const expectedStatus = entry.expectedStatus ?? 'solved';
  const objective = Number.isFinite(solution.objective) ? objectiveInFileSense(parsed, solution.objective) : null;
  let reason: string | undefined;
  if (solution.status !== expectedStatus) reason = `status ${solution.status}, expected ${expectedStatus}`;
  else if (entry.optimalObjective !== null && objective !== null) {
    const error = Math.abs(objective - entry.optimalObjective) / Math.max(1, Math.abs(entry.optimalObjective));
    if (error > tolerance) reason = `objective ${objective} off the published ${entry.optimalObjective} by ${error.toExponential(2)} relative`;
  }
  return {
    bench: 'conic-corpus', case: entry.file, ok: reason === undefined, ...(reason ? { reason } : {}),
    variables: parsed.problem.q.length, rows: parsed.problem.b.length,
    status: solution.status, objective, published: entry.optimalObjective, iterations: solution.iterations,
    ms: Math.round(ms * 10) / 10, cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10,
    primalResidual: solution.primalResidual, dualResidual: solution.dualResidual, gap: solution.gap,
  };
}

/** File text; .gz copies (as CBLIB ships them) are decompressed in memory. */
function readText(path: string): string {
  const bytes = readFileSync(path);
  const text = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return text.toString('utf8');
}
