/**
 * `gridconsensus admm SCENARIO|CASE`: consensus ADMM across the buses (worker threads by
 * default), with progress on stderr, writing schedule.json, convergence.csv and convergence.svg.
 * By default it also solves the central OPF once to report the cost gap and DLMP differences.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CAC } from 'cac';
import { GridError } from '../../core/errors.js';
import { maxSeed } from '../../core/random.js';
import { boydStoppingFlags, caseArgument, outputFolder, positiveNumberFlag, wholeNumberFlag } from '../flags.js';
import { loadScenario } from '../../scenario/io.js';
import { paperAdmmSettings, type AdmmIterationInfo, type AdmmOptions } from '../../solve/admm/admmOptions.js';
import { compareWithCentral } from '../../solve/admm/compareWithCentral.js';
import { centralGapWarning } from '../centralGapWarning.js';
import { runAdmmParallel } from '../../solve/admm/parallelAdmm.js';
import type { AdmmResult } from '../../solve/admm/runAdmm.js';
import type { InitialPointKind } from '../../solve/admm/initialPoint.js';
import { solveCentralOpf } from '../../solve/central/solveCentralOpf.js';
import { renderLineChart } from '../../report/svg/lineChart.js';

export interface AdmmCommandOptions {
  rho?: number | string;
  adaptive?: boolean;
  fixed?: boolean;
  paper?: boolean;
  workers?: number | string;
  maxIter?: number | string;
  epsAbs?: number | string;
  epsRel?: number | string;
  /** cac sets false for --no-compare. */
  compare?: boolean;
  out?: string;
  json?: boolean;
  seed?: number | string;
  start?: string;
}

export function registerAdmmCommand(cli: CAC): void {
  cli
    .command('admm <scenario>', 'Schedule the day by consensus ADMM across the buses (one subproblem per bus, worker threads)')
    .option('--rho <rho>', 'Initial (or fixed) rho, currency per p.u.² (default 30·baseMVA², i.e. 30 per MW²)')
    .option('--adaptive', 'Adapt rho by residual balancing (mu 10, tau 2)')
    .option('--fixed', 'Keep rho fixed (default)')
    .option('--paper', "The paper's settings: rho 100 in kW units, eps_pri 1e-3, eps_dual 0.1, flat start")
    .option('--workers <n>', 'Worker threads; 0 runs in this thread (default: available cores)')
    .option('--max-iter <n>', 'ADMM iteration limit (default 1000)')
    .option('--eps-abs <e>', 'Absolute tolerance of the Boyd stopping rule, per unit (default 1e-5)')
    .option('--eps-rel <e>', 'Relative tolerance of the Boyd stopping rule (default 1e-3)')
    .option('--no-compare', 'Skip the central OPF (no cost gap or DLMP comparison)')
    .option('--out <dir>', 'Write schedule.json, convergence.csv and convergence.svg here')
    .option('--json', 'Print one JSON summary on stdout')
    .option('--seed <seed>', 'Seed of a built-in "-paper" scenario (default 1)')
    .option('--start <auto|forecast|lindistflow|flat>', 'Initial z and dual offsets: forecast = the OPF of the public devices and its duals; lindistflow = the linearised flow of the fixed injections and the λ0 price; flat; auto (default) = forecast when every device is public, else lindistflow (docs/admm.md §Forecast start)')
    .example('gridconsensus admm sce56-paper --out out/admm')
    .action((scenario: string, options: AdmmCommandOptions) => runAdmmCommand(scenario, options));
}

/** --start: which public start (initialPoint; its dual offsets follow it). */
export function startFlag(value: string | undefined): InitialPointKind | undefined {
  if (value === undefined) return undefined;
  const kinds: Record<string, InitialPointKind> = { auto: 'auto', forecast: 'forecastOpf', lindistflow: 'powerFlow', flat: 'flat' };
  const kind = kinds[String(value)];
  if (!kind) throw new GridError(`unknown --start '${String(value)}'`, { field: '--start', fix: ['pass --start auto (default), forecast, lindistflow or flat'] });
  return kind;
}

