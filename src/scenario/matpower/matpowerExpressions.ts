/**
 * The small part of MATPOWER's language the importer understands beyond matrix literals:
 * MATPOWER's column names (idx_bus, idx_brch, idx_gen, idx_cost; 1-based) and scalar
 * arithmetic (+ − * / ^, parentheses, pi and the elementary functions below) over numbers, named
 * scalars set earlier in the file, mpc.baseMVA and single matrix entries such as mpc.bus(1, BASE_KV).
 */

/** Functions of one argument a case may use in a conversion, e.g. `sin(acos(pf))` for a power factor. */
const scalarFunctions: Readonly<Record<string, (x: number) => number>> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  sqrt: Math.sqrt, exp: Math.exp, log: Math.log, log10: Math.log10, abs: Math.abs,
};

export const matpowerColumns: Readonly<Record<string, number>> = {
  // idx_bus
  BUS_I: 1, BUS_TYPE: 2, PD: 3, QD: 4, GS: 5, BS: 6, BUS_AREA: 7, VM: 8, VA: 9, BASE_KV: 10, ZONE: 11, VMAX: 12, VMIN: 13,
  // bus types
  PQ: 1, PV: 2, REF: 3, NONE: 4,
  // idx_gen
  GEN_BUS: 1, PG: 2, QG: 3, QMAX: 4, QMIN: 5, VG: 6, MBASE: 7, GEN_STATUS: 8, PMAX: 9, PMIN: 10,
  // idx_brch
  F_BUS: 1, T_BUS: 2, BR_R: 3, BR_X: 4, BR_B: 5, RATE_A: 6, RATE_B: 7, RATE_C: 8, TAP: 9, SHIFT: 10, BR_STATUS: 11, ANGMIN: 12, ANGMAX: 13,
  // idx_cost
  PW_LINEAR: 1, POLYNOMIAL: 2, MODEL: 1, STARTUP: 2, SHUTDOWN: 3, NCOST: 4, COST: 5,
};

/** What an expression may look up: named scalars and matrices defined so far. */
export interface ExpressionScope {
  scalars: Map<string, number>;
  matrices: Map<string, number[][]>;
}

/** Evaluates a scalar expression, or returns undefined when it uses anything not understood. */
export function evaluateScalar(text: string, scope: ExpressionScope): number | undefined {
  const tokens = text.match(/\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|mpc\.\w+|[A-Za-z_]\w*|\.?[*/^]|[-+(),:]|\S/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (): never => {
    throw new Error('not understood');
  };
  const expect = (t: string) => (tokens[pos] === t ? pos++ : fail());
  const primary = (): number => {
    const t = tokens[pos++] ?? fail();
    if (t === '(') {
      const v = sum();
      expect(')');
      return v;
    }
    if (t === '-') return -power();
    if (t === '+') return power();
    if (/^[\d.]/.test(t)) return Number(t);
    if (t.startsWith('mpc.')) {
      const name = t.slice(4);
      if (name === 'baseMVA' && peek() !== '(') return scope.scalars.get('mpc.baseMVA') ?? fail();
      const matrix = scope.matrices.get(name) ?? fail();
      expect('(');
      const row = sum();
      expect(',');
      const col = sum();
      expect(')');
      return matrix[row - 1]?.[col - 1] ?? fail();
    }
    const fn = scalarFunctions[t];
    if (fn && peek() === '(' && !scope.scalars.has(t)) {
      expect('(');
      const argument = sum();
      expect(')');
      return fn(argument);
    }
    if (t === 'pi' && !scope.scalars.has(t)) return Math.PI;
    if (/^[A-Za-z_]/.test(t)) return scope.scalars.get(t) ?? matpowerColumns[t] ?? fail();
    return fail();
  };
  const power = (): number => {
    let v = primary();
    while (peek() === '^' || peek() === '.^') {
      pos++;
      v = v ** primary();
    }
    return v;
  };
  const product = (): number => {
    let v = power();
    for (let op = peek(); op === '*' || op === '/' || op === '.*' || op === './'; op = peek()) {
      pos++;
      v = op.endsWith('*') ? v * power() : v / power();
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    for (let op = peek(); op === '+' || op === '-'; op = peek()) {
      pos++;
      v = op === '+' ? v + product() : v - product();
    }
    return v;
  };
  try {
    const value = sum();
    return pos === tokens.length && Number.isFinite(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Column numbers from `BR_R`, `3`, `[BR_R BR_X]` or `[PD, QD]`; undefined if any is not known. */
export function parseColumns(text: string, scope: ExpressionScope): number[] | undefined {
  const inner = text.trim().replace(/^\[(.*)\]$/s, '$1');
  const parts = inner.split(/[\s,]+/).filter((s) => s !== '');
  const cols = parts.map((p) => evaluateScalar(p, scope));
  return parts.length > 0 && cols.every((c) => c !== undefined && Number.isInteger(c) && c >= 1) ? (cols as number[]) : undefined;
}
