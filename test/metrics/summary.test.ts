import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { summarize, SUMMARY_COLUMNS } from '../../src/metrics/summary';
import { JobStatus } from '../../src/sim/result';
import { UsageError } from '../../src/util/errors';
import { buildResult, sixJobs } from './build-result';

const close = (actual: number, expected: number, eps = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);

describe('summarize on six hand-built jobs', () => {
  const s = summarize(sixJobs());

  test('counts finished / rejected / unfinished', () => {
    assert.deepEqual([s.jobs, s.finished, s.rejected, s.unfinished], [6, 4, 1, 1]);
  });

  test('JCT over finished jobs: [0, 10, 20, 20]', () => {
    close(s.jctMean, 12.5);
    close(s.jctP50, 15); // h = 1.5 -> 10 + 0.5 * 10
    close(s.jctP95, 20);
    close(s.jctP99, 20);
    close(s.jctMax, 20);
  });

  test('queueing delay over finished jobs: [0, 0, 0, 15]', () => {
    close(s.queueMean, 3.75);
    close(s.queueP50, 0);
    close(s.queueP95, 12.75); // h = 2.85 -> 0 + 0.85 * 15
    close(s.queueP99, 14.55);
  });

  test('slowdown skips the duration-0 job: [1, 1, 4]', () => {
    assert.equal(s.slowdownExcluded, 1);
    close(s.slowdownMean, 2);
    close(s.slowdownP50, 1);
    close(s.slowdownP95, 3.7);
    close(s.slowdownP99, 3.94);
  });

  test('bounded slowdown, tau = 10: [1, 1, 2, 1]', () => {
    assert.equal(s.tau, 10);
    close(s.bsldMean, 1.25);
    close(s.bsldP50, 1);
    close(s.bsldP95, 1.85);
    close(s.bsldP99, 1.97);
  });

  test('makespan and time-weighted utilisation over [0, 25]', () => {
    close(s.makespan, 25);
    close(s.utilGpu, 80 / 100); // 4*10 + 2*10 + 4*5 GPU·s over 25 s × 4 GPUs
    close(s.utilCpu, 80 / 200); // 4*10 + 2*10 + 4*5 over 25 × 8 (zero-length segment adds 0)
    close(s.utilMem, 700 / 2500);
  });

  test("Jain's index per job and per group", () => {
    close(s.jainJobs, 25 / 28); // (1+1+2+1)^2 / (4 * 7)
    close(s.jainGroups, 6.25 / 6.5); // groups u1: 1.5, u2: 1
    assert.equal(s.groups, 2);
  });

  test('finish-time fairness rho', () => {
    // a: 10 / (10 * 2.5*2/4) = 0.8; b: 20 / (20 * 2.25*2/4) = 8/9; c: 20 / (5 * 2.25*4/4) = 16/9
    close(s.ftfMean, 52 / 45);
    close(s.ftfMax, 16 / 9);
    close(s.ftfUnfair, 1 / 3);
  });

  test('preemptions: finished jobs for mean / max, all window jobs for the total', () => {
    close(s.preemptMean, 0.25);
    assert.equal(s.preemptMax, 1);
    assert.equal(s.preemptTotal, 3);
  });

  test('the record has exactly the SUMMARY_COLUMNS keys, in order, all numbers', () => {
    assert.deepEqual(
      Object.keys(s),
      SUMMARY_COLUMNS.map((c) => c.key),
    );
    for (const v of Object.values(s)) assert.equal(typeof v, 'number');
  });
});

describe('summarize options', () => {
  test('window [2, 4) keeps jobs c and d and their span [5, 25]', () => {
    const s = summarize(sixJobs(), { window: { from: 2, to: 4 } });
    assert.deepEqual([s.jobs, s.finished, s.rejected, s.unfinished], [2, 2, 0, 0]);
    close(s.jctMean, 10);
    close(s.makespan, 20);
    close(s.utilGpu, 60 / 80); // 4*5 + 2*10 + 4*5 over 20 s × 4 GPUs
    assert.equal(s.preemptTotal, 1);
    assert.deepEqual([s.windowFrom, s.windowTo], [2, 4]);
  });

  test('tau changes bounded slowdown only', () => {
    const s = summarize(sixJobs(), { tau: 1 });
    // a 1, b 1, c 20/5 = 4, d 0/1 -> 1
    close(s.bsldMean, 7 / 4);
    close(s.slowdownMean, 2);
  });

  test('bad windows are usage errors', () => {
    assert.throws(() => summarize(sixJobs(), { window: { from: 3, to: 2 } }), UsageError);
    assert.throws(() => summarize(sixJobs(), { window: { from: 0, to: 7 } }), UsageError);
    assert.throws(() => summarize(sixJobs(), { window: { from: 0.5, to: 2 } }), UsageError);
  });

  test('no finished job: latency metrics are NaN, counts still exact', () => {
    const r = buildResult(
      [{ id: 'x', submit: 1, duration: 5, gpus: 1, state: JobStatus.Rejected }],
      { gpus: 1, cpus: 1, memMiB: 1 },
      { time: [0], gpus: [0], cpus: [0], memMiB: [0] },
    );
    const s = summarize(r);
    assert.deepEqual([s.jobs, s.finished, s.rejected, s.unfinished], [1, 0, 1, 0]);
    for (const k of [
      'jctMean',
      'jctP99',
      'queueMean',
      'makespan',
      'utilGpu',
      'jainJobs',
      'jainGroups',
      'ftfMean',
      'preemptMean',
    ] as const)
      assert.ok(Number.isNaN(s[k]), `${k} should be NaN, got ${s[k]}`);
    assert.equal(s.groups, 0);
  });
});

describe('scale', () => {
  test('1e5 jobs summarise in well under 2 s', () => {
    const n = 100_000;
    const outcomes = [];
    for (let i = 0; i < n; i++) {
      const submit = i;
      const start = submit + (i % 7);
      const duration = 1 + (i % 100);
      outcomes.push({
        id: `j${i}`,
        submit,
        duration,
        gpus: 1,
        group: `g${i % 50}`,
        start,
        finish: start + duration,
        state: JobStatus.Finished,
      });
    }
    const times = Array.from({ length: n }, (_, i) => i);
    const r = buildResult(
      outcomes,
      { gpus: 128, cpus: 1, memMiB: 1 },
      {
        time: times,
        gpus: times.map((i) => i % 128),
        cpus: times.map(() => 0),
        memMiB: times.map(() => 0),
      },
    );
    const s = summarize(r);
    assert.equal(s.finished, n);
    close(s.queueMean, (0 + 1 + 2 + 3 + 4 + 5 + 6) / 7, 1e-3);
  });
});
