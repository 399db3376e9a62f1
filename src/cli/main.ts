#!/usr/bin/env node
/**
 * The gridconsensus command line: argv → command → exit code. The only place that prints
 * errors and calls process.exit. GridErrors render as their message and fix lines; anything
 * else is an internal error, printed with its stack (exit 70).
 */
import { cac } from 'cac';
import { GridError } from '../core/errors.js';
import { commands } from './commands/index.js';
import { joinNegativeFlagValues, keepTypedOptionValues, rejectEmptyValues, separateOptionalPortFlags, typedPositionals } from './flags.js';

async function main(argv: string[]): Promise<number> {
  const cli = cac('gridconsensus');
  for (const register of commands) register(cli);
  cli.help();
  cli.version(VERSION);
  rejectEmptyValues(argv.slice(2));
  const parsedArgv = joinNegativeFlagValues(separateOptionalPortFlags(argv, ['dashboard']));
  cli.parse(parsedArgv, { run: false });
  // Every flag's check reads the value as typed, not the parser's number (0x10 is not 16).
  keepTypedOptionValues(parsedArgv.slice(2), cli.options);
  if (cli.matchedCommand) {
    // A case file named 007 stays '007', also after a flag without a value (`opf --json 007`).
    const declared = [...cli.globalCommand.options, ...cli.matchedCommand.options];
    const withoutValue = declared.filter((o) => o.isBoolean);
    cli.args = typedPositionals(parsedArgv.slice(2), new Set(withoutValue.flatMap((o) => o.names))).slice(1);
    // Such a flag given the next word by the parser is simply set.
    for (const o of withoutValue) if (!o.negated && cli.options[o.name] !== undefined && typeof cli.options[o.name] !== 'boolean') cli.options[o.name] = true;
  }
  // cac printed the help or version and unset the command: its `--no-…` defaults are not unknown options.
  if (cli.options['help'] || cli.options['version']) return 0;
  if (!cli.matchedCommand) {
    if (cli.args.length > 0) {
      throw new GridError(`unknown command '${cli.args.join(' ')}'`, { fix: ['run `gridconsensus --help` for the list of commands'] });
    }
    const unknown = Object.keys(cli.options).filter((o) => o !== '--' && o !== 'help' && o !== 'h' && o !== 'version' && o !== 'v');
    if (unknown.length > 0) throw new GridError(`unknown option '--${unknown[0]}' without a command`, { fix: ['run `gridconsensus --help` for the commands; options go after the command'] });
    cli.outputHelp();
    return 0;
  }
  const result: unknown = await cli.runMatchedCommand();
  return typeof result === 'number' ? result : 0;
}

const VERSION = '0.1.0';

/** viem's HttpRequestError anywhere in the cause chain: the node is down or the URL is wrong. */
function unreachableNode(error: unknown): { url?: string; details?: string } | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e.name === 'HttpRequestError') {
      const fields = e as Error & { url?: unknown; details?: unknown };
      return {
        ...(typeof fields.url === 'string' ? { url: fields.url } : {}),
        ...(typeof fields.details === 'string' ? { details: fields.details } : {}),
      };
    }
  }
  return undefined;
}

/**
 * The error as the user reads it: like GridError.message, but a library cause (e.g. viem's
 * multi-line HTTP report) shrinks to its first line and its "Details:" line.
 */
function terminalMessage(error: GridError): string {
  const lines = [error.field ? `${error.field}: ${error.shortMessage}` : error.shortMessage];
  for (const d of error.details) lines.push(`  - ${d}`);
  for (const f of error.fix) lines.push(`  Fix: ${f}`);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const causeLines = cause.message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const details = causeLines.find((l, i) => i > 0 && l.startsWith('Details:'));
    lines.push(`  Caused by: ${causeLines[0] ?? cause.name}${details ? ` (${details})` : ''}`);
  }
  return lines.join('\n');
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof GridError) {
      process.stderr.write(`error: ${terminalMessage(error)}\n`);
      process.exitCode = error.exitCode;
    } else if (unreachableNode(error)) {
      // A command that did not check its node first still gets one clear line, not a stack (exit 69: service unavailable).
      const node = unreachableNode(error)!;
      process.stderr.write(`error: --rpc-url: no JSON-RPC node answers at ${node.url ?? 'the given URL'}${node.details ? ` (${node.details})` : ''}\n  Fix: start the node, or check --rpc-url (e.g. http://127.0.0.1:8545)\n`);
      process.exitCode = 69;
    } else if (error instanceof Error && error.name === 'CACError') {
      const command = process.argv[2] !== undefined && !process.argv[2].startsWith('-') ? `${process.argv[2]} ` : '';
      process.stderr.write(`error: ${error.message}\n  Fix: run \`gridconsensus ${command}--help\` for the arguments and options\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    }
  },
);
