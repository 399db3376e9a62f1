import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConicFileError } from './conicFileError.js';
import { objectiveInFileSense } from './parsedConicFile.js';
import { readQps } from './readQps.js';
import { toDense } from './toDense.js';

// min x^2 + x*y + y^2 + 2x - 3 (constant: objective RHS 3) s.t. x + y = 1, x - y <= 2, 0.5 <= x + 2y (range 4)
const small = `NAME          SMALL
* a comment line
ROWS
 N  obj
 E  c1
 L  c2
 G  c3
COLUMNS
    x         obj       2.0        c1        1.0
    x         c2        1.0        c3        1.0
    y         c1        1.0        c2        -1.
    y         c3        2.
RHS
    rhs       obj       3.0        c1        1.0
    rhs       c2        2.0        c3        .5
RANGES
    rng       c3        4
BOUNDS
 UP bnd       x         4.0
 MI bnd       y
QUADOBJ
    x         x         2.0
    x         y         1.0
    y         y         2.0
ENDATA
`;

test('QPS rows, ranges, bounds, objective constant and QUADOBJ map to zero then nonnegative rows', () => {
  const parsed = readQps(small);
  const { problem, names } = parsed;
  assert.equal(parsed.objectiveSense, 'min');
  assert.equal(parsed.objectiveOffset, -3);
  assert.deepEqual(names?.variables, ['x', 'y']);
  assert.deepEqual(names?.rows, ['c1', 'c2', 'c3:upper', 'c3:lower', 'x:lower', 'x:upper']);
  assert.deepEqual(problem.cones, [{ type: 'zero', dim: 1 }, { type: 'nonnegative', dim: 5 }]);
  assert.deepEqual(toDense(problem.A), [
    [1, 1],
    [1, -1],
    [1, 2],
    [-1, -2],
    [-1, 0],
    [1, 0],
  ]);
  assert.deepEqual(Array.from(problem.b), [1, 2, 4.5, -0.5, 0, 4]);
  assert.deepEqual(Array.from(problem.q), [2, 0]);
  assert.deepEqual(toDense(problem.P), [[2, 1], [0, 2]]);
  assert.equal(objectiveInFileSense(parsed, 1), -2);
});

test('QMATRIX gives both triangles; FX, FR, PL, LO, negative UP; OBJSENSE MAX; range signs on E rows', () => {
  const text = `NAME
OBJSENSE
    MAX
ROWS
 N  cost
 E  e1
 E  e2
COLUMNS
    a  cost  1   e1  1
    b  e1  1   e2  1
    c  e2  1
    d  e2  1
    f  e2  1
RHS
    e1  2   e2  5
RANGES
    e1  3   e2  -1
BOUNDS
 FX BND a 1.5
 FR BND b
 LO BND c -2
 PL BND c
 UP BND d -1
 UP BND f 1e30
QMATRIX
    a  a  -2
    a  b  -1
    b  a  -1
ENDATA
`;
  const parsed = readQps(text);
  const { problem, names } = parsed;
  assert.equal(parsed.objectiveSense, 'max');
  assert.deepEqual(Array.from(problem.q), [-1, 0, 0, 0, 0]);
  assert.deepEqual(toDense(problem.P), [[2, 1], [0, 0]].map((r) => [...r, 0, 0, 0]).concat([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]));
  assert.deepEqual(names?.rows, ['a:fixed', 'e1:upper', 'e1:lower', 'e2:upper', 'e2:lower', 'c:lower', 'd:upper', 'f:lower']);
  // e1 in [2, 5] (positive range on E), e2 in [4, 5] (negative range on E).
  assert.deepEqual(Array.from(problem.b), [1.5, 5, -2, 5, -4, 2, -1, 0]);
  assert.ok(parsed.warnings.some((w) => /negative upper bound on 'd'/.test(w)));
});

test('QPS tolerates integrality markers with a warning and extra free rows', () => {
  const text = `NAME t
ROWS
 N obj
 N spare
 L r
COLUMNS
    MARKER                 'MARKER'                 'INTORG'
    x  obj  1  r  1
    x  spare 5
    MARKER                 'MARKER'                 'INTEND'
RHS
    RHS  r  1
ENDATA
`;
  const parsed = readQps(text);
  assert.equal(parsed.warnings.length, 2);
  assert.deepEqual(Array.from(parsed.problem.b), [1, 0]);
});

