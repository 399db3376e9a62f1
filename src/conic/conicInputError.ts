import { GridError } from '../core/errors.js';

/**
 * A conic problem or solver setting the solver cannot accept. `field` names the offending entry
 * (for example `A.nzval[17]`) and `fix` says what to pass instead.
 */
export class ConicInputError extends GridError {
  override name = 'ConicInputError';

  constructor(field: string, message: string, fix: string[]) {
    super(message, { field, fix });
  }
}
