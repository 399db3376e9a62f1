import { GridError } from '../core/errors.js';

/** One problem in a case file: the field path (e.g. `buses[12].devices[0].energyMaxKwh`) and "what is wrong; what to write". */
export interface CaseIssue {
  path: string;
  message: string;
}

/**
 * Every problem found in one case file, reported at once: `details` has one line per issue,
 * `field` names the first one.
 */
export class CaseFileError extends GridError {
  override name = 'CaseFileError';
  readonly issues: CaseIssue[];
  readonly sourceName: string;

  constructor(sourceName: string, issues: CaseIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`case file '${sourceName}' has ${count}`, {
      field: issues[0]?.path,
      details: issues.map((i) => `${i.path || '(file)'}: ${i.message}`),
      fix: ['correct every field listed above; docs/case-format.md describes each field and its unit'],
    });
    this.issues = issues;
    this.sourceName = sourceName;
  }
}

/** A MATPOWER file the importer cannot turn into a radial case (meshed, no reference bus, unreadable matrix). */
export class MatpowerImportError extends GridError {
  override name = 'MatpowerImportError';
}
