/** Reads a case file's text into a checked `CaseFile` (pure: no file access). */
import * as v from 'valibot';
import type { CaseFile } from './caseFile.js';
import { caseFileSchema, formatPath, schemaIssues } from './caseFileSchema.js';
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
  const issues = caseFileIssues(data);
  if (issues.length > 0) throw new CaseFileError(sourceName, withOverflowAsWritten(issues, text, data));
  return data as CaseFile;
}

/**
 * A JSON number beyond ±1.8e308 (e.g. 1e999) parses as ±Infinity: the issue at that field says
 * "got 1e999" as the file has it, once (a range check on the same field would repeat it).
 */
function withOverflowAsWritten(issues: CaseIssue[], text: string, data: unknown): CaseIssue[] {
  const paths = infinitePaths(data);
  if (paths.length === 0) return issues;
  const literals = overflowingLiterals(text);
  // Both lists are in document order; if they disagree (duplicate keys), keep the value unnamed.
  const asWritten = new Map(paths.map((p, i) => [p, literals.length === paths.length ? literals[i]! : String(Number.POSITIVE_INFINITY)]));
  const reported = new Set<string>();
  const out: CaseIssue[] = [];
  for (const issue of issues) {
    const literal = asWritten.get(issue.path);
    if (literal === undefined) { out.push(issue); continue; }
    if (reported.has(issue.path)) continue;
    reported.add(issue.path);
    out.push({ path: issue.path, message: issue.message.replace(/got -?Infinity/, `got ${literal} (beyond the largest finite number, about 1.8e308)`) });
  }
  return out;
}

/** Paths (as issues name them) of the ±Infinity numbers in a parsed value, in document order. */
function infinitePaths(value: unknown, path: Array<string | number> = [], out: string[] = []): string[] {
  if (typeof value === 'number' && !Number.isFinite(value)) out.push(formatPath(path));
  else if (Array.isArray(value)) value.forEach((item, i) => infinitePaths(item, [...path, i], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) infinitePaths(item, [...path, key], out);
  return out;
}

/** The number literals of a JSON text that overflow a double, as written, in document order. */
function overflowingLiterals(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)) {
    if (!m[0].startsWith('"') && !Number.isFinite(Number(m[0]))) out.push(m[0]);
  }
  return out;
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
