import type { ConeSpec } from '../types.js';
import { ConicFileError } from './conicFileError.js';
import { cscOfTriplets, emptyTriplets, pushTriplet } from './triplets.js';
import type { ParsedConicFile } from './parsedConicFile.js';

/**
 * Reader for the Conic Benchmark Format (CBF, versions 1-3, as CBLIB writes it) restricted to
 * what our solver handles: linear objective, free / L+ / L- / L= / Q / QR domains.
 *
 * CBF states constraints as  g = A x + b in K  and variable domains as x in K; we rewrite both
 * as rows of  A' x + s = b', s in K':
 *   L+, L=, Q, QR rows:  -A x + s = b   (s = Ax + b)
 *   L- rows:              A x + s = -b  (s = -(Ax + b) >= 0)
 *   variable domains:    -x + s = 0 (L+, Q, QR), x + s = 0 (L-), x = 0 (L=).
 * CBF's QR (2 x1 x2 >= |x3..|^2) is our rotatedSecondOrder convention as is.
 */
export function readCbf(text: string): ParsedConicFile {
  const cursor = new CbfCursor(text);
  let sense: 'min' | 'max' = 'min';
  let varBlocks: CbfBlock[] | undefined;
  let conBlocks: CbfBlock[] | undefined;
  let n = 0;
  let m = 0;
  const objective = new Map<number, number>();
  const warnings: string[] = [];
  let objectiveOffset = 0;
  const aEntries: Array<[number, number, number, number]> = [];
  const bEntries: Array<[number, number, number]> = [];

  for (let line = cursor.nextOrEnd(); line; line = cursor.nextOrEnd()) {
    const keyword = line.text.trim();
    switch (keyword) {
      case 'VER': {
        const v = cursor.next('a version number');
        const version = parseIntToken(v.text.trim(), v.no, 'a version number');
        if (version < 1 || version > 3) {
          throw new ConicFileError('CBF', v.no, `unsupported CBF version ${version}`, ['this reader supports CBF versions 1 to 3 (CBLIB\'s continuous SOCP instances)']);
        }
        break;
      }
      case 'OBJSENSE': {
        const s = cursor.next('MIN or MAX');
        const word = s.text.trim().toUpperCase();
        if (word !== 'MIN' && word !== 'MAX') throw expected(s, 'MIN or MAX');
        sense = word === 'MIN' ? 'min' : 'max';
        break;
      }
      case 'VAR': {
        const [count, blocks] = readConeList(cursor, 'VAR');
        n = count;
        varBlocks = blocks;
        break;
      }
      case 'CON': {
        const [count, blocks] = readConeList(cursor, 'CON');
        m = count;
        conBlocks = blocks;
        break;
      }
      case 'OBJACOORD': {
        requireSection(varBlocks, line, 'VAR', keyword);
        for (const [j, val, , no] of readEntriesWithLine(cursor, 1, keyword)) {
          checkIndex(j, n, no, 'variable');
          objective.set(j, (objective.get(j) ?? 0) + val);
        }
        break;
      }
      case 'OBJBCOORD': {
        const v = cursor.next('the objective constant');
        objectiveOffset = parseNumberToken(v.text.trim(), v.no, 'the objective constant');
        break;
      }
      case 'ACOORD': {
        requireSection(varBlocks, line, 'VAR', keyword);
        requireSection(conBlocks, line, 'CON', keyword);
        for (const [i, j, val, no] of readEntriesWithLine(cursor, 2, keyword)) {
          checkIndex(i, m, no, 'constraint');
          checkIndex(j, n, no, 'variable');
          aEntries.push([i, j, val, no]);
        }
        break;
      }
      case 'BCOORD': {
        requireSection(conBlocks, line, 'CON', keyword);
        for (const [i, val, , no] of readEntriesWithLine(cursor, 1, keyword)) {
          checkIndex(i, m, no, 'constraint');
          bEntries.push([i, val, no]);
        }
        break;
      }
      case 'INT': {
        // integer markers: the continuous relaxation is solved (said in a warning)
        requireSection(varBlocks, line, 'VAR', keyword);
        const header = cursor.next('the number of integer variables');
        const count = parseIntToken(header.text.trim(), header.no, 'the number of integer variables');
        for (let k = 0; k < count; k++) {
          const entry = cursor.next(`an integer variable index (${count} declared)`);
          checkIndex(parseIntToken(entry.text.trim(), entry.no, 'a variable index'), n, entry.no, 'variable');
        }
        warnings.push(`INT section (line ${line.no}, ${count} variables) ignored: the continuous relaxation is solved`);
        break;
      }
      case 'PSDVAR':
      case 'PSDCON':
      case 'OBJFCOORD':
      case 'FCOORD':
      case 'HCOORD':
      case 'DCOORD':
        throw new ConicFileError('CBF', line.no, `the file has semidefinite parts (${keyword}), which this solver cannot handle`, [
          'only F, L+, L-, L=, Q and QR domains can be solved; PSD variables and constraints (PSDVAR, PSDCON, *FCOORD, HCOORD, DCOORD) are not supported',
        ]);
      case 'POWCONES':
      case 'POW*CONES':
      case 'CHANGE':
        throw new ConicFileError('CBF', line.no, `unsupported CBF section ${keyword}`, [
          'only F, L+, L-, L=, Q and QR domains can be solved (no power or exponential cones, no problem changes)',
        ]);
      default:
        throw new ConicFileError('CBF', line.no, `unknown CBF keyword '${keyword}'`, [
          'expected one of VER, OBJSENSE, VAR, CON, OBJACOORD, OBJBCOORD, ACOORD, BCOORD',
        ]);
    }
  }
  if (!varBlocks) throw new ConicFileError('CBF', undefined, 'the file has no VAR section', ['add a VAR section declaring the variables and their domains']);
  conBlocks ??= [];

  // Row scale per CBF constraint row: -1 keeps s = Ax + b, +1 flips L- rows to s = -(Ax + b).
  const rowScale = new Float64Array(m).fill(-1);
  for (const block of conBlocks) if (block.cone === 'L-') rowScale.fill(1, block.start, block.start + block.dim);

  const a = emptyTriplets();
  const b = new Float64Array(m + varRowCount(varBlocks));
  for (const [i, j, val] of aEntries) pushTriplet(a, i, j, rowScale[i]! * val);
  for (const [i, val] of bEntries) b[i]! += -rowScale[i]! * val;

  const blocks: Array<{ type: ConeSpec['type']; dim: number }> = [];
  for (const block of conBlocks) blocks.push({ type: coneType(block.cone), dim: block.dim });
  let row = m;
  for (const block of varBlocks) {
    if (block.cone === 'F') continue;
    const sign = block.cone === 'L-' || block.cone === 'L=' ? 1 : -1;
    for (let k = 0; k < block.dim; k++) pushTriplet(a, row + k, block.start + k, sign);
    blocks.push({ type: coneType(block.cone), dim: block.dim });
    row += block.dim;
  }

  const q = new Float64Array(n);
  for (const [j, val] of objective) q[j] = (sense === 'max' ? -val : val) + 0; // + 0 turns -0 into 0
  return {
    problem: {
      P: cscOfTriplets(n, n, emptyTriplets()),
      q,
      A: cscOfTriplets(row, n, a),
      b,
      cones: mergeLinearBlocks(blocks),
    },
    objectiveOffset,
    objectiveSense: sense,
    warnings,
  };
}

