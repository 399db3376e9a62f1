/**
 * `gridconsensus run [SCENARIO|CASE]`: the day on chain end to end (src/pipeline/runDay.ts),
 * with a progress display on stderr and the report in --out (default ./out).
 */
import { resolve } from 'node:path';
import type { CAC } from 'cac';
import { maxSeed } from '../../core/random.js';
import { GridError } from '../../core/errors.js';
import { loadScenario } from '../../scenario/io.js';
import { addressFlag, boydStoppingFlags, caseArgument, decimalNumberFlag, outputFolder, positiveNumberFlag, rpcUrlFlag, wholeNumberFlag } from '../flags.js';
import type { AdmmOptions } from '../../solve/admm/admmOptions.js';
import { writeOutputFiles } from '../../schedule/io.js';
import { dayReportFiles } from '../../pipeline/dayReport.js';
import { runDay, type DayRunResult, type RunProgress } from '../../pipeline/runDay.js';
import { defaultStallTimeoutSeconds } from '../../agents/iterationFeed.js';
import { centralGapWarning } from '../centralGapWarning.js';
import { startDashboard, type Dashboard } from '../../dashboard/startDashboard.js';

export interface RunCommandOptions {
  rpcUrl?: string;
  processes?: boolean;
  externalAgents?: boolean;
  workers?: number | string;
  out?: string;
  json?: boolean;
  deviation?: number | string;
  seed?: number | string;
  maxIter?: number | string;
  rho?: number | string;
  epsAbs?: number | string;
  epsRel?: number | string;
  resume?: boolean;
  coordinator?: string;
  billing?: string;
  mnemonic?: string;
  stallTimeout?: number | string;
  central?: boolean;
  /** Serve the live dashboard during the run: `true` (a free port) or the port. */
  dashboard?: boolean | number | string;
}

export function registerRunCommand(cli: CAC): void {
  cli
    .command('run [scenario]', 'Schedule and settle the day on chain: bus agents, the ADMM coordinator contract, meter agents, report')
    .option('--rpc-url <url>', 'Attach to this Ethereum JSON-RPC node (default: start the embedded Anvil)')
    .option('--processes', 'Run every bus agent as its own OS process (default: worker threads)')
    .option('--external-agents', 'Start no agents: print where agents elsewhere connect (gridconsensus agent ...) and wait for them')
    .option('--workers <n>', 'Worker threads for the bus agents (default: available cores)')
    .option('--out <dir>', 'Report folder (default ./out)')
    .option('--json', 'Print one JSON summary on stdout')
    .option('--deviation <f>', 'Meter deviation bound, relative (default 0.02 = ±2 %)')
    .option('--seed <n>', 'Seed of the built-in paper scenario and of the meter deviations (default 1)')
    .option('--max-iter <n>', 'ADMM iteration cap (default 1000)')
    .option('--rho <rho>', 'ADMM rho, currency per p.u.² (default 30·baseMVA², i.e. 30 per MW²)')
    .option('--eps-abs <e>', 'ADMM absolute tolerance (Boyd stopping, per unit; default from docs/admm.md)')
    .option('--eps-rel <e>', 'ADMM relative tolerance (default from docs/admm.md)')
    .option('--resume', 'Continue a crashed run of --coordinator from chain state (needs --rpc-url)')
    .option('--coordinator <address>', 'The AdmmCoordinator to resume')
    .option('--billing <address>', 'The Billing contract of the run to resume (default: the one its day is bound to, else the one its operator deployed after the coordinator, else a new one)')
    .option('--mnemonic <words>', 'Mnemonic the operator, bus and meter keys derive from (default: Anvil\'s test mnemonic)')
    .option('--stall-timeout <s>', `Stop with an error (exit 75) after this many seconds in which a bus agent sees no new iteration or transaction to the coordinator, or the poster receives no vector (default ${defaultStallTimeoutSeconds})`)
    .option('--no-central', 'Skip the central OPF comparison')
    .option('--dashboard [port]', 'Serve the live dashboard on 127.0.0.1 while the day runs (default port: a free one)')
    .example('gridconsensus run sce56-paper --max-iter 300')
    .example('gridconsensus run my-case.json --processes --out out/day1')
    .action((scenario: string | undefined, options: RunCommandOptions) => runRunCommand(scenario ?? 'sce56-paper', options));
}

