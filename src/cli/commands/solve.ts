import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import type { CAC } from 'cac';
import { GridError } from '../../core/errors.js';
import { solveConic } from '../../conic/index.js';
import { objectiveInFileSense } from '../../conic/io/parsedConicFile.js';
import { detectConicFormat, readConicFile } from '../../conic/io/readConicFile.js';
import { inputFile, positiveNumberFlag, wholeNumberFlag } from '../flags.js';

export interface SolveCommandOptions {
  json?: boolean;
  tol?: number | string;
  maxIter?: number | string;
  timeLimit?: number | string;
}

/** `gridconsensus solve FILE`: read a CBF / QPS / MPS file (optionally gzipped) and solve it. */
export function registerSolveCommand(cli: CAC): void {
  cli
    .command('solve <file>', 'Solve a conic problem file (.cbf, .qps, .mps, also .gz) with the built-in interior-point solver')
    .option('--json', 'Print one JSON object instead of text')
    .option('--tol <tol>', 'Gap and feasibility tolerance', { default: 1e-8 })
    .option('--max-iter <n>', 'Interior-point iteration limit', { default: 200 })
    .option('--time-limit <seconds>', 'Wall-clock limit of the solve (status timeLimit when reached)')
    .example('gridconsensus solve test/data/conic/HS21.QPS')
    .action((file: string, options: SolveCommandOptions) => runSolveCommand(file, options, (s) => process.stdout.write(s)));
}

/** Runs the command and returns its exit code: 0 solved, 1 any other solver status (2 comes as a thrown GridError). */
export function runSolveCommand(file: string, options: SolveCommandOptions, print: (text: string) => void): number {
  const tol = positiveNumberFlag(options.tol ?? 1e-8, '--tol', '1e-8')!;
  const maxIter = wholeNumberFlag(options.maxIter ?? 200, '--max-iter', { min: 1, example: 200 })!;
  const timeLimitSeconds = positiveNumberFlag(options.timeLimit, '--time-limit', 60) ?? Infinity;
  inputFile(file, 'FILE', 'problem file');
  const format = detectConicFormat(file);
  const parsed = readConicFile(file, readText(file));
  const { problem } = parsed;
  const start = performance.now();
  const solution = solveConic(problem, { tolGapAbs: tol, tolGapRel: tol, tolFeas: tol, maxIter, timeLimitSeconds });
  const timeMs = performance.now() - start;
  const solved = solution.status === 'solved' || solution.status === 'almostSolved';
  const objective = Number.isFinite(solution.objective) ? objectiveInFileSense(parsed, solution.objective) : null;
  const summary = {
    file,
    format,
    variables: problem.q.length,
    rows: problem.b.length,
    status: solution.status,
    objective,
    objectiveSense: parsed.objectiveSense,
    iterations: solution.iterations,
    timeMs: round(timeMs, 3),
    setupMs: round(solution.timings.setupMs, 3),
    primalResidual: solution.primalResidual,
    dualResidual: solution.dualResidual,
    gap: solution.gap,
    warnings: parsed.warnings,
  };
  if (options.json) print(`${JSON.stringify(summary)}\n`);
  else {
    const lines = [
      `file        ${file} (${format}, ${summary.variables} variables, ${summary.rows} rows)`,
      `status      ${summary.status}`,
      `objective   ${objective === null ? 'n/a' : objective.toPrecision(12)} (${parsed.objectiveSense === 'max' ? 'maximized' : 'minimized'})`,
      `iterations  ${summary.iterations}`,
      `time        ${summary.timeMs.toFixed(1)} ms`,
      `residuals   primal ${solution.primalResidual.toExponential(2)}, dual ${solution.dualResidual.toExponential(2)}, gap ${solution.gap.toExponential(2)}`,
      ...parsed.warnings.map((w) => `warning     ${w}`),
    ];
    print(`${lines.join('\n')}\n`);
  }
  return solved ? 0 : 1;
}

/** File text; gzipped files (by name or by their magic bytes) are decompressed in memory. */
function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new GridError(`cannot read '${file}'`, { field: 'FILE', fix: ['check the path; it is resolved from the current directory'], cause });
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (cause) {
      throw new GridError(`'${file}' looks gzipped but does not decompress`, { field: 'FILE', fix: ['check the download, or gunzip it yourself and pass the plain file'], cause });
    }
  } else if (file.toLowerCase().endsWith('.gz')) {
    throw new GridError(`'${file}' is named .gz but is not gzip data`, { field: 'FILE', fix: ['rename the file without .gz if it is plain text'] });
  }
  return bytes.toString('utf8');
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
