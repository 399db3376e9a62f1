import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLayers } from './checkLayers.js';
import { packageRoot } from '../src/core/paths.js';

test('src/ follows the layer table of docs/architecture.md', () => {
  assert.deepEqual(checkLayers(packageRoot()), []);
});
