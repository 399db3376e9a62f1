import { ConicInputError } from '../conicInputError.js';

/**
 * A problem file (CBF, QPS/MPS, problem JSON) that cannot be read: a ConicInputError whose
 * `field` is `<format> line <n>`, so the user can jump to the offending line; `fix` says what
 * was expected there.
 */
export class ConicFileError extends ConicInputError {
  override name = 'ConicFileError';
  readonly line: number | undefined;

  constructor(format: string, line: number | undefined, message: string, fix: string[]) {
    super(line === undefined ? format : `${format} line ${line}`, message, fix);
    this.line = line;
  }
}
