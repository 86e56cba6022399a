import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../src/sim/simulator';
import { uniformCluster } from '../../src/cluster/spec';
import { makeJob } from '../../src/workload/job';
import { SCHEDULERS, makeScheduler } from '../../src/schedulers/registry';

// Regression: policies that keep their own growable buffers lost queued jobs when the
// queue outgrew the initial capacity (SJF left 128 of 41,226 Philly jobs unfinished).
test('every policy finishes every job when the queue grows to hundreds of jobs', () => {
  const jobs = Array.from({ length: 400 }, (_, i) =>
    makeJob({ id: `j${i}`, submit: i, duration: 50 + ((i * 37) % 91), gpus: 1 + (i % 3) }),
  );
  const cluster = uniformCluster('c', 1, { gpus: 4, cpus: 0, memMiB: 0 });
  for (const name of Object.keys(SCHEDULERS)) {
    const r = simulate(jobs, cluster, makeScheduler(name), { seed: 1 });
    assert.deepEqual(r.counts, { jobs: 400, finished: 400, rejected: 0, unfinished: 0 }, name);
  }
});
