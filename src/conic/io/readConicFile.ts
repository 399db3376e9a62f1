import { ConicFileError } from './conicFileError.js';
import type { ParsedConicFile } from './parsedConicFile.js';
import { readCbf } from './readCbf.js';
import { readQps } from './readQps.js';

export type ConicFileFormat = 'cbf' | 'qps';

/** The format implied by a file name (case-insensitive; a trailing .gz is looked through). */
export function detectConicFormat(fileName: string): ConicFileFormat {
  const lower = fileName.toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.cbf')) return 'cbf';
  if (lower.endsWith('.qps') || lower.endsWith('.mps') || lower.endsWith('.sif')) return 'qps';
  throw new ConicFileError('file name', undefined, `cannot tell the format of '${fileName}'`, [
    'name the file *.cbf (Conic Benchmark Format) or *.qps / *.mps / *.sif (free MPS with QUADOBJ)',
  ]);
}

/** Parses already-read file text in the format its name implies. */
export function readConicFile(fileName: string, text: string): ParsedConicFile {
  return detectConicFormat(fileName) === 'cbf' ? readCbf(text) : readQps(text);
}
