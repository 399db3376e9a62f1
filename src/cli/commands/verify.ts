import type { CAC } from 'cac';
import { GridError } from '../../core/errors.js';
import { maxSeed } from '../../core/random.js';
import { addressFlag, admmOptionsFlag, caseArgument, rpcUrlFlag, wholeNumberFlag } from '../flags.js';
import { describeLocation, formatCheck, verifyDay, type VerifyCheck } from '../../pipeline/verifyDay.js';

export interface VerifyCommandOptions {
  rpcUrl?: string;
  coordinator?: string;
  case?: string;
  billing?: string;
  json?: boolean;
  seed?: number | string;
  fromBlock?: number | string;
  /** The run's ADMM options as JSON (the dual warm start and local settings the DLMP check needs). */
  admmOptions?: string;
  /** false skips recovering every bus signature (faster on long runs). */
  signatures?: boolean;
}

/** `gridconsensus verify`: re-derive a day on chain from chain data and the public case. */
export function registerVerifyCommand(cli: CAC): void {
  cli
    .command('verify', 'Independently verify a day on chain: every coordinator step, convergence, the schedule against the network, the bills')
    .option('--rpc-url <url>', 'JSON-RPC URL of an Ethereum node holding the day')
    .option('--coordinator <address>', 'Address of the AdmmCoordinator (S1) of the day')
    .option('--case <file>', 'The public case file (or a built-in name such as sce56-paper) the day was run on')
    .option('--billing <address>', 'Address of the Billing contract (S2) to check the bills of')
    .option('--seed <seed>', 'Seed of a built-in "-paper" scenario')
    .option('--from-block <n>', 'First block to read events from (default 0)')
    .option('--admm-options <json>', 'ADMM options of the run as JSON, when not the defaults (weights, warm start, local settings)')
    .option('--no-signatures', 'Do not recover every bus signature (faster on long runs)')
    .option('--json', 'Print one JSON object instead of one line per check')
    .example('gridconsensus verify --rpc-url http://127.0.0.1:8545 --coordinator 0x5FbDB2315678afecb367f032d93F642f64180aa3 --case day.json')
    .action((options: VerifyCommandOptions) => runVerifyCommand(options, (s) => process.stdout.write(s)));
}

/** Runs the command; returns 0 when every check passes, 1 on the first discrepancy. */
export async function runVerifyCommand(options: VerifyCommandOptions, print: (text: string) => void): Promise<number> {
  const rpcUrl = rpcUrlFlag(options.rpcUrl);
  if (!options.case) throw new GridError('is required', { field: '--case', fix: ['pass the case file the day was run on, e.g. --case day.json or --case sce56-paper'] });
  const caseOrScenario = caseArgument(options.case, '--case');
  const coordinator = addressFlag(options.coordinator, '--coordinator', true)!;
  const billing = addressFlag(options.billing, '--billing', false);
  const seed = wholeNumberFlag(options.seed, '--seed', { min: 0, max: maxSeed, example: 1 });
  const fromBlockNumber = wholeNumberFlag(options.fromBlock, '--from-block', { min: 0, example: 0 });
  const fromBlock = fromBlockNumber === undefined ? undefined : BigInt(fromBlockNumber);
  const admm = admmOptionsFlag(options.admmOptions);
  const result = await verifyDay({
    rpcUrl, coordinator, caseOrScenario,
    ...(billing ? { billing } : {}), ...(seed === undefined ? {} : { seed }), ...(fromBlock === undefined ? {} : { fromBlock }), ...(admm ? { admm } : {}),
    checkSignatures: options.signatures !== false,
    ...(options.json ? {} : { onCheck: (c: VerifyCheck) => print(`${formatCheck(c)}\n`) }),
  });
  if (options.json) {
    print(`${JSON.stringify({ ok: result.ok, iterations: result.iterations, stateHash: result.stateHash, firstFailure: result.firstFailure, checks: result.checks })}\n`);
  } else if (result.firstFailure) {
    const where = describeLocation(result.firstFailure.at);
    print(`\nFAILED: ${result.firstFailure.title}${where ? ` at ${where}` : ''}: ${result.firstFailure.detail}\n`);
  } else {
    print(`\nverified: ${result.iterations} iterations, final state ${result.stateHash}\n`);
  }
  return result.ok ? 0 : 1;
}
