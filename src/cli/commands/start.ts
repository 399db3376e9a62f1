/**
 * `gridconsensus start` (what `npm start` runs): `run` on the built-in paper scenario with the
 * embedded Anvil, report in ./out, short summary on stdout.
 */
import type { CAC } from 'cac';
import { runRunCommand } from './run.js';

export function registerStartCommand(cli: CAC): void {
  cli
    .command('start', 'The main job: run the day on chain for the built-in SCE-56 paper scenario (report in ./out)')
    .option('--max-iter <n>', 'ADMM iteration cap (default 1000)')
    .option('--out <dir>', 'Report folder (default ./out)')
    .option('--dashboard [port]', 'Serve the live dashboard on 127.0.0.1 while the day runs (default port: a free one)')
    .action((options: { maxIter?: string; out?: string; dashboard?: boolean | number | string }) => runRunCommand('sce56-paper', {
      ...(options.maxIter ? { maxIter: options.maxIter } : {}), ...(options.out ? { out: options.out } : {}),
      ...(options.dashboard !== undefined ? { dashboard: options.dashboard } : {}),
    }));
}
