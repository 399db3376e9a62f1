/**
 * `gridconsensus agent --bus N ...`: one bus agent on its own (its own process, possibly on
 * another machine): reads the coordinator from the node, solves its bus's subproblem each
 * iteration and hands its signed vector to the batch poster's inbox. Restart it after a crash
 * with the same arguments: it resumes from chain state.
 */
import type { CAC } from 'cac';
import type { Hex } from 'viem';
import { GridError } from '../../core/errors.js';
import { loadScenario } from '../../scenario/io.js';
import { addressFlag, admmOptionsFlag, caseArgument, positiveNumberFlag, rpcUrlFlag, wholeNumberFlag } from '../flags.js';
import { maxSeed } from '../../core/random.js';
import { buildCouplingLayout } from '../../model/coupling/couplingLayout.js';
import type { ConicSolverFactory } from '../../model/problems/busSubproblemSolver.js';
import type { AdmmOptions } from '../../solve/admm/admmOptions.js';
import { defaultSolverModule } from '../../solve/admm/runAdmm.js';
import { testMnemonic } from '../../chain/testMnemonic.js';
import { accountIndex, type AgentKey } from '../../agents/agentKeys.js';
import { runBusAgent } from '../../agents/busAgent.js';
import { defaultStallTimeoutSeconds } from '../../agents/iterationFeed.js';
import { admmSetup, privateScenarioView } from '../../agents/busAgentSettings.js';
import { httpOutbox } from '../../agents/vectorInbox.js';

export interface AgentCommandOptions {
  bus?: number | string;
  rpcUrl?: string;
  coordinator?: string;
  key?: string;
  mnemonic?: string;
  accountIndex?: number | string;
  scenario?: string;
  seed?: number | string;
  inbox?: string;
  maxIter?: number | string;
  stallTimeout?: number | string;
  admmOptions?: string;
  quiet?: boolean;
}

export function registerAgentCommand(cli: CAC): void {
  cli
    .command('agent', 'Run one bus agent against a coordinator on chain (resumes from chain state after a crash)')
    .option('--bus <n>', 'Bus index (0 = substation)')
    .option('--rpc-url <url>', 'Ethereum JSON-RPC node')
    .option('--coordinator <address>', 'The AdmmCoordinator (S1) of the run')
    .option('--key <hex>', 'The bus\'s private key (0x + 64 hex digits)')
    .option('--mnemonic <words>', 'Derive the key from this mnemonic instead (see --account-index)')
    .option('--account-index <n>', 'Account index for --mnemonic (default: bus + 1, the local-run convention)')
    .option('--scenario <file>', 'The scenario (built-in name or case file); only this bus\'s devices are used')
    .option('--seed <n>', 'Seed of a built-in paper scenario (default 1)')
    .option('--inbox <url>', 'The batch poster\'s inbox (printed by gridconsensus run)')
    .option('--max-iter <n>', 'Stop when the coordinator reaches this iteration unconverged')
    .option('--stall-timeout <s>', `Stop with an error (exit 75) after this many seconds without a new iteration or any transaction to the coordinator, e.g. when the run's poster is gone; restart to resume (default ${defaultStallTimeoutSeconds})`)
    .option('--admm-options <json>', 'ADMM options of the run as JSON (weights, warm start, solver settings)')
    .option('--quiet', 'No progress lines')
    .example('gridconsensus agent --bus 3 --rpc-url http://127.0.0.1:8545 --coordinator 0x... --mnemonic "test test ... junk" --scenario sce56-paper --inbox http://127.0.0.1:40123')
    .action((options: AgentCommandOptions) => runAgentCommand(options));
}

export async function runAgentCommand(options: AgentCommandOptions): Promise<number> {
  const need = (value: string | number | undefined, field: string, fix: string) => {
    if (value === undefined || value === '') throw new GridError(`${field} is required`, { field, fix: [fix] });
    return String(value);
  };
  const bus = wholeNumberFlag(need(options.bus, '--bus', 'give the bus index, e.g. --bus 3'), '--bus', { min: 0, example: 3 })!;
  const rpcUrl = rpcUrlFlag(options.rpcUrl);
  const coordinator = addressFlag(options.coordinator === undefined ? undefined : String(options.coordinator), '--coordinator', true)!;
  const inbox = need(options.inbox, '--inbox', 'give the inbox URL the run printed');
  const scenarioArg = need(options.scenario, '--scenario', 'give the scenario the run uses (built-in name or case file)');
  if (options.key && options.mnemonic) throw new GridError('--key and --mnemonic exclude each other', { field: '--key', fix: ['pass one of them'] });
  const key: AgentKey = options.key
    ? { privateKey: options.key as Hex }
    : { mnemonic: options.mnemonic ?? testMnemonic, index: wholeNumberFlag(options.accountIndex, '--account-index', { min: 0, example: 4 }) ?? accountIndex.bus(bus) };
  const stallSeconds = positiveNumberFlag(options.stallTimeout, '--stall-timeout', defaultStallTimeoutSeconds);
  const admm: AdmmOptions = admmOptionsFlag(options.admmOptions) ?? {};
  const scenario = loadScenario(caseArgument(scenarioArg, '--scenario'), { seed: wholeNumberFlag(options.seed, '--seed', { min: 0, max: maxSeed, example: 1 }) ?? 1 });
  if (bus >= scenario.buses.length) throw new GridError(`bus ${bus} is not in the scenario (${scenario.buses.length} buses)`, { field: '--bus', fix: [`use 0 .. ${scenario.buses.length - 1}`] });
  const layout = buildCouplingLayout(scenario.buses.map((b) => b.parent), scenario.periods);
  // Scale and warm start are computed from public data; then only this bus's devices are kept.
  const settings = admmSetup(scenario, layout, admm).settings[bus]!;
  const { createConicSolver } = (await import(defaultSolverModule)) as { createConicSolver: ConicSolverFactory };
  const result = await runBusAgent({
    bus, key, rpcUrl, coordinator, scenario: privateScenarioView(scenario, bus), settings,
    outbox: httpOutbox(inbox), createSolver: createConicSolver,
    ...(stallSeconds === undefined ? {} : { stallTimeoutMs: stallSeconds * 1000 }),
    ...(options.maxIter === undefined ? {} : { maxIterations: wholeNumberFlag(options.maxIter, '--max-iter', { min: 1, example: 500 })! }),
    ...(options.quiet ? {} : { onSolved: (i: { iteration: bigint; ms: number }) => process.stderr.write(`bus ${bus}: iteration ${i.iteration} solved in ${i.ms.toFixed(1)} ms\n`) }),
  });
  if (!options.quiet) process.stderr.write(`bus ${bus}: stopped at iteration ${result.iteration} (${result.converged ? 'converged' : 'iteration cap'}), ${result.solved} solves\n`);
  return 0;
}
