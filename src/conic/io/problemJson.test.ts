import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConicFileError } from './conicFileError.js';
import { readProblemJson, writeProblemJson } from './problemJson.js';
import { readQps } from './readQps.js';
import { toDense } from './toDense.js';

test('problem JSON round-trips a parsed problem', () => {
  const { problem } = readQps('NAME t\nROWS\n N obj\n L r\nCOLUMNS\n    x obj 1 r 2\n    y r 3\nRHS\n    RHS r 4\nQUADOBJ\n    x y 0.5\n    y y 1\nENDATA\n');
  const back = readProblemJson(writeProblemJson(problem));
  assert.deepEqual(toDense(back.P), toDense(problem.P));
  assert.deepEqual(toDense(back.A), toDense(problem.A));
  assert.deepEqual(back.q, problem.q);
  assert.deepEqual(back.b, problem.b);
  assert.deepEqual(back.cones, problem.cones);
});

test('problem JSON rejects inconsistent documents', () => {
  const good = JSON.parse(writeProblemJson(readQps('NAME t\nROWS\n N obj\n L r\nCOLUMNS\n    x obj 1 r 2\nENDATA\n').problem));
  const bad = (mutate: (d: any) => void): void => {
    const d = structuredClone(good);
    mutate(d);
    assert.throws(() => readProblemJson(JSON.stringify(d)), ConicFileError);
  };
  bad((d) => (d.format = 'other'));
  bad((d) => (d.cones = [{ type: 'zero', dim: 1 }]));
  bad((d) => (d.A.rows[0] = 9));
  bad((d) => (d.b = [1]));
  bad((d) => (d.cones[0].type = 'psd'));
  assert.throws(() => readProblemJson('{'), ConicFileError);
});
