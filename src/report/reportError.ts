/**
 * The report stage's error: a chart or report input that cannot be drawn (mismatched lengths,
 * a value that is not a number where one is required). Names the input field and the fix.
 */
import { GridError, type GridErrorOptions } from '../core/errors.js';

export class ReportError extends GridError {
  override name = 'ReportError';
  constructor(shortMessage: string, options: GridErrorOptions = {}) {
    super(shortMessage, options);
  }
}

/** Throws unless `values` has exactly `expected` entries. */
export function requireLength(values: readonly unknown[], expected: number, field: string, what: string): void {
  if (values.length !== expected) {
    throw new ReportError(`has ${values.length} entries but ${expected} ${what} were given`, {
      field,
      fix: [`give exactly one value per ${what.replace(/s$/, '')} (${expected} in all)`],
    });
  }
}
