import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, job, run } from './micro';
import { las } from '../../src/schedulers/las';
import { LAS_WEIGHTS, learnedPriority, weightsFromVector, weightsToVector } from '../../src/schedulers/learnedPriority';
import { Rng } from '../../src/util/rng';
import type { Job } from '../../src/workload/job';

/** Seeded random workloads: bursts of 1–8-GPU jobs of 10 s – 3 h on a loaded cluster. */
function randomJobs(seed: number, n: number): Job[] {
  const rng = new Rng(seed);
  let t = 0;
  return Array.from({ length: n }, (_, i) => {
    t += Math.floor(rng.exponential(120));
    return job(`j${i}`, t, 10 + Math.floor(rng.exponential(1800)), [1, 1, 2, 4, 8][rng.int(0, 5)], {
      group: `g${i % 3}`,
    });
  });
}

test('with all-zero weights the learned priority IS LAS: the same schedule, job for job', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const jobs = randomJobs(seed, 120);
    for (const c of [cluster(1, 8), cluster(3, 4)]) {
      const a = run(jobs, c, las());
      const b = run(jobs, c, learnedPriority(LAS_WEIGHTS));
      assert.deepEqual(b.s, a.s, `starts, seed ${seed}`);
      assert.deepEqual(b.f, a.f, `finishes, seed ${seed}`);
      assert.deepEqual([...b.preemptions], [...a.preemptions], `preemptions, seed ${seed}`);
    }
  }
  // ... including the three-job case of issue 10 (no ticks): only B is preempted, A ends at 1000.
  const three = [job('A', 0, 1000, 1), job('B', 8, 500, 3), job('C', 10, 100, 3)];
  const r = run(three, cluster(1, 4), learnedPriority(LAS_WEIGHTS, { tickInterval: 0 }));
  assert.deepEqual(r.f, [1000, 608, 110]);
  assert.deepEqual([...r.preemptions], [0, 1, 0]);
});

test('other weights change the order as the formula says (hand-computed)', () => {
  // One 4-GPU node, no ticks, both jobs at t0 with 0 attained service. A: 4 GPUs, 100 s; B: 1 GPU, 50 s.
  // LAS: equal keys (0), A first by index -> A [0,100), B [100,150).
  const jobs = [job('A', 0, 100, 4), job('B', 0, 50, 1)];
  const noTicks = { tickInterval: 0 };
  const l = run(jobs, cluster(1, 4), learnedPriority(LAS_WEIGHTS, noTicks));
  assert.deepEqual(l.s, [0, 100]);
  // offset 1 (3600 GPU-s), gpus 1: key A = 3600·e^(log2 4) = 3600·e² ≈ 26,600, key B = 3600·e^0 = 3600:
  // B first, [0,50); A (4 GPUs) waits for it. While B runs its key is 3600 + attained ≤ 3650 < 26,600,
  // so A never preempts it. A [50,150).
  const w = { offset: 1, gpus: 1, predicted: 0, waited: 0 };
  const r = run(jobs, cluster(1, 4), learnedPriority(w, noTicks));
  assert.deepEqual(r.s, [50, 0]);
  assert.deepEqual(r.f, [150, 50]);
  // A negative offset is clamped to 0: LAS again.
  const z = run(jobs, cluster(1, 4), learnedPriority({ ...LAS_WEIGHTS, offset: -2 }, noTicks));
  assert.deepEqual(z.s, l.s);
});

test('a long wait can overtake a job with less service (waited < 0), hand-computed', () => {
  // One 1-GPU node, no ticks. A (100 s) at 0, B (100 s) at 10, C (10 s) at 50.
  // LAS: t10 B (0) < A (10): B runs, A waits. t50 C (0) < A (10) < B (40): C [50,60), B stops.
  //   t60 A (10) < B (40): A [60,150). t150 B [150,210).
  const jobs = [job('A', 0, 100, 1), job('B', 10, 100, 1), job('C', 50, 10, 1)];
  const l = run(jobs, cluster(1, 1), learnedPriority(LAS_WEIGHTS, { tickInterval: 0 }));
  assert.deepEqual(
    [l.s, l.f, [...l.preemptions]],
    [
      [0, 10, 50],
      [150, 210, 60],
      [1, 1, 0],
    ],
  );
  // offset 1 h, waited −50: key = (attained + 3600) · (1 + waited/3600)^−50, waited = now − submit − executed.
  // t10: A (10 + 3600) · 1 = 3610 > B 3600 -> B preempts A (as LAS).
  // t50: A waited 40 s: 3610 · (1 + 40/3600)^−50 ≈ 2078 < C 3600 < B 3640 (B never waited):
  //   A takes the GPU from B, [50,140). t140: C and B both waited 90 s, C 3600 < B 3640 (same factor):
  //   C [140,150). t150: B [150,210).
  const w = { offset: 1, gpus: 0, predicted: 0, waited: -50 };
  const r = run(jobs, cluster(1, 1), learnedPriority(w, { tickInterval: 0 }));
  assert.deepEqual(
    [r.s, r.f, [...r.preemptions]],
    [
      [0, 10, 140],
      [140, 210, 150],
      [1, 1, 0],
    ],
  );
});

test('weights round-trip through the parameter vector; bad weights are refused', () => {
  const w = { offset: 0.5, gpus: -1, predicted: 2, waited: -0.25 };
  assert.deepEqual(weightsFromVector(weightsToVector(w)), w);
  assert.throws(() => weightsFromVector([1, 2]), /expected 4 weights/);
  assert.throws(() => learnedPriority({ ...w, gpus: NaN }), /not finite/);
});