/** Where progress goes: a TTY gets a bar redrawn in place, anything else throttled lines. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Runs the command; exit code 0 converged, 1 not converged (bad input throws a GridError). */
export async function runAdmmCommand(
  scenarioArg: string,
  options: AdmmCommandOptions,
  write: (text: string) => unknown = (text) => process.stdout.write(text),
  progressStream: ProgressStream = process.stderr,
): Promise<number> {
  if (options.adaptive && options.fixed) throw new GridError('--adaptive and --fixed exclude each other', { field: '--fixed', fix: ['pass at most one of them'] });
  const rho = positiveNumberFlag(options.rho, '--rho', 30);
  const workers = wholeNumberFlag(options.workers, '--workers', { min: 0, max: 1024, example: 2 });
  const maxIterations = wholeNumberFlag(options.maxIter, '--max-iter', { min: 1, example: 500 });
  const seed = wholeNumberFlag(options.seed, '--seed', { min: 0, max: maxSeed, example: 1 });
  const stopping = boydStoppingFlags(options.epsAbs, options.epsRel);
  const initialPoint = startFlag(options.start);
  if (initialPoint && options.paper) throw new GridError('--paper starts flat without dual offsets', { field: '--start', fix: ['leave out --start, or --paper'] });
  if (stopping && options.paper) throw new GridError('--paper sets its own fixed tolerances', { field: '--eps-rel', fix: ['leave out --eps-abs/--eps-rel, or --paper'] });
  const scenario = loadScenario(caseArgument(scenarioArg, 'SCENARIO'), seed === undefined ? {} : { seed });
  // Checked (and created) before the iterations: a bad --out must not cost the run.
  const out = options.out === undefined ? undefined : outputFolder(options.out);
  const central = options.compare === false ? null : solveCentralOpf(scenario);
  const progress = progressPrinter(progressStream);
  const base: AdmmOptions = options.paper ? paperAdmmSettings : {};
  const result = await runAdmmParallel(scenario, {
    ...base,
    ...(rho !== undefined ? { rho } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(maxIterations !== undefined ? { maxIterations } : {}),
    ...(stopping ? { stopping } : {}),
    ...(initialPoint ? { initialPoint } : {}),
    ...(options.adaptive ? { adaptive: true } : options.fixed ? { adaptive: false } : {}),
    onIteration: progress.update,
  });
  progress.done();
  const comparison = central ? compareWithCentral(result.schedule, central.schedule) : null;
  const warning = result.status === 'converged' && comparison ? centralGapWarning(comparison) : null;
  if (warning) progressStream.write(`${warning}\n`);
  if (out !== undefined) writeOutputs(out, result, central?.schedule.totalCost ?? null);
  const summary = {
    scenario: scenario.name,
    status: result.status,
    iterations: result.iterations,
    totalCost: result.schedule.totalCost,
    ...(central && comparison ? {
      centralCost: central.schedule.totalCost,
      costGapPercent: 100 * comparison.costGapRelative,
      maxDlmpDiffPercent: 100 * comparison.maxPriceDiffRelative,
      maxSetpointDiff: comparison.maxSetpointDiff,
    } : {}),
    primalResidual: result.schedule.solver.primalResidual,
    dualResidual: result.schedule.solver.dualResidual,
    finalRho: result.state.rho,
    workers: result.workers,
    msPerIteration: result.schedule.solver.timings.solveMs / Math.max(1, result.iterations),
    ...(out !== undefined ? { out } : {}),
  };
  if (options.json) {
    write(`${JSON.stringify(summary)}\n`);
  } else {
    write([
      `scenario     ${summary.scenario}`,
      `status       ${summary.status} after ${summary.iterations} iterations (${summary.workers === 0 ? 'this thread' : `${summary.workers} workers`})`,
      `total cost   ${summary.totalCost.toFixed(4)}${central ? `  (central OPF ${central.schedule.totalCost.toFixed(4)})` : ''}`,
      ...(comparison ? [`vs central   cost ${formatPercent(comparison.costGapRelative)}, largest DLMP difference ${(100 * comparison.maxPriceDiffRelative).toFixed(3)} %`] : []),
      `residuals    primal ${summary.primalResidual.toExponential(2)}, dual ${summary.dualResidual.toExponential(2)}, final rho ${summary.finalRho}`,
      `time         ${summary.msPerIteration.toFixed(1)} ms per iteration`,
      ...(out !== undefined ? [`written      ${join(out, 'schedule.json')}, convergence.csv, convergence.svg`] : []),
    ].join('\n') + '\n');
  }
  return result.status === 'converged' ? 0 : 1;
}

function formatPercent(relative: number): string {
  return `${relative >= 0 ? '+' : ''}${(100 * relative).toFixed(4)} %`;
}


/** schedule.json goes last, each file via a temporary name: a failed write never leaves a complete-looking schedule. */
function writeOutputs(dir: string, result: AdmmResult, centralCost: number | null): void {
  const files: Array<[string, string]> = [
    ['convergence.csv', convergenceCsv(result.trace)],
    ['convergence.svg', convergenceSvg(result.trace, centralCost)],
    ['schedule.json', `${JSON.stringify(result.schedule, null, 2)}\n`],
  ];
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of files) {
      const path = join(dir, name);
      writeFileSync(`${path}.partial`, text);
      renameSync(`${path}.partial`, path);
    }
  } catch (cause) {
    throw new GridError(`cannot write the outputs into '${dir}'`, { field: '--out', fix: ['choose a folder you can write to'], cause });
  }
}

