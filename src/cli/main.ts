#!/usr/bin/env node
/**
 * The gridconsensus command line: argv → command → exit code. The only place that prints
 * errors and calls process.exit. GridErrors render as their message and fix lines; anything
 * else is an internal error, printed with its stack (exit 70).
 */
import { cac } from 'cac';
import { GridError } from '../core/errors.js';
import { commands } from './commands/index.js';

async function main(argv: string[]): Promise<number> {
  const cli = cac('gridconsensus');
  for (const register of commands) register(cli);
  cli.help();
  cli.version(VERSION);
  cli.parse(argv, { run: false });
  if (!cli.matchedCommand) {
    if (cli.args.length > 0) {
      throw new GridError(`unknown command '${cli.args.join(' ')}'`, { fix: ['run `gridconsensus --help` for the list of commands'] });
    }
    if (!cli.options['help'] && !cli.options['version']) cli.outputHelp();
    return 0;
  }
  const result: unknown = await cli.runMatchedCommand();
  return typeof result === 'number' ? result : 0;
}

const VERSION = '0.1.0';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof GridError) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else if (error instanceof Error && error.name === 'CACError') {
      process.stderr.write(`error: ${error.message}\n  Fix: run \`gridconsensus --help\`\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    }
  },
);