type CbfCone = 'F' | 'L+' | 'L-' | 'L=' | 'Q' | 'QR';
interface CbfBlock {
  cone: CbfCone;
  start: number;
  dim: number;
}
interface CbfLine {
  text: string;
  no: number;
}

/** Non-empty, non-comment lines with their 1-based line numbers. */
class CbfCursor {
  private readonly lines: CbfLine[] = [];
  private at = 0;
  constructor(text: string) {
    text.split(/\r?\n/).forEach((raw, k) => {
      const t = raw.trim();
      if (t !== '' && !t.startsWith('#')) this.lines.push({ text: t, no: k + 1 });
    });
  }
  nextOrEnd(): CbfLine | undefined {
    return this.lines[this.at++];
  }
  next(what: string): CbfLine {
    const line = this.lines[this.at++];
    if (!line) throw new ConicFileError('CBF', undefined, `unexpected end of file, expected ${what}`, ['the file looks truncated; check that it was fully downloaded and decompressed']);
    return line;
  }
}

function readConeList(cursor: CbfCursor, section: 'VAR' | 'CON'): [number, CbfBlock[]] {
  const header = cursor.next(`'<count> <number of domains>' after ${section}`);
  const [countTok, kTok, extra] = header.text.split(/\s+/);
  if (countTok === undefined || kTok === undefined || extra !== undefined) throw expected(header, `'<count> <number of domains>' after ${section}`);
  const count = parseIntToken(countTok, header.no, 'a count');
  const k = parseIntToken(kTok, header.no, 'a number of domains');
  const blocks: CbfBlock[] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const line = cursor.next(`'<domain> <dimension>' in ${section}`);
    const [name, dimTok, more] = line.text.split(/\s+/);
    if (name === undefined || dimTok === undefined || more !== undefined) throw expected(line, `'<domain> <dimension>' in ${section}`);
    const dim = parseIntToken(dimTok, line.no, 'a domain dimension');
    const cone = parseCone(name, line.no);
    if ((cone === 'Q' && dim < 1) || (cone === 'QR' && dim < 2) || dim < 1) {
      throw new ConicFileError('CBF', line.no, `domain ${cone} of dimension ${dim} is too small`, ['Q needs dimension >= 1 and QR dimension >= 2']);
    }
    blocks.push({ cone, start, dim });
    start += dim;
  }
  if (start !== count) {
    throw new ConicFileError('CBF', header.no, `${section} declares ${count} entries but its domains cover ${start}`, ['make the domain dimensions add up to the declared count']);
  }
  return [count, blocks];
}

