import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEDULERS, SCHEDULER_NAMES, makeScheduler } from '../../src/schedulers/registry';
import { UsageError } from '../../src/util/errors';

const EXPECTED = [
  'random',
  'fifo',
  'fifo-skip',
  'sjf',
  'sjf-estimate',
  'srtf',
  'srtf-estimate',
  'qssf',
  'las',
  'tiresias',
  'gittins',
  'tetris',
  'drf',
  'easy',
  'conservative',
  'bestfit',
  'wfp3',
  'unicep',
];

test('registry: every short name builds a scheduler with that name and the declared preemptiveness', () => {
  assert.deepEqual([...SCHEDULER_NAMES].sort(), [...EXPECTED].sort());
  for (const name of EXPECTED) {
    const s = makeScheduler(name);
    assert.equal(s.name, name);
    assert.equal(s.preemptive, SCHEDULERS[name].preemptive, name);
    assert.ok(SCHEDULERS[name].description.length > 0);
  }
  // Every CLI example name resolves.
  for (const name of 'fifo,sjf,srtf,tiresias,tetris,drf,easy'.split(',')) makeScheduler(name);
});

test('registry: an unknown name is a UsageError listing the valid names', () => {
  assert.throws(
    () => makeScheduler('sfj'),
    (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.match(e.message, /unknown policy "sfj"/);
      for (const name of EXPECTED) assert.ok(e.message.includes(name), name);
      return true;
    },
  );
  assert.throws(() => makeScheduler('toString'), UsageError);
});

test('registry: options are validated and reach the policy', () => {
  assert.equal(makeScheduler('las', { tickInterval: 30 }).tickInterval, 30);
  assert.equal(makeScheduler('tiresias').tickInterval, 60);
  assert.throws(() => makeScheduler('las', { tickInterval: -1 }), UsageError);
  assert.throws(() => makeScheduler('tiresias', { thresholds: [10, 5] }), UsageError);
  assert.equal(makeScheduler('bestfit').placement, 'best-fit');
});