export function convergenceCsv(trace: readonly AdmmIterationInfo[]): string {
  const header = 'iteration,primalResidual,epsPri,dualResidual,epsDual,rho,cost,ms';
  const rows = trace.map((i) => [i.iteration, i.primalResidual, i.epsPri, i.dualResidual, i.epsDual, i.rho, i.cost, i.ms.toFixed(3)].join(','));
  return `${[header, ...rows].join('\n')}\n`;
}

/**
 * Two stacked charts in one SVG: residuals and their thresholds on a log axis, then the
 * absolute cost gap to the central OPF in percent on a log axis (or the cost itself when no
 * central cost is given).
 */
export function convergenceSvg(trace: readonly AdmmIterationInfo[], centralCost: number | null = null): string {
  const x = trace.map((i) => i.iteration);
  const width = 760;
  const residuals = renderLineChart({
    title: 'Consensus ADMM convergence: residuals',
    xLabel: 'iteration',
    yLabel: 'residual',
    x,
    width,
    logY: true,
    series: [
      { label: 'primal residual r', values: trace.map((i) => i.primalResidual) },
      { label: 'dual residual s', values: trace.map((i) => i.dualResidual) },
      { label: 'eps pri', values: trace.map((i) => i.epsPri), dashed: true },
      { label: 'eps dual', values: trace.map((i) => i.epsDual), dashed: true },
    ],
  });
  const cost = centralCost !== null && centralCost !== 0
    ? renderLineChart({
      title: 'Cost gap to the central OPF',
      xLabel: 'iteration',
      yLabel: '|cost − central| / central',
      yUnit: '%',
      x,
      width,
      logY: true,
      series: [{ label: 'cost gap', values: trace.map((i) => (100 * Math.abs(i.cost - centralCost)) / Math.abs(centralCost)) }],
      referenceLines: [{ label: 'target 0.01 %', value: 0.01 }],
    })
    : renderLineChart({
      title: 'Sum of the buses\' own costs', xLabel: 'iteration', yLabel: 'cost', x, width,
      series: [{ label: 'cost', values: trace.map((i) => i.cost) }],
    });
  return stackSvgs([residuals, cost]);
}

/** Stacks standalone SVG documents vertically inside one outer document (nested <svg> elements). */
function stackSvgs(documents: readonly string[]): string {
  let y = 0;
  let width = 0;
  const placed = documents.map((doc) => {
    const open = /^<svg\b[^>]*>/.exec(doc);
    const w = Number(/\swidth="([\d.]+)"/.exec(open?.[0] ?? '')?.[1] ?? 0);
    const h = Number(/\sheight="([\d.]+)"/.exec(open?.[0] ?? '')?.[1] ?? 0);
    const inner = doc.replace(/^<svg\b/, `<svg x="0" y="${y}"`);
    y += h;
    width = Math.max(width, w);
    return inner;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${y}" width="${width}" height="${y}" role="img" aria-label="Consensus ADMM convergence">${placed.join('')}</svg>\n`;
}

/** A one-line bar redrawn in place on a TTY; otherwise one plain line every `every` iterations (and the last). */
function progressPrinter(stream: ProgressStream, every = 25): { update: (info: AdmmIterationInfo) => void; done: () => void } {
  const tty = stream.isTTY === true;
  let last: AdmmIterationInfo | null = null;
  const line = (i: AdmmIterationInfo) =>
    `iteration ${String(i.iteration).padStart(4)}  r ${i.primalResidual.toExponential(2)} / ${i.epsPri.toExponential(2)}  s ${i.dualResidual.toExponential(2)} / ${i.epsDual.toExponential(2)}  rho ${i.rho.toPrecision(4)}  cost ${i.cost.toFixed(2)}`;
  return {
    update(i) {
      last = i;
      if (tty) {
        const closeness = Math.min(1, Math.max(0, 1 - Math.log10(Math.max(i.primalResidual / i.epsPri, 1)) / 4));
        const width = 20;
        const filled = Math.round(closeness * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line(i)}`);
      } else if (i.iteration % every === 0) {
        stream.write(`${line(i)}\n`);
      }
    },
    done() {
      if (tty) stream.write('\n');
      else if (last && last.iteration % every !== 0) stream.write(`${line(last)}\n`);
    },
  };
}
