import type { ConeSpec } from '../types.js';
import { ConicFileError } from './conicFileError.js';
import { cscOfTriplets, emptyTriplets, pushTriplet, type Triplets } from './triplets.js';
import type { ParsedConicFile } from './parsedConicFile.js';

/**
 * Reader for free-format MPS with the QPS extension (the form the Maros-Meszaros QP set uses):
 * NAME, OBJSENSE, ROWS (N, E, L, G), COLUMNS, RHS, RANGES, BOUNDS (UP, LO, FX, FR, MI, PL),
 * QUADOBJ (one triangle) or QMATRIX (both triangles), ENDATA.
 *
 * The problem is  min 1/2 x'Qx + c'x + c0  with c0 = -(RHS of the objective row), the MPS
 * convention the Maros-Meszaros optimal values use. Rows map to  A x + s = b:
 * equalities and fixed variables to zero-cone rows (first), every finite side of an inequality,
 * range or bound to one nonnegative row (a'x <= u, or -a'x <= -l).
 */
export function readQps(text: string): ParsedConicFile {
  const st = new QpsState();
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k]!;
    const no = k + 1;
    if (raw.trim() === '' || raw.startsWith('*')) continue;
    const toks = raw.trim().split(/\s+/);
    if (!/^\s/.test(raw)) {
      st.header(toks, no);
      if (st.section === 'ENDATA') break;
    } else {
      st.data(toks, no, raw);
    }
  }
  return st.finish();
}

type Section = 'NONE' | 'NAME' | 'OBJSENSE' | 'ROWS' | 'COLUMNS' | 'RHS' | 'RANGES' | 'BOUNDS' | 'QUADOBJ' | 'QMATRIX' | 'ENDATA';
type RowType = 'E' | 'L' | 'G';
const valueBounds = new Set(['UP', 'LO', 'FX', 'LI', 'UI']);
const flagBounds = new Set(['FR', 'MI', 'PL', 'BV']);
const unsupportedBounds = new Set(['SC']);
/** Solvers' MPS convention: magnitudes of 1e20 and above in RHS, RANGES and BOUNDS mean "no bound". */
const INFINITE_BOUND = 1e20;

class QpsState {
  section: Section = 'NONE';
  sense: 'min' | 'max' = 'min';
  objectiveName: string | undefined;
  readonly freeRows = new Set<string>();
  readonly rowIndex = new Map<string, number>();
  readonly rowNames: string[] = [];
  readonly rowTypes: RowType[] = [];
  readonly rhs: number[] = [];
  readonly ranges: Array<number | undefined> = [];
  readonly colIndex = new Map<string, number>();
  readonly colNames: string[] = [];
  readonly cost: number[] = [];
  readonly lower: number[] = [];
  readonly upper: number[] = [];
  readonly lowerGiven: boolean[] = [];
  readonly a: Triplets = emptyTriplets();
  readonly quad: Triplets = emptyTriplets();
  objectiveRhs = 0;
  readonly warnings: string[] = [];
  private warnedMarker = false;
  private warnedInteger = false;

  header(toks: string[], no: number): void {
    const word = toks[0]!.toUpperCase();
    switch (word) {
      case 'NAME':
      case 'ROWS':
      case 'COLUMNS':
      case 'RHS':
      case 'RANGES':
      case 'BOUNDS':
      case 'QUADOBJ':
      case 'QMATRIX':
      case 'ENDATA':
        this.section = word;
        return;
      case 'OBJSENSE':
        this.section = 'OBJSENSE';
        if (toks[1] !== undefined) this.setSense(toks[1], no);
        return;
      case 'QSECTION':
      case 'QCMATRIX':
      case 'CSECTION':
      case 'SOS':
      case 'INDICATORS':
        throw new ConicFileError('QPS', no, `unsupported section ${word}`, ['only QUADOBJ / QMATRIX quadratic objectives and linear rows can be read (no quadratic constraints, cones, SOS or indicators)']);
      default:
        throw new ConicFileError('QPS', no, `unknown section header '${toks[0]}'`, [
          'expected NAME, OBJSENSE, ROWS, COLUMNS, RHS, RANGES, BOUNDS, QUADOBJ, QMATRIX or ENDATA at the start of the line (data lines start with a space)',
        ]);
    }
  }

