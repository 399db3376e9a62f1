import type { CAC } from 'cac';
import { isAddress, type Address } from 'viem';
import { GridError } from '../../core/errors.js';
import { loadScenario } from '../../scenario/io.js';
import { startDashboard, type Dashboard } from '../../dashboard/startDashboard.js';
import { rawFlagValue } from './verify.js';

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
      const dashboard = await openDashboard({
        ...options,
        coordinator: rawFlagValue(cli.rawArgs, '--coordinator') ?? (options.coordinator === undefined ? undefined : String(options.coordinator)),
        billing: rawFlagValue(cli.rawArgs, '--billing') ?? (options.billing === undefined ? undefined : String(options.billing)),
      });
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
  if (!options.rpcUrl) throw new GridError('--rpc-url is required', { field: '--rpc-url', fix: ['pass the node URL, e.g. --rpc-url http://127.0.0.1:8545'] });
  const check = (value: string | undefined, flag: string) => {
    if (value !== undefined && !isAddress(value, { strict: false })) throw new GridError(`${flag} '${value}' is not an address`, { field: flag, fix: ['give 0x followed by 40 hex digits'] });
    return value as Address | undefined;
  };
  const coordinator = check(options.coordinator, '--coordinator');
  if (!coordinator) throw new GridError('--coordinator is required', { field: '--coordinator', fix: ['pass the AdmmCoordinator address printed by run'] });
  const billing = check(options.billing, '--billing');
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new GridError(`--port must be 0-65535, got '${String(options.port)}'`, { field: '--port', fix: ['pass e.g. --port 8080'] });
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  const busNames = options.case ? loadScenario(options.case, seed === undefined ? {} : { seed }).buses.map((b) => b.id) : undefined;
  return startDashboard({ rpcUrl: options.rpcUrl, coordinator, port, ...(billing ? { billing } : {}), ...(busNames ? { busNames } : {}) });
}
