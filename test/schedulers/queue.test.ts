import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, job, run } from './micro';
import { fifoSkip } from '../../src/schedulers/fifoSkip';
import { sjf } from '../../src/schedulers/sjf';
import { sjfEstimate } from '../../src/schedulers/sjfEstimate';
import { random } from '../../src/schedulers/random';
import { fifo } from '../../src/schedulers/fifo';
import { Rng } from '../../src/util/rng';

test('fifo-skip on one 4-GPU node: jobs behind a blocked one start when they fit', () => {
  // t0 A(2 GPU,10 s) starts, 2 free. t1 B(4) does not fit, waits. t2 C(1,3 s) fits -> [2,5), 1 free.
  // t3 D(2,4 s): 1 free, waits. t5 C ends, 2 free: B no, D yes -> [5,9). t9 D ends: B still no (2 free).
  // t10 A ends, 4 free: B -> [10,15).
  const jobs = [job('A', 0, 10, 2), job('B', 1, 5, 4), job('C', 2, 3, 1), job('D', 3, 4, 2)];
  const r = run(jobs, cluster(1, 4), fifoSkip());
  assert.deepEqual(r.s, [0, 10, 2, 5]);
  assert.deepEqual(r.f, [10, 15, 5, 9]);
  // Strict FIFO on the same trace: C and D wait behind B.
  const f = run(jobs, cluster(1, 4), fifo());
  assert.deepEqual(f.s, [0, 10, 15, 15]);
});

test('sjf on one 2-GPU node: shortest first, skipping jobs that do not fit', () => {
  // t0 queue by duration: C(3 s,1) B(8 s,2) A(10 s,1). C starts, B needs 2 of 1 free -> skip, A starts.
  // t1 D(1 s,1) and E(20 s,1) arrive; 0 free. t3 C ends: order D,B,E: D -> [3,4).
  // t4 D ends, 1 free: B no, E -> [4,24). t10 A ends, 1 free: B no. t24 E ends: B -> [24,32).
  const jobs = [job('A', 0, 10, 1), job('B', 0, 8, 2), job('C', 0, 3, 1), job('D', 1, 1, 1), job('E', 1, 20, 1)];
  const r = run(jobs, cluster(1, 2), sjf());
  assert.deepEqual(r.s, [0, 24, 0, 3, 4]);
  assert.deepEqual(r.f, [10, 32, 3, 4, 24]);
});

test('sjf-estimate orders by job.estimate and falls back to a prediction, never the duration', () => {
  // One GPU. A runs [0,5). At t5 the queue is B(est 2), C(est 50), D(no estimate: history predictor;
  // nothing had finished at its submit t=2, so the prior HISTORY_DEFAULTS.prior = 3600 s):
  // B [5,15), C [15,16), D [16,19). Oracle SJF would run C (1 s) first instead.
  const jobs = [
    job('A', 0, 5, 1, { estimate: 100 }),
    job('B', 1, 10, 1, { estimate: 2 }),
    job('C', 1, 1, 1, { estimate: 50 }),
    job('D', 2, 3, 1),
  ];
  const r = run(jobs, cluster(1, 1), sjfEstimate());
  assert.deepEqual(r.s, [0, 5, 15, 16]);
  assert.deepEqual(r.f, [5, 15, 16, 19]);
  const o = run(jobs, cluster(1, 1), sjf());
  assert.deepEqual(o.s, [0, 9, 5, 6]); // oracle: C [5,6), D [6,9), B [9,19)
});

test('random: the order comes from the seeded RNG; same seed, same schedule', () => {
  // One GPU, three 1-GPU jobs at t0 with durations 1, 2, 4. At each decision point the waiting
  // list (index order) is shuffled by forward Fisher-Yates with the run's RNG (new Rng(seed)):
  // position i swaps with rng.int(i, w) and that job is tried; the shuffle stops once no GPU is
  // idle, so each decision point here draws exactly once. Reproduce the draws:
  const seed = 7;
  const rng = new Rng(seed);
  const pick = (list: number[]): number => list[rng.int(0, list.length)];
  const a = pick([0, 1, 2]); // decision at t0
  const b = pick([0, 1, 2].filter((j) => j !== a)); // when a ends
  const order = [a, b, 3 - a - b];
  // With seed 7 this order is [0, 2, 1] (asserted so the hand computation below is pinned):
  assert.deepEqual(order, [0, 2, 1]);
  // A(1 s) [0,1), C(4 s) [1,5), B(2 s) [5,7).
  const jobs = [job('A', 0, 1, 1), job('B', 0, 2, 1), job('C', 0, 4, 1)];
  const r = run(jobs, cluster(1, 1), random(), { seed });
  assert.deepEqual(r.s, [0, 5, 1]);
  assert.deepEqual(r.f, [1, 7, 5]);
  const again = run(jobs, cluster(1, 1), random(), { seed });
  assert.deepEqual(again.s, r.s);
  // Different seeds give different orders (not always index order).
  const firsts = new Set<number>();
  for (let s = 0; s < 20; s++) firsts.add(run(jobs, cluster(1, 1), random(), { seed: s }).s.indexOf(0));
  assert.equal(firsts.size, 3);
});
