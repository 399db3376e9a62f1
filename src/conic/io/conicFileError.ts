import { GridError } from '../../core/errors.js';

/**
 * A problem file (CBF, QPS/MPS, problem JSON) that cannot be read. `field` is
 * `<format> line <n>` so the user can jump to the offending line; the fix says what was expected.
 */
export class ConicFileError extends GridError {
  override name = 'ConicFileError';
  readonly line: number | undefined;

  constructor(format: string, line: number | undefined, message: string, fix: string[]) {
    super(message, { field: line === undefined ? format : `${format} line ${line}`, fix });
    this.line = line;
  }
}
