import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gymSeedKey } from '../../src/rlsched/seeding';
import { sampleStarts, startIndexRange } from '../../src/rlsched/sequences';

test('gym 0.12.5 seeding: seed 1 → init_by_array key [2739863373, 598274112]', () => {
  assert.deepEqual(gymSeedKey(1), [2739863373, 598274112]);
});

test('sequence starts reproduce the spec vectors (seed 1 L 1024, seed 1 L 2048, seed 0 L 256)', () => {
  assert.deepEqual(
    sampleStarts(10000, { seqLen: 1024, iters: 10, seed: 1, slice: 0 }),
    [1981, 2756, 4299, 8850, 3316, 2714, 5228, 7762, 4022, 7085],
  );
  assert.deepEqual(
    sampleStarts(10000, { seqLen: 2048, iters: 10, seed: 1, slice: 0 }),
    [3005, 3780, 5323, 4340, 3738, 6252, 5046, 3278, 2636, 3148],
  );
  assert.deepEqual(sampleStarts(10000, { seqLen: 256, iters: 5, seed: 0, slice: 0 }), [2928, 6734, 7494, 1339, 2493]);
});

test('the slice bounds the start range exactly like the trace size does', () => {
  assert.deepEqual(startIndexRange(202871, { seqLen: 1024, slice: 10000 }), [1024, 8975]);
  assert.deepEqual(
    sampleStarts(202871, { seqLen: 1024, iters: 10, seed: 1, slice: 10000 }),
    sampleStarts(10000, { seqLen: 1024, iters: 10, seed: 1, slice: 0 }),
  );
  assert.throws(() => sampleStarts(2000, { seqLen: 1024, iters: 1, seed: 1, slice: 0 }), /empty/);
  assert.throws(() => sampleStarts(3000, { seqLen: 10, iters: 1, seed: 1, slice: 4000 }), /exceeds/);
  assert.throws(() => gymSeedKey(-1), RangeError);
});