export async function runRunCommand(scenarioArg: string, options: RunCommandOptions, print: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const seed = wholeNumberFlag(options.seed, '--seed', { min: 0, max: maxSeed, example: 1 }) ?? 1;
  const workers = wholeNumberFlag(options.workers, '--workers', { min: 1, example: 2 });
  const maxIterations = wholeNumberFlag(options.maxIter, '--max-iter', { min: 1, example: 500 });
  if (options.rpcUrl !== undefined) rpcUrlFlag(options.rpcUrl);
  const deviation = decimalNumberFlag(options.deviation, '--deviation', { min: 0, max: 1, example: '0.02 (±2 %)' });
  const rho = positiveNumberFlag(options.rho, '--rho', 30);
  const admm: AdmmOptions = { ...(rho !== undefined ? { rho } : {}) };
  const stopping = boydStoppingFlags(options.epsAbs, options.epsRel);
  if (stopping) admm.stopping = stopping;
  if (options.processes && options.externalAgents) throw new GridError('--processes and --external-agents exclude each other', { field: '--external-agents', fix: ['pass one of them'] });
  if (options.resume && (!options.rpcUrl || !options.coordinator)) {
    throw new GridError('--resume continues a run on a node that is still running', { field: '--resume', fix: ['pass --rpc-url URL --coordinator ADDRESS of the crashed run'] });
  }
  const stallSeconds = positiveNumberFlag(options.stallTimeout, '--stall-timeout', defaultStallTimeoutSeconds);
  const dashboardPort = dashboardPortOf(options.dashboard);
  const out = resolve(outputFolder(options.out ?? 'out'));
  const scenario = loadScenario(caseArgument(scenarioArg, 'SCENARIO'), { seed });
  const progress = progressDisplay(process.stderr, scenario.buses.length);
  let result: DayRunResult;
  let dashboard: Dashboard | null = null;
  try {
    result = await runDay({
      scenario, scenarioSource: scenarioArg, scenarioSeed: seed,
      ...(options.rpcUrl ? { rpcUrl: options.rpcUrl } : {}),
      agents: options.processes ? 'processes' : options.externalAgents ? 'external' : 'threads',
      ...(workers !== undefined ? { workers } : {}),
      ...(maxIterations !== undefined ? { maxIterations } : {}),
      admm,
      ...(deviation !== undefined ? { deviation } : {}),
      seed,
      ...(options.mnemonic ? { mnemonic: options.mnemonic } : {}),
      ...(stallSeconds === undefined ? {} : { stallTimeoutMs: stallSeconds * 1000 }),
      ...(options.resume ? { resume: { coordinator: addressFlag(options.coordinator, '--coordinator', true)!, ...(options.billing ? { billing: addressFlag(options.billing, '--billing', true)! } : {}) } } : {}),
      central: options.central !== false,
      onProgress: (p) => {
        progress.update(p);
        // The poster's inbox count: vectors signed but not yet on chain (docs/dashboard.md).
        if (p.agentsReported !== undefined) dashboard?.publishProgress({ agentsReported: p.agentsReported, ...(p.iteration === undefined ? {} : { iteration: p.iteration }) });
      },
      onReady: async (e) => {
        progress.note(`coordinator ${e.coordinator} (S2 ${e.billing}) on ${e.rpcUrl}, inbox ${e.inboxUrl}`);
        if (dashboardPort !== null) {
          dashboard = await startDashboard({
            rpcUrl: e.rpcUrl, coordinator: e.coordinator, billing: e.billing, fromBlock: e.deployBlock, port: dashboardPort, busNames: scenario.buses.map((b) => b.id),
          });
          progress.note(`dashboard: ${dashboard.url}`);
        }
        if (options.externalAgents) {
          progress.note(`waiting for agents: gridconsensus agent --bus N --rpc-url ${e.rpcUrl} --coordinator ${e.coordinator} --inbox ${e.inboxUrl} --mnemonic "${e.mnemonic}" --account-index N+1 --scenario ${scenarioArg}${stallSeconds === undefined ? '' : ` --stall-timeout ${stallSeconds}`}`);
        }
      },
    });
  } finally {
    progress.done();
    // Closed with the run: an embedded node stops now, so the page would only show the node error.
    await (dashboard as Dashboard | null)?.close();
  }
  // As admm does: the contract's stopping rule can hold while the schedule is still off the optimum.
  const warning = result.status === 'converged' && result.central ? centralGapWarning(result.central.comparison) : null;
  if (warning) process.stderr.write(`${warning}\n`);
  const files = dayReportFiles(scenario, result);
  writeOutputFiles(out, files);
  const summary = {
    scenario: scenario.name,
    status: result.status,
    iterations: result.iterations,
    wallSeconds: result.timings.wallMs / 1000,
    admmSeconds: result.timings.admmMs / 1000,
    gasPerIteration: result.trace.length ? Number(result.gas.iterations) / result.trace.length : 0,
    gasTotal: Number(result.gas.setup + result.gas.iterations + result.gas.finalize + result.gas.settlement),
    totalCost: result.schedule?.totalCost ?? null,
    centralCost: result.central?.totalCost ?? null,
    costGapRelative: result.central?.comparison.costGapRelative ?? null,
    maxDlmpDiffRelative: result.central?.comparison.maxPriceDiffRelative ?? null,
    moneyConserved: result.settlement?.moneyConserved ?? null,
    coordinator: result.endpoints.coordinator,
    billing: result.endpoints.billing,
    out,
  };
  if (options.json) {
    print(`${JSON.stringify(summary)}\n`);
  } else {
    const gap = summary.costGapRelative === null ? 'n/a' : `${(summary.costGapRelative * 100).toFixed(4)} % (${summary.totalCost!.toFixed(4)} vs central ${summary.centralCost!.toFixed(4)})`;
    print([
      `scenario      ${summary.scenario} (${scenario.buses.length} buses, ${scenario.periods} periods)`,
      `status        ${summary.status} after ${summary.iterations} iterations${result.status === 'converged' ? '' : ' (cap reached: nothing committed or settled)'}`,
      `wall time     ${summary.wallSeconds.toFixed(1)} s (ADMM on chain ${summary.admmSeconds.toFixed(1)} s, ${result.agentMode}${result.workers ? ` on ${result.workers} workers` : ''})`,
      `gas           ${result.trace.length ? `${Math.round(summary.gasPerIteration).toLocaleString('en-US')} per iteration` : 'no iteration posted by this run'}, ${summary.gasTotal.toLocaleString('en-US')} in all`,
      `cost gap      ${gap}`,
      `money         ${summary.moneyConserved === null ? 'not settled' : summary.moneyConserved ? 'conserved (bills + surplus = 0, every bill equals the reference model)' : 'NOT conserved'}`,
      `contracts     S1 ${summary.coordinator}, S2 ${summary.billing}${result.embeddedNode ? ' (embedded Anvil, stopped)' : ''}`,
      `report        ${out}/report.html (summary.md, schedule.json, run.json)`,
    ].join('\n') + '\n');
  }
  return result.status === 'converged' && summary.moneyConserved !== false ? 0 : 1;
}