  data(toks: string[], no: number, raw: string): void {
    switch (this.section) {
      case 'OBJSENSE':
        return this.setSense(toks[0]!, no);
      case 'ROWS':
        return this.rowLine(toks, no);
      case 'COLUMNS':
        return this.columnLine(toks, no);
      case 'RHS':
      case 'RANGES':
        return this.rhsOrRangeLine(toks, no);
      case 'BOUNDS':
        return this.boundLine(toks, no);
      case 'QUADOBJ':
      case 'QMATRIX':
        return this.quadLine(toks, no);
      default:
        throw new ConicFileError('QPS', no, `data line '${raw.trim()}' outside a data section`, ['put data lines under ROWS, COLUMNS, RHS, RANGES, BOUNDS or QUADOBJ; section headers start in column 1']);
    }
  }

  private setSense(word: string, no: number): void {
    const w = word.toUpperCase();
    if (w === 'MIN' || w === 'MINIMIZE') this.sense = 'min';
    else if (w === 'MAX' || w === 'MAXIMIZE') this.sense = 'max';
    else throw new ConicFileError('QPS', no, `expected MIN or MAX after OBJSENSE, found '${word}'`, ['write MIN or MAX']);
  }

  private rowLine(toks: string[], no: number): void {
    if (toks.length !== 2) throw shapeError(no, toks, "'<type> <row name>' in ROWS");
    const type = toks[0]!.toUpperCase();
    const name = toks[1]!;
    if (this.rowIndex.has(name) || name === this.objectiveName || this.freeRows.has(name)) {
      throw new ConicFileError('QPS', no, `row '${name}' is declared twice`, ['give every row a distinct name']);
    }
    if (type === 'N') {
      if (this.objectiveName === undefined) this.objectiveName = name;
      else {
        this.freeRows.add(name);
        this.warnings.push(`free row '${name}' (line ${no}) ignored; the first N row '${this.objectiveName}' is the objective`);
      }
      return;
    }
    if (type !== 'E' && type !== 'L' && type !== 'G') {
      throw new ConicFileError('QPS', no, `unknown row type '${toks[0]}'`, ['row types are N (objective), E (=), L (<=) and G (>=)']);
    }
    this.rowIndex.set(name, this.rowNames.length);
    this.rowNames.push(name);
    this.rowTypes.push(type);
    this.rhs.push(0);
    this.ranges.push(undefined);
  }

  private columnLine(toks: string[], no: number): void {
    if (toks.some((t) => t.toUpperCase() === "'MARKER'")) {
      if (!this.warnedMarker) this.warnings.push(`integrality markers (line ${no}) ignored: the continuous relaxation is solved`);
      this.warnedMarker = true;
      return;
    }
    if (toks.length !== 3 && toks.length !== 5) throw shapeError(no, toks, "'<column> <row> <value> [<row> <value>]' in COLUMNS");
    const j = this.column(toks[0]!, no, true);
    for (let p = 1; p < toks.length; p += 2) {
      const rowName = toks[p]!;
      const val = parseValue(toks[p + 1]!, no);
      if (rowName === this.objectiveName) this.cost[j]! += val;
      else if (this.freeRows.has(rowName)) continue;
      else pushTriplet(this.a, this.row(rowName, no), j, val);
    }
  }

  private rhsOrRangeLine(toks: string[], no: number): void {
    const section = this.section;
    if (toks.length < 2 || toks.length > 5) throw shapeError(no, toks, `'[<set name>] <row> <value> [<row> <value>]' in ${section}`);
    // An odd token count means the line starts with a set name.
    for (let p = toks.length % 2; p < toks.length; p += 2) {
      const rowName = toks[p]!;
      const val = parseValue(toks[p + 1]!, no);
      if (rowName === this.objectiveName) {
        if (section === 'RANGES') throw new ConicFileError('QPS', no, `the objective row '${rowName}' cannot have a range`, ['remove this RANGES entry']);
        this.objectiveRhs = val;
      } else if (this.freeRows.has(rowName)) continue;
      else if (section === 'RHS') this.rhs[this.row(rowName, no)] = infiniteBeyond(val);
      else this.ranges[this.row(rowName, no)] = infiniteBeyond(val);
    }
  }

