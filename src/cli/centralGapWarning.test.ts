import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centralGapWarning } from './centralGapWarning.js';

test('the central-gap warning appears beyond 0.1 % of cost or 0.5 % of a DLMP, either sign of the cost gap, and names the fix', () => {
  assert.equal(centralGapWarning({ costGapRelative: 0.001, maxPriceDiffRelative: 0.005 }), null, 'at the limits: no warning');
  assert.equal(centralGapWarning({ costGapRelative: -0.0009, maxPriceDiffRelative: 0 }), null);
  const cost = centralGapWarning({ costGapRelative: -0.0012, maxPriceDiffRelative: 0.001 });
  assert.match(cost ?? '', /^warning: the stopping rule holds but the cost is -0\.1200 % and the DLMPs up to 0\.10 % from the central OPF; tighten --eps-rel/);
  assert.match(centralGapWarning({ costGapRelative: 0, maxPriceDiffRelative: 0.0051 }) ?? '', /cost is \+0\.0000 % and the DLMPs up to 0\.51 %/);
  assert.match(centralGapWarning({ costGapRelative: NaN, maxPriceDiffRelative: 0.01 }) ?? '', /raise --max-iter/);
});