function parseCone(name: string, no: number): CbfCone {
  if (name === 'F' || name === 'L+' || name === 'L-' || name === 'L=' || name === 'Q' || name === 'QR') return name;
  throw new ConicFileError('CBF', no, `unsupported domain '${name}'`, ['only F, L+, L-, L=, Q and QR domains can be solved (no exponential, power or PSD cones)']);
}

function coneType(cone: CbfCone): ConeSpec['type'] {
  switch (cone) {
    case 'L=':
      return 'zero';
    case 'Q':
      return 'secondOrder';
    case 'QR':
      return 'rotatedSecondOrder';
    default:
      return 'nonnegative';
  }
}

function varRowCount(blocks: CbfBlock[]): number {
  return blocks.reduce((sum, block) => sum + (block.cone === 'F' ? 0 : block.dim), 0);
}

/** Adjacent zero or nonnegative blocks become one block; cone blocks stay separate. */
export function mergeLinearBlocks(blocks: Array<{ type: ConeSpec['type']; dim: number }>): ConeSpec[] {
  const out: ConeSpec[] = [];
  for (const block of blocks) {
    const last = out[out.length - 1];
    if (last && last.type === block.type && (block.type === 'zero' || block.type === 'nonnegative')) last.dim += block.dim;
    else out.push({ type: block.type, dim: block.dim } as ConeSpec);
  }
  return out;
}

/** Yields [i, val, 0, line] for one index, [i, j, val, line] for two. */
function* readEntriesWithLine(cursor: CbfCursor, indexCount: 1 | 2, section: string): Generator<[number, number, number, number]> {
  const header = cursor.next(`the number of ${section} entries`);
  const nnz = parseIntToken(header.text.trim(), header.no, `the number of ${section} entries`);
  const shape = indexCount === 1 ? "'<index> <value>'" : "'<row> <column> <value>'";
  for (let k = 0; k < nnz; k++) {
    const line = cursor.next(`${shape} in ${section} (${nnz} entries declared)`);
    const toks = line.text.split(/\s+/);
    if (toks.length !== indexCount + 1) throw expected(line, `${shape} in ${section}`);
    const i = parseIntToken(toks[0]!, line.no, 'an index');
    if (indexCount === 1) yield [i, parseNumberToken(toks[1]!, line.no, 'a value'), 0, line.no];
    else yield [i, parseIntToken(toks[1]!, line.no, 'an index'), parseNumberToken(toks[2]!, line.no, 'a value'), line.no];
  }
}

function requireSection(blocks: CbfBlock[] | undefined, line: CbfLine, needed: string, section: string): void {
  if (!blocks) throw new ConicFileError('CBF', line.no, `${section} comes before ${needed}`, [`put the ${needed} section before ${section}`]);
}

function checkIndex(index: number, size: number, no: number, what: string): void {
  if (index < 0 || index >= size) {
    throw new ConicFileError('CBF', no, `${what} index ${index} is out of range 0..${size - 1}`, [`use 0-based ${what} indices below ${size}`]);
  }
}

function expected(line: CbfLine, what: string): ConicFileError {
  return new ConicFileError('CBF', line.no, `expected ${what}, found '${line.text}'`, [`write ${what} on this line`]);
}

function parseIntToken(tok: string, no: number, what: string): number {
  if (!/^[+-]?\d+$/.test(tok)) throw new ConicFileError('CBF', no, `expected ${what}, found '${tok}'`, [`write ${what} as a whole number`]);
  return Number(tok);
}

function parseNumberToken(tok: string, no: number, what: string): number {
  const v = Number(tok);
  if (tok === '' || !Number.isFinite(v)) throw new ConicFileError('CBF', no, `expected ${what}, found '${tok}'`, [`write ${what} as a finite decimal number`]);
  return v;
}
