import type { CAC } from 'cac';
import { createPublicClient, http, type Address } from 'viem';
import { GridError } from '../../core/errors.js';
import { maxSeed } from '../../core/random.js';
import { addressFlag, caseArgument, rpcUrlFlag, wholeNumberFlag } from '../flags.js';
import { loadScenario } from '../../scenario/io.js';
import { startDashboard, type Dashboard } from '../../dashboard/startDashboard.js';

export interface DashboardCommandOptions {
  rpcUrl?: string;
  coordinator?: string;
  billing?: string;
  port?: number | string;
  case?: string;
  seed?: number | string;
}

/** `gridconsensus dashboard`: serve the live page of a coordinator's day until interrupted. */
export function registerDashboardCommand(cli: CAC): void {
  cli
    .command('dashboard', 'Serve a live web page of a day on chain: iterations, residuals, rho, gas, agents, DLMPs and bills')
    .option('--rpc-url <url>', 'JSON-RPC URL of the node running the day')
    .option('--coordinator <address>', 'Address of the AdmmCoordinator (S1)')
    .option('--billing <address>', 'Address of the Billing contract (S2), to show the bills')
    .option('--port <port>', 'Port on 127.0.0.1 (default: a free one)')
    .option('--case <file>', 'The case file, to show bus names')
    .option('--seed <seed>', 'Seed of a built-in "-paper" scenario')
    .example('gridconsensus dashboard --rpc-url http://127.0.0.1:8545 --coordinator 0x5FbDB2315678afecb367f032d93F642f64180aa3 --port 8080')
    .action(async (options: DashboardCommandOptions) => {
      const dashboard = await openDashboard(options);
      process.stdout.write(`dashboard: ${dashboard.url} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await dashboard.close();
      return 0;
    });
}

/** Validates the options and starts the dashboard. */
export async function openDashboard(options: DashboardCommandOptions): Promise<Dashboard> {
  const rpcUrl = rpcUrlFlag(options.rpcUrl);
  const coordinator = addressFlag(options.coordinator, '--coordinator', true)!;
  const billing = addressFlag(options.billing, '--billing', false);
  const port = wholeNumberFlag(options.port, '--port', { min: 0, max: 65535, example: 8080 }) ?? 0;
  const seed = wholeNumberFlag(options.seed, '--seed', { min: 0, max: maxSeed, example: 1 });
  const busNames = options.case ? loadScenario(caseArgument(options.case, '--case'), seed === undefined ? {} : { seed }).buses.map((b) => b.id) : undefined;
  await expectCoordinator(rpcUrl, coordinator);
  return startDashboard({ rpcUrl, coordinator, port, ...(billing ? { billing } : {}), ...(busNames ? { busNames } : {}) });
}

/**
 * Fails when no node answers (exit 69, like verify) or no contract is at --coordinator (exit 2):
 * otherwise the page would serve errors until interrupted.
 */
async function expectCoordinator(rpcUrl: string, coordinator: Address): Promise<void> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 5_000 }) });
  let code: string | undefined;
  try {
    await client.getChainId();
    code = await client.getCode({ address: coordinator });
  } catch (cause) {
    throw new GridError(`cannot reach an Ethereum node at ${rpcUrl}`, { field: '--rpc-url', fix: ['start the node or give its JSON-RPC URL'], cause, exitCode: 69 });
  }
  if (!code || code === '0x') {
    throw new GridError(`there is no contract at ${coordinator} on ${rpcUrl}`, { field: '--coordinator', fix: ['give the AdmmCoordinator address printed by run, on the node the run used'] });
  }
}
