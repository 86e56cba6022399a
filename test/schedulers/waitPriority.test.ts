/**
 * Textbook WFP3 and UNICEP (real waiting time), hand-computed. One node with 4 GPUs.
 *   A: submit 0, runs 10, 4 GPUs          (starts at 0, ends 10)
 *   B: submit 1, runs 100 (estimate 100), 2 GPUs
 *   C: submit 5, runs 10 (estimate 10), 2 GPUs
 *   D: submit 9, runs 1000 (estimate 1000), 1 GPU
 * At t = 10 (A ends) the waiting times are B 9, C 5, D 1.
 * WFP3 (w/r)^3·n: B 0.09^3·2 = 0.001458, C 0.5^3·2 = 0.25, D 0.001^3 = 1e-9 → C, B start at 10,
 *   D (1 GPU, 0 free) waits until C ends at 20.
 * UNICEP w/(log2 n · r): D has n = 1 (infinite priority) → D, then C (0.5), then B (0.09): D and C
 *   start at 10, B (2 GPUs, 1 free) blocks until C ends at 20.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wfp3 } from '../../src/schedulers/wfp3';
import { unicep } from '../../src/schedulers/unicep';
import { cluster, job, run } from './micro';

const jobs = () => [
  job('A', 0, 10, 4),
  job('B', 1, 100, 2, { estimate: 100 }),
  job('C', 5, 10, 2, { estimate: 10 }),
  job('D', 9, 1000, 1, { estimate: 1000 }),
];

test('textbook WFP3 uses the current waiting time: C, B at 10, D at 20', () => {
  assert.deepEqual(run(jobs(), cluster(1, 4), wfp3()).s, [0, 10, 10, 20]);
});

test('textbook UNICEP: single-GPU jobs first (log2 1 = 0), then w/(log2 n · r); the head blocks', () => {
  assert.deepEqual(run(jobs(), cluster(1, 4), unicep()).s, [0, 20, 10, 10]);
});

test('WFP3 priority grows with waiting time: an older long job overtakes a fresh short one', () => {
  // X waits 100 s by t = 110 ((100/100)^3·1 = 1); Y just arrived (w = 0): X first.
  const js = [job('A', 0, 110, 1), job('X', 10, 100, 1, { estimate: 100 }), job('Y', 110, 1, 1, { estimate: 1 })];
  assert.deepEqual(run(js, cluster(1, 1), wfp3()).s, [0, 110, 210]);
});