  private boundLine(toks: string[], no: number): void {
    const type = toks[0]!.toUpperCase();
    if (unsupportedBounds.has(type)) {
      throw new ConicFileError('QPS', no, `unsupported bound type ${type}`, ['semicontinuous (SC) bounds cannot be solved; use UP, LO, FX, FR, MI or PL (BV, LI and UI are read as continuous bounds)']);
    }
    let colTok: string;
    let val = 0;
    if (valueBounds.has(type)) {
      if (toks.length !== 3 && toks.length !== 4) throw shapeError(no, toks, `'${type} [<set name>] <column> <value>' in BOUNDS`);
      colTok = toks[toks.length - 2]!;
      val = parseValue(toks[toks.length - 1]!, no);
      val = infiniteBeyond(val);
    } else if (flagBounds.has(type)) {
      if (toks.length < 2 || toks.length > 4) throw shapeError(no, toks, `'${type} [<set name>] <column>' in BOUNDS`);
      colTok = toks.length === 2 ? toks[1]! : toks[2]!;
    } else {
      throw new ConicFileError('QPS', no, `unknown bound type '${toks[0]}'`, ['bound types are UP, LO, FX, FR, MI, PL (and BV, LI, UI read as continuous)']);
    }
    const j = this.column(colTok, no, false);
    if (type === 'BV' || type === 'LI' || type === 'UI') {
      if (!this.warnedInteger) this.warnings.push(`integer bound ${type} on '${colTok}' (line ${no}) read as a continuous bound: the relaxation is solved`);
      this.warnedInteger = true;
    }
    switch (type) {
      case 'BV':
        this.lower[j] = 0;
        this.upper[j] = 1;
        this.lowerGiven[j] = true;
        return;
      case 'UI':
      case 'UP':
        if (val < 0 && !this.lowerGiven[j] && this.lower[j] === 0) {
          this.lower[j] = -Infinity;
          this.warnings.push(`negative upper bound on '${colTok}' (line ${no}) with no lower bound: lower bound set to -infinity (MPS convention)`);
        }
        this.upper[j] = val;
        return;
      case 'LO':
      case 'LI':
        this.lower[j] = val;
        this.lowerGiven[j] = true;
        return;
      case 'FX':
        this.lower[j] = val;
        this.upper[j] = val;
        this.lowerGiven[j] = true;
        return;
      case 'FR':
        this.lower[j] = -Infinity;
        this.upper[j] = Infinity;
        this.lowerGiven[j] = true;
        return;
      case 'MI':
        this.lower[j] = -Infinity;
        this.lowerGiven[j] = true;
        return;
      default: // PL
        this.upper[j] = Infinity;
    }
  }

  private quadLine(toks: string[], no: number): void {
    // '<column> <column> <value>', or two pairs for the same first column as in COLUMNS
    if (toks.length !== 3 && toks.length !== 5) throw shapeError(no, toks, `'<column> <column> <value> [<column> <value>]' in ${this.section}`);
    const i = this.column(toks[0]!, no, false);
    for (let p = 1; p < toks.length; p += 2) {
      const j = this.column(toks[p]!, no, false);
      const val = parseValue(toks[p + 1]!, no);
      // QUADOBJ lists each off-diagonal pair once; QMATRIX lists both, so each copy carries half.
      const weight = i === j || this.section === 'QUADOBJ' ? 1 : 0.5;
      pushTriplet(this.quad, Math.min(i, j), Math.max(i, j), weight * val);
    }
  }

  private column(name: string, no: number, create: boolean): number {
    const j = this.colIndex.get(name);
    if (j !== undefined) return j;
    if (!create) throw new ConicFileError('QPS', no, `unknown column '${name}'`, ['every column must appear in COLUMNS before it is bounded or used in QUADOBJ']);
    const k = this.colNames.length;
    this.colIndex.set(name, k);
    this.colNames.push(name);
    this.cost.push(0);
    this.lower.push(0);
    this.upper.push(Infinity);
    this.lowerGiven.push(false);
    return k;
  }

  private row(name: string, no: number): number {
    const r = this.rowIndex.get(name);
    if (r === undefined) throw new ConicFileError('QPS', no, `unknown row '${name}'`, ['declare the row in ROWS first']);
    return r;
  }

  finish(): ParsedConicFile {
    if (this.objectiveName === undefined && this.rowNames.length === 0 && this.colNames.length === 0) {
      throw new ConicFileError('QPS', undefined, 'no ROWS or COLUMNS found', ['is this an MPS/QPS file? It needs ROWS and COLUMNS sections']);
    }
    return assembleQps(this);
  }
}

interface RowDef {
  zero: boolean;
  b: number;
  name: string;
}

