import type { ConicProblem } from '../types.js';

/** What a reader returns: the problem in our minimization form plus how to report its objective. */
export interface ParsedConicFile {
  problem: ConicProblem;
  /** Constant term of the objective, in the file's own sense. */
  objectiveOffset: number;
  /** The file asked to minimize or maximize; `problem` always minimizes. */
  objectiveSense: 'min' | 'max';
  /** Column names and one name per row of `problem.A`, when the format has names. */
  names?: { variables: string[]; rows: string[] };
  /** Things the reader accepted but changed or ignored (e.g. integrality markers). */
  warnings: string[];
}

/** The objective as the file states it: maximizing files store -f, and the offset is added last. */
export function objectiveInFileSense(parsed: ParsedConicFile, minimizedObjective: number): number {
  const signed = parsed.objectiveSense === 'max' ? -minimizedObjective : minimizedObjective;
  return signed + parsed.objectiveOffset;
}
