/**
 * The one error base of gridconsensus. Every error a user can cause says what is wrong
 * (`shortMessage`), where (`field`, a dotted path such as `buses[12].battery.capacityMwh`)
 * and how to fix it (`fix` lines). Outcomes such as "infeasible" are results, not errors.
 */
export interface GridErrorOptions {
  /** Dotted path of the offending input field, when there is one. */
  field?: string;
  /** One line each: what to write instead. */
  fix?: string[];
  /** Further detail lines (e.g. every validation issue when several are reported at once). */
  details?: string[];
  cause?: unknown;
  /** Process exit code the CLI uses for this error (default 2: bad input). */
  exitCode?: number;
}

export class GridError extends Error {
  override name = 'GridError';
  readonly shortMessage: string;
  readonly field: string | undefined;
  readonly fix: string[];
  readonly details: string[];
  readonly exitCode: number;

  constructor(shortMessage: string, options: GridErrorOptions = {}) {
    super(renderMessage(shortMessage, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.shortMessage = shortMessage;
    this.field = options.field;
    this.fix = options.fix ?? [];
    this.details = options.details ?? [];
    this.exitCode = options.exitCode ?? 2;
  }
}

function renderMessage(shortMessage: string, options: GridErrorOptions): string {
  const lines = [options.field ? `${options.field}: ${shortMessage}` : shortMessage];
  for (const d of options.details ?? []) lines.push(`  - ${d}`);
  for (const f of options.fix ?? []) lines.push(`  Fix: ${f}`);
  if (options.cause instanceof Error) lines.push(`  Caused by: ${options.cause.message}`);
  return lines.join('\n');
}

/** A broken invariant inside gridconsensus: never the user's fault. */
export class InternalError extends GridError {
  override name = 'InternalError';
  constructor(message: string, cause?: unknown) {
    super(`internal error: ${message} (please report)`, { exitCode: 70, cause });
  }
}
