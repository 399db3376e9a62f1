/**
 * Writes a CaseFile as JSON text that stays readable: objects indent one field per line, but
 * any array or object that fits on one line (profiles, small devices, lines) is kept on one.
 */
import type { CaseFile } from './caseFile.js';

const lineWidth = 120;

export function formatCaseFile(caseFile: CaseFile): string {
  return `${render(caseFile, '')}\n`;
}

function render(value: unknown, indent: string): string {
  const flat = JSON.stringify(value, null, 1)?.replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']').replace(/\{ /g, '{').replace(/ \}/g, '}');
  if (flat === undefined) return 'null';
  if (typeof value !== 'object' || value === null || indent.length + flat.length <= lineWidth) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((x) => typeof x === 'number')) return flat;
    return `[\n${value.map((x) => inner + render(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, x]) => x !== undefined);
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${render(x, inner)}`).join(',\n')}\n${indent}}`;
}
