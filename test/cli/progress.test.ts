import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etaText } from '../../src/cli/progress';

test('ETA: remaining units at the average rate so far', () => {
  assert.equal(etaText(10, 1, 4), ', ETA 30s'); // 10 s per unit, 3 left
  assert.equal(etaText(60, 30, 100), ', ETA 2m 20s'); // 2 s per unit, 70 left
  assert.equal(etaText(100, 1, 100), ', ETA 2h 45m'); // 9,900 s
  assert.equal(etaText(5, 0, 10), ''); // no rate yet
  assert.equal(etaText(5, 10, 10), ''); // finished
});