/** Lays out zero rows first, then nonnegative rows, and maps the file's rows onto them. */
function assembleQps(st: QpsState): ParsedConicFile {
  const n = st.colNames.length;
  const zeros: RowDef[] = [];
  const nonnegs: RowDef[] = [];
  // For each file row: [list (0 zero, 1 nonneg), position in list, sign].
  const targets: Array<Array<[0 | 1, number, number]>> = st.rowNames.map(() => []);
  const boundRows: Array<[0 | 1, number, number, number]> = [];
  const add = (zero: boolean, b: number, name: string): [0 | 1, number] => {
    const list = zero ? zeros : nonnegs;
    list.push({ zero, b, name });
    return [zero ? 0 : 1, list.length - 1];
  };
  st.rowNames.forEach((name, r) => {
    const [lo, hi] = rowInterval(st.rowTypes[r]!, st.rhs[r]!, st.ranges[r]);
    const ranged = st.ranges[r] !== undefined;
    if (lo === Infinity || hi === -Infinity) {
      throw new ConicFileError('QPS', undefined, `row '${name}' must equal or pass an infinite value (its RHS or RANGES is 1e20 or more in size)`, ['give the row a finite right-hand side; values of 1e20 and above mean "no bound"']);
    }
    if (lo === hi) targets[r]!.push([...add(true, hi, name), 1]);
    else {
      if (hi < Infinity) targets[r]!.push([...add(false, hi, ranged ? `${name}:upper` : name), 1]);
      if (lo > -Infinity) targets[r]!.push([...add(false, -lo, ranged ? `${name}:lower` : name), -1]);
    }
  });
  st.colNames.forEach((name, j) => {
    const lo = st.lower[j]!;
    const hi = st.upper[j]!;
    if (lo === Infinity || hi === -Infinity) {
      throw new ConicFileError('QPS', undefined, `column '${name}' has a lower bound of +infinity or an upper bound of -infinity`, ['bounds of 1e20 and above in size mean "no bound"; give a finite value']);
    }
    if (lo === hi) boundRows.push([...add(true, lo, `${name}:fixed`), j, 1]);
    else {
      if (lo > -Infinity) boundRows.push([...add(false, -lo, `${name}:lower`), j, -1]);
      if (hi < Infinity) boundRows.push([...add(false, hi, `${name}:upper`), j, 1]);
    }
  });
  const offsetOf = (list: 0 | 1, pos: number): number => (list === 0 ? pos : zeros.length + pos);
  const m = zeros.length + nonnegs.length;
  const a = emptyTriplets();
  for (let k = 0; k < st.a.vals.length; k++) {
    for (const [list, pos, sign] of targets[st.a.rows[k]!]!) pushTriplet(a, offsetOf(list, pos), st.a.cols[k]!, sign * st.a.vals[k]!);
  }
  for (const [list, pos, j, sign] of boundRows) pushTriplet(a, offsetOf(list, pos), j, sign);
  const ordered = [...zeros, ...nonnegs];
  const flip = st.sense === 'max' ? -1 : 1;
  const quad = emptyTriplets();
  for (let k = 0; k < st.quad.vals.length; k++) pushTriplet(quad, st.quad.rows[k]!, st.quad.cols[k]!, flip * st.quad.vals[k]!);
  const cones: ConeSpec[] = [];
  if (zeros.length > 0) cones.push({ type: 'zero', dim: zeros.length });
  if (nonnegs.length > 0) cones.push({ type: 'nonnegative', dim: nonnegs.length });
  return {
    problem: {
      P: cscOfTriplets(n, n, quad),
      q: Float64Array.from(st.cost, (c) => flip * c + 0), // + 0 turns -0 into 0
      A: cscOfTriplets(m, n, a),
      b: Float64Array.from(ordered, (d) => d.b + 0),
      cones,
    },
    objectiveOffset: -st.objectiveRhs,
    objectiveSense: st.sense,
    names: { variables: [...st.colNames], rows: ordered.map((d) => d.name) },
    warnings: st.warnings,
  };
}

/** [lower, upper] of a row from its type, right-hand side and optional range (MPS RANGES rules). */
function rowInterval(type: RowType, rhs: number, range: number | undefined): [number, number] {
  if (range === undefined) return type === 'E' ? [rhs, rhs] : type === 'L' ? [-Infinity, rhs] : [rhs, Infinity];
  const r = Math.abs(range);
  if (type === 'L') return [rhs - r, rhs];
  if (type === 'G') return [rhs, rhs + r];
  return range >= 0 ? [rhs, rhs + r] : [rhs - r, rhs];
}

function infiniteBeyond(value: number): number {
  return Math.abs(value) >= INFINITE_BOUND ? Math.sign(value) * Infinity : value;
}

function parseValue(tok: string, no: number): number {
  const v = Number(tok);
  if (!Number.isFinite(v) && !/^[+-]?inf(inity)?$/i.test(tok)) {
    throw new ConicFileError('QPS', no, `expected a number, found '${tok}'`, ['write the value as a decimal number such as 1.5, -.25 or 1e+20']);
  }
  return Number.isFinite(v) ? v : tok.startsWith('-') ? -Infinity : Infinity;
}

function shapeError(no: number, toks: string[], what: string): ConicFileError {
  return new ConicFileError('QPS', no, `expected ${what}, found '${toks.join(' ')}'`, [`write ${what}; names cannot contain spaces in free format`]);
}
