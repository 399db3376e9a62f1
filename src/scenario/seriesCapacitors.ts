/**
 * Lines with a negative reactance (series capacitors, which MATPOWER files may hold) are accepted
 * with a warning: the branch-flow equations (docs/model.md eq. 1a–1d) hold for either sign of x,
 * but the relaxation (2) is no longer known to be tight, because a larger current l then supplies
 * reactive power (−x·l) in (1b). Every schedule's cone-gap and AC power-flow checks show whether
 * it was (docs/case-format.md §Negative reactance). Pure.
 */
import type { CaseFile } from './caseFile.js';

/** Start of every negative-reactance warning. */
export const negativeReactancePrefix = 'negative reactance: ';

/** The case with one warning per closed line whose reactance is negative (none repeated). */
export function withSeriesCapacitorWarnings(caseFile: CaseFile): CaseFile {
  const have = new Set(caseFile.warnings ?? []);
  const added: string[] = [];
  caseFile.lines.forEach((line, i) => {
    const x = line.xPu ?? line.xOhm;
    if (line.status === 'open' || x === undefined || !(x < 0)) return;
    const value = line.xPu !== undefined ? `xPu = ${line.xPu}` : `xOhm = ${line.xOhm}`;
    const warning = `${negativeReactancePrefix}lines[${i}] (${line.from} - ${line.to}) has ${value} (a series capacitor): accepted; `
      + 'with x < 0 the SOCP relaxation can be loose (extra current would supply reactive power), so read the relaxation gap and the AC power-flow check of the result';
    if (!have.has(warning)) added.push(warning);
  });
  return added.length === 0 ? caseFile : { ...caseFile, warnings: [...(caseFile.warnings ?? []), ...added] };
}