/**
 * Progress on stderr: one rewritten line on a TTY, otherwise a plain line at most every 2 s
 * (and at each phase change).
 */
export function progressDisplay(stream: NodeJS.WriteStream, busCount: number): { update: (p: RunProgress) => void; note: (s: string) => void; done: () => void } {
  const tty = stream.isTTY === true;
  let lastPhase = '';
  let lastPrint = 0;
  let open = false;
  const write = (line: string, force: boolean) => {
    const now = Date.now();
    if (tty) {
      const width = stream.columns && stream.columns > 20 ? stream.columns - 1 : line.length;
      stream.write(`\r\x1b[2K${line.slice(0, width)}`);
      open = true;
    } else if (force || now - lastPrint >= 2000) {
      stream.write(`${line}\n`);
      lastPrint = now;
    }
  };
  const end = () => { if (open) { stream.write('\n'); open = false; } };
  return {
    update(p) {
      const phaseChanged = p.phase !== lastPhase;
      lastPhase = p.phase;
      if (p.phase === 'iterate') {
        const parts = [`iteration ${p.iteration ?? 0}`];
        if (p.primalResidual !== undefined) parts.push(`r ${p.primalResidual.toExponential(2)}`, `s ${p.dualResidual!.toExponential(2)}`);
        parts.push(`gas ${(Number(p.gasUsed ?? 0n) / 1e6).toFixed(1)} M`, `agents ${p.agentsReported ?? 0}/${p.busCount ?? busCount}`);
        write(parts.join('  '), phaseChanged);
      } else if (p.phase !== 'done') {
        end();
        write(`${p.phase}: ${p.message ?? ''}`, true);
        end();
      }
    },
    note(s) { end(); stream.write(`${s}\n`); },
    done: end,
  };
}

/** `--dashboard` alone: a free port (0); `--dashboard 8080`: that port; absent: no dashboard. */
function dashboardPortOf(value: boolean | number | string | undefined): number | null {
  if (value === undefined || value === false) return null;
  if (value === true) return 0;
  return wholeNumberFlag(value, '--dashboard', { min: 0, max: 65535, example: 8080 })!;
}
