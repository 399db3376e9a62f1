import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConicInputError } from '../conicInputError.js';
import { ConicFileError } from './conicFileError.js';
import { objectiveInFileSense } from './parsedConicFile.js';
import { readCbf } from './readCbf.js';
import { toDense } from './toDense.js';

const socp = `# x0 >= |x1 - 1|, minimize x0 (a CBF constraint block and a free variable block)
VER
3

OBJSENSE
MIN

VAR
2 1
F 2

CON
3 2
L= 1
Q 2

OBJACOORD
1
0 1.0

ACOORD
3
0 1 1.0
1 0 1.0
2 1 1.0

BCOORD
1
0 -1.0
`;

test('CBF constraint rows Ax + b in K become -A x + s = b', () => {
  const { problem, objectiveSense, objectiveOffset } = readCbf(socp);
  assert.equal(objectiveSense, 'min');
  assert.equal(objectiveOffset, 0);
  assert.deepEqual(Array.from(problem.q), [1, 0]);
  assert.deepEqual(toDense(problem.A), [[0, -1], [-1, 0], [0, -1]]);
  assert.deepEqual(Array.from(problem.b), [-1, 0, 0]);
  assert.deepEqual(problem.cones, [{ type: 'zero', dim: 1 }, { type: 'secondOrder', dim: 2 }]);
});

test('CBF variable domains become rows and L- flips signs', () => {
  const text = `VER
1
OBJSENSE
MAX
VAR
6 4
L+ 1
L- 1
QR 3
L= 1
CON
2 2
L- 1
L+ 1
OBJACOORD
2
0 2
1 -3
OBJBCOORD
7.5
ACOORD
2
0 0 4
1 1 5
BCOORD
2
0 1
1 2
`;
  const parsed = readCbf(text);
  const { problem } = parsed;
  assert.equal(parsed.objectiveSense, 'max');
  assert.deepEqual(Array.from(problem.q), [-2, 3, 0, 0, 0, 0]);
  assert.equal(objectiveInFileSense(parsed, -10), 17.5);
  const A = toDense(problem.A);
  // L- constraint keeps A and negates b; L+ constraint negates A.
  assert.deepEqual(A[0], [4, 0, 0, 0, 0, 0]);
  assert.deepEqual(A[1], [0, -5, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(problem.b), [-1, 2, 0, 0, 0, 0, 0, 0]);
  // Variable domains: L+ -> -x0 + s = 0; L- -> x1 + s = 0; QR -> -x + s = 0; L= -> x5 = 0.
  assert.deepEqual(A[2], [-1, 0, 0, 0, 0, 0]);
  assert.deepEqual(A[3], [0, 1, 0, 0, 0, 0]);
  assert.deepEqual(A[4], [0, 0, -1, 0, 0, 0]);
  assert.deepEqual(A[7], [0, 0, 0, 0, 0, 1]);
  assert.deepEqual(problem.cones, [
    { type: 'nonnegative', dim: 4 },
    { type: 'rotatedSecondOrder', dim: 3 },
    { type: 'zero', dim: 1 },
  ]);
});

function errorOf(text: string): ConicFileError {
  try {
    readCbf(text);
  } catch (e) {
    assert.ok(e instanceof ConicFileError, String(e));
    return e;
  }
  assert.fail('expected a ConicFileError');
}

test('CBF rejects unsupported parts naming the line', () => {
  const exp = errorOf('VER\n3\nVAR\n3 1\nEXP 3\n');
  assert.equal(exp.line, 5);
  assert.match(exp.message, /CBF line 5: unsupported domain 'EXP'/);
  assert.match(errorOf('VER\n3\nPSDVAR\n1\n2\n').message, /line 3: the file has semidefinite parts \(PSDVAR\)/);
  assert.match(errorOf('VER\n3\nVAR\n1 1\nF 1\nCON\n1 1\nL= 1\nHCOORD\n0\n').message, /line 9: the file has semidefinite parts \(HCOORD\)/);
  assert.match(errorOf('VER\n3\nVAR\n1 1\nF 1\nINT\n1\n4\n').message, /line 8: variable index 4 is out of range/);
  assert.match(errorOf('VER\n4\n').message, /line 2: unsupported CBF version 4/);
  assert.match(errorOf('VER\n3\nVAR\n1 1\n@1:POW 3\n').message, /line 5: unsupported domain/);
});

test('CBF integer markers are ignored with a warning (the relaxation is solved)', () => {
  const parsed = readCbf('VER\n3\nVAR\n2 1\nL+ 2\nINT\n1\n1\nOBJACOORD\n2\n0 1\n1 1\n');
  assert.equal(parsed.problem.q.length, 2);
  assert.equal(parsed.warnings.length, 1);
  assert.match(parsed.warnings[0]!, /INT section \(line 6, 1 variables\) ignored/);
});

test('CBF malformed input names the line and what was expected', () => {
  assert.match(errorOf('VER\n3\nVAR\n2 1\nF 3\n').message, /line 4: VAR declares 2 entries but its domains cover 3/);
  assert.match(errorOf('VER\n3\nVAR\n1 1\nF 1\nOBJACOORD\n1\n0 x\n').message, /line 8: expected a value, found 'x'/);
  assert.match(errorOf('VER\n3\nVAR\n1 1\nF 1\nOBJACOORD\n1\n3 1\n').message, /line 8: variable index 3 is out of range/);
  assert.match(errorOf('VER\n3\nVAR\n1 1\nF 1\nACOORD\n1\n0 0 1\n').message, /line 6: ACOORD comes before CON/);
  assert.match(errorOf('VER\n3\nVAR\n1 1\nF 1\nOBJACOORD\n2\n0 1\n').message, /unexpected end of file/);
  assert.match(errorOf('VER\n3\nBOGUS\n').message, /line 3: unknown CBF keyword 'BOGUS'/);
  const e = errorOf('VER\n3\nVAR\n1 1\nF 1\nOBJACOORD\n1\n0 x\n');
  assert.ok(e instanceof ConicInputError);
  assert.equal(e.field, 'CBF line 8');
  assert.ok(e.fix.length > 0);
});