function errorOf(text: string): ConicFileError {
  try {
    readQps(text);
  } catch (e) {
    assert.ok(e instanceof ConicFileError, String(e));
    return e;
  }
  assert.fail('expected a ConicFileError');
}

test('QPS errors name the line and what was expected', () => {
  const head = 'NAME t\nROWS\n N obj\n L r\nCOLUMNS\n    x obj 1 r 1\n';
  assert.match(errorOf(head + 'RHS\n    RHS q 1\n').message, /QPS line 8: unknown row 'q'/);
  assert.match(errorOf(head + 'BOUNDS\n SC BND x 1\n').message, /QPS line 8: unsupported bound type SC/);
  assert.match(errorOf(head + 'BOUNDS\n LO BND x 1e30\n').message, /column 'x' has a lower bound of \+infinity/);
  assert.match(errorOf('NAME t\nROWS\n N obj\n E r\nCOLUMNS\n    x obj 1 r 1\nRHS\n    RHS r 1e20\n').message, /row 'r' must equal or pass an infinite value/);
  assert.match(errorOf(head + 'BOUNDS\n UP BND y 1\n').message, /QPS line 8: unknown column 'y'/);
  assert.match(errorOf(head + 'BOUNDS\n XX BND x 1\n').message, /line 8: unknown bound type 'XX'/);
  assert.match(errorOf(head + 'QUADOBJ\n    x x\n').message, /line 8: expected '<column> <column> <value> \[<column> <value>\]' in QUADOBJ/);
  assert.match(errorOf(head + 'QUADOBJ\n    x x abc\n').message, /line 8: expected a number, found 'abc'/);
  assert.match(errorOf('NAME t\nROWS\n Q obj\n').message, /line 3: unknown row type 'Q'/);
  assert.match(errorOf('NAME t\nROWS\n N obj\nCOLUMNS\n    x obj\n').message, /line 5: expected '<column> <row> <value>/);
  assert.match(errorOf('NAME t\nFOO\n').message, /line 2: unknown section header 'FOO'/);
  assert.match(errorOf('NAME t\nQCMATRIX r\n').message, /line 2: unsupported section QCMATRIX/);
  assert.match(errorOf('NAME t\nROWS\n L r\n L r\n').message, /line 4: row 'r' is declared twice/);
  assert.match(errorOf(head + 'RANGES\n    RNG obj 1\n').message, /line 8: the objective row 'obj' cannot have a range/);
});

test('QPS: 1e20 and above means no bound; BV, LI and UI are read as continuous bounds with a warning', () => {
  const text = [
    'NAME t', 'ROWS', ' N obj', ' L a', ' G b', ' E c', 'COLUMNS',
    '    x obj 1 a 1', '    x b 1 c 1', '    y obj 1 c 1', '    z obj 1 c 1',
    'RHS', '    RHS a 1e30 b -1e21', '    RHS c 2', 'RANGES', '    RNG c 1e20',
    'BOUNDS', ' BV BND x', ' LI BND y -2', ' UI BND y 3', ' UP BND z 1e25', 'ENDATA',
  ].join('\n');
  const parsed = readQps(text);
  // a and b lose both sides and vanish; c (E, infinite range) keeps only its lower side rhs
  assert.deepEqual(parsed.names!.rows, ['c:lower', 'x:lower', 'x:upper', 'y:lower', 'y:upper', 'z:lower']);
  assert.equal(parsed.problem.cones[0]!.type, 'nonnegative');
  assert.ok(parsed.warnings.some((w) => /integer bound BV on 'x'/.test(w)));
});

test('QPS: a QUADOBJ line may carry two entries for the same first column', () => {
  const one = readQps('NAME t\nROWS\n N obj\nCOLUMNS\n    x obj 1\n    y obj 1\nQUADOBJ\n    x x 2\n    x y 0.5\n    y y 3\nENDATA\n');
  const two = readQps('NAME t\nROWS\n N obj\nCOLUMNS\n    x obj 1\n    y obj 1\nQUADOBJ\n    x x 2 y 0.5\n    y y 3\nENDATA\n');
  assert.deepEqual(Array.from(two.problem.P.nzval), Array.from(one.problem.P.nzval));
  assert.deepEqual(Array.from(two.problem.P.rowval), Array.from(one.problem.P.rowval));
});

