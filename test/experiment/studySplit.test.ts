import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeJob, type Job } from '../../src/workload/job';
import {
  groupsByGpuHours,
  jobWindows,
  scaledSplitJobs,
  splitOfferedLoad,
  timeSplits,
} from '../../src/experiment/studySplit';

const job = (id: string, submit: number, duration = 100, gpus = 1, group = 'vc'): Job =>
  makeJob({ id, submit, duration, gpus, group });

describe('timeSplits', () => {
  test('cuts the span 60/10/30 by submit time (hand-computed)', () => {
    // span [0, 100]: train [0, 60), validation [60, 70), test [70, 100]
    const jobs = [0, 10, 59.9, 60, 65, 69.99, 70, 99, 100].map((t, i) => job(`j${i}`, t));
    const s = timeSplits([...jobs].reverse());
    assert.deepEqual(
      s.train.jobs.map((j) => j.submit),
      [0, 10, 59.9],
    );
    assert.deepEqual(
      s.validation.jobs.map((j) => j.submit),
      [60, 65, 69.99],
    );
    assert.deepEqual(
      s.test.jobs.map((j) => j.submit),
      [70, 99, 100],
    );
    assert.equal(s.validation.from, 60);
    assert.equal(s.validation.to, 70);
  });

  test('property: the splits partition the jobs and are ordered in time', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 2, maxLength: 200 }), (times) => {
        fc.pre(new Set(times).size > 1);
        const jobs = times.map((t, i) => job(`j${i}`, t));
        const s = timeSplits(jobs);
        const all = [...s.train.jobs, ...s.validation.jobs, ...s.test.jobs];
        assert.equal(all.length, jobs.length);
        assert.equal(new Set(all.map((j) => j.id)).size, jobs.length);
        const maxTrain = Math.max(-Infinity, ...s.train.jobs.map((j) => j.submit));
        const minVal = Math.min(Infinity, ...s.validation.jobs.map((j) => j.submit));
        const maxVal = Math.max(-Infinity, ...s.validation.jobs.map((j) => j.submit));
        const minTest = Math.min(Infinity, ...s.test.jobs.map((j) => j.submit));
        assert.ok(maxTrain < s.validation.from && minVal >= s.validation.from);
        assert.ok(maxVal < s.test.from && minTest >= s.test.from);
      }),
    );
  });

  test('rejects bad fractions and degenerate spans', () => {
    assert.throws(() => timeSplits([job('a', 0), job('b', 1)], [0.5, 0.5, 0.5]), /sum to 1/);
    assert.throws(() => timeSplits([job('a', 5), job('b', 5)]), /same submit time/);
    assert.throws(() => timeSplits([job('a', 5)]), /at least 2/);
  });
});

describe('scaling and offered load', () => {
  test('rebases on the split start and divides by the arrival scale', () => {
    const s = timeSplits([0, 50, 60, 64, 70, 100].map((t, i) => job(`j${i}`, t)));
    assert.deepEqual(
      scaledSplitJobs(s.validation, 4).map((j) => j.submit),
      [0, 1],
    );
  });

  test('offered load = GPU-seconds / (GPUs × scaled split length), hand-computed', () => {
    // test split [70, 100]: jobs at 70 (100 s × 2 GPUs) and 100 (50 s × 1 GPU) = 250 GPU-s
    const jobs = [job('a', 0), job('b', 70, 100, 2), job('c', 100, 50, 1)];
    const s = timeSplits(jobs);
    assert.equal(splitOfferedLoad(s.test, 10, 1), 250 / (10 * 30));
    assert.equal(splitOfferedLoad(s.test, 10, 3), 250 / (10 * 10));
  });

  test('groups ranked by GPU-hours', () => {
    const jobs = [job('a', 0, 3600, 2, 'x'), job('b', 0, 3600, 1, 'y'), job('c', 1, 7200, 2, 'y')];
    assert.deepEqual(groupsByGpuHours(jobs), [
      { group: 'y', jobs: 2, gpuHours: 5 },
      { group: 'x', jobs: 1, gpuHours: 2 },
    ]);
  });

  test('job windows: consecutive, strided, rebased', () => {
    const jobs = [10, 20, 30, 40, 50].map((t, i) => job(`j${i}`, t));
    const w = jobWindows(jobs, 3, 2);
    assert.deepEqual(
      w.map((x) => x.map((j) => j.id)),
      [
        ['j0', 'j1', 'j2'],
        ['j2', 'j3', 'j4'],
      ],
    );
    assert.deepEqual(
      w[1].map((j) => j.submit),
      [0, 10, 20],
    );
    assert.equal(jobWindows(jobs.slice(0, 2), 3, 1).length, 1);
  });
});
