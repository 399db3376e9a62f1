/** Reads a case file's text into a checked `CaseFile` (pure: no file access). */
import * as v from 'valibot';
import type { CaseFile } from './caseFile.js';
import { caseFileSchema, schemaIssues } from './caseFileSchema.js';
import { checkCaseFile, fileHorizon, type Horizon } from './checkCaseFile.js';
import { CaseFileError, type CaseIssue } from './errors.js';

/** Parses JSON text in the gridconsensus-case format; throws one CaseFileError listing every problem. */
export function parseCaseFile(text: string, sourceName = 'case file'): CaseFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new CaseFileError(sourceName, [{ path: '', message: `is not valid JSON (${detail}); fix the syntax at the position given` }]);
  }
  return validateCaseFile(data, sourceName);
}

/** Checks an already parsed value: schema (field types and ranges) and cross-field rules together. */
export function validateCaseFile(data: unknown, sourceName = 'case file', horizon?: Partial<Horizon>): CaseFile {
  const issues = caseFileIssues(data, horizon);
  if (issues.length > 0) throw new CaseFileError(sourceName, issues);
  return data as CaseFile;
}

/** Every problem of a parsed value, without throwing. */
export function caseFileIssues(data: unknown, horizon?: Partial<Horizon>): CaseIssue[] {
  const result = v.safeParse(caseFileSchema, data, { abortEarly: false });
  const issues: CaseIssue[] = result.success ? [] : schemaIssues(result.issues);
  const seen = new Set(issues.map((i) => `${i.path}\n${i.message}`));
  for (const issue of checkCaseFile(data, fileHorizon(data, horizon))) {
    if (!seen.has(`${issue.path}\n${issue.message}`)) issues.push(issue);
  }
  return issues;
}
