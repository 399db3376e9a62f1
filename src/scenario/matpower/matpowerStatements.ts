/**
 * Splits MATPOWER case-file text into statements: comments (%) dropped, `...` continuations
 * joined, and `[ ... ]` / `{ ... }` blocks kept whole even when they span many lines. Each
 * statement keeps the line it starts on so warnings can point at it.
 */
export interface Statement {
  text: string;
  line: number;
}

export function splitStatements(source: string): Statement[] {
  const out: Statement[] = [];
  let current = '';
  let startLine = 1;
  let line = 1;
  let depth = 0;
  const flush = () => {
    const text = current.trim();
    if (text !== '') out.push({ text, line: startLine });
    current = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (current.trim() === '') startLine = line;
    if (c === '%') {
      while (i + 1 < source.length && source[i + 1] !== '\n') i++;
      continue;
    }
    if (c === '.' && source.startsWith('...', i)) {
      while (i < source.length && source[i] !== '\n') i++;
      line++;
      current += ' ';
      continue;
    }
    if (c === "'" && !/[\w)\]}.'"]$/.test(current.trimEnd())) {
      // A quoted string: copy it verbatim ('' is an escaped quote).
      let j = i + 1;
      while (j < source.length && source[j] !== '\n' && !(source[j] === "'" && source[j + 1] !== "'")) j += source[j] === "'" ? 2 : 1;
      current += source.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '[' || c === '{' || c === '(') depth++;
    if (c === ']' || c === '}' || c === ')') depth = Math.max(0, depth - 1);
    if (c === '\n') {
      line++;
      if (depth === 0) flush();
      else current += '\n';
      continue;
    }
    if ((c === ';' || c === ',') && depth === 0) {
      flush();
      continue;
    }
    current += c === '\r' ? '' : c;
  }
  flush();
  return out;
}

/** The numbers of a `[ ... ]` matrix literal: rows split on `;` or newlines, entries on spaces or commas. */
export function parseMatrix(body: string): { rows: number[][]; bad?: string } {
  const rows: number[][] = [];
  for (const rowText of body.split(/[;\n]/)) {
    const cells = rowText.split(/[\s,]+/).filter((s) => s !== '');
    if (cells.length === 0) continue;
    const row: number[] = [];
    for (const cell of cells) {
      const value = numberOf(cell);
      if (value === undefined) return { rows, bad: cell };
      row.push(value);
    }
    rows.push(row);
  }
  return { rows };
}

function numberOf(cell: string): number | undefined {
  const m = /^([+-]?)(inf|nan)$/i.exec(cell);
  if (m) return m[2]!.toLowerCase() === 'nan' ? Number.NaN : m[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell)) return undefined;
  return Number(cell);
}
