import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../src/sim/simulator';
import { uniformCluster } from '../../src/cluster/spec';
import { makeJob, type Job } from '../../src/workload/job';
import { fifo } from '../../src/schedulers/fifo';
import { JobStatus } from '../../src/sim/result';

const job = (id: string, submit: number, duration: number, gpus: number): Job =>
  makeJob({ id, submit, duration, gpus });

test('FIFO on one 4-GPU node: hand-computed start and finish times', () => {
  // t=0 A(2 GPU, 10 s) starts; t=1 B(4 GPU) blocks; C(1 GPU) waits behind B (strict FIFO).
  // t=10 A ends -> B starts, ends 15; C starts 15, ends 18.
  const jobs = [job('A', 0, 10, 2), job('B', 1, 5, 4), job('C', 2, 3, 1)];
  const r = simulate(jobs, uniformCluster('n', 1, { gpus: 4, cpus: 0, memMiB: 0 }), fifo(), { debug: true });
  assert.deepEqual([...r.start], [0, 10, 15]);
  assert.deepEqual([...r.finish], [10, 15, 18]);
  assert.deepEqual(r.counts, { jobs: 3, finished: 3, rejected: 0, unfinished: 0 });
  assert.equal(r.endTime, 18);
  // usage: 2 GPUs [0,10), 4 GPUs [10,15), 1 GPU [15,18), 0 after.
  assert.deepEqual([...r.timeline.time], [0, 10, 15, 18]);
  assert.deepEqual([...r.timeline.gpus], [2, 4, 1, 0]);
});

test('a job larger than the cluster is an error naming file:line, or a counted rejection', () => {
  const big = makeJob({ id: 'X', submit: 0, duration: 1, gpus: 8, file: 'trace.csv', line: 7 });
  const c = uniformCluster('tiny', 1, { gpus: 4, cpus: 0, memMiB: 0 });
  assert.throws(() => simulate([big], c, fifo()), /trace\.csv:7: field 'gpus'/);
  const r = simulate([big, job('Y', 1, 1, 1)], c, fifo(), { oversize: 'reject' });
  assert.equal(r.status[0], JobStatus.Rejected);
  assert.deepEqual(r.counts, { jobs: 2, finished: 1, rejected: 1, unfinished: 0 });
});

test('until stops the clock and counts unfinished jobs', () => {
  const jobs = [job('A', 0, 10, 1), job('B', 5, 10, 1), job('C', 20, 1, 1)];
  const r = simulate(jobs, uniformCluster('n', 1, { gpus: 1, cpus: 0, memMiB: 0 }), fifo(), { until: 12 });
  assert.deepEqual(r.counts, { jobs: 3, finished: 1, rejected: 0, unfinished: 2 });
  assert.equal(r.endTime, 12);
});
