import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, job, run } from './micro';
import { srtf } from '../../src/schedulers/srtf';
import { las } from '../../src/schedulers/las';
import { tiresias } from '../../src/schedulers/tiresias';
import { gittins, gittinsIndex } from '../../src/schedulers/gittins';

test('srtf on one 2-GPU node: preempts only for a strictly shorter remaining time', () => {
  // t0 A(2 GPU,10 s) starts.
  // t2 B(1,3 s): A has 8 left > 3 -> preempt A (8 left), B runs [2,5); 1 GPU idle.
  // t3 C(1,1 s): order C(1) B(2) A(8): C takes the idle GPU [3,4); A (2 GPU) cannot displace shorter jobs.
  // t4 C ends: A needs 2, 1 idle, no longer-remaining victim. t5 B ends: A restarts [5,13).
  // t6 D(1,7 s): A has 7 left = D's 7 -> a tie never preempts; D waits.
  // t7 E(1,2 s): order E(2) A(6) D(7): E preempts A (6 left) -> E [7,9); D takes the other GPU [7,14)
  //    (greedy prefix: E fits, A(2 GPU) does not, D does).
  // t9 E ends: A needs 2 GPUs, D (5 left) is more urgent than A (6) -> wait. t14 D ends: A [14,20).
  const jobs = [job('A', 0, 10, 2), job('B', 2, 3, 1), job('C', 3, 1, 1), job('D', 6, 7, 1), job('E', 7, 2, 1)];
  const r = run(jobs, cluster(1, 2), srtf());
  assert.deepEqual(r.s, [0, 2, 3, 7, 7]);
  assert.deepEqual(r.f, [20, 5, 4, 14, 9]);
  assert.deepEqual([...r.preemptions], [2, 0, 0, 0, 0]);
});

test('las (tick 10 s) on one GPU: least attained service first, equal service never swaps', () => {
  // t0 A(30 s) starts. t10 B(30 s) arrives: A attained 10 > 0 -> preempt A (20 left), B [10,...).
  // Ticks every 10 s while a job waits:
  // t20 B 10 = A 10: tie, no swap. t30 B 20 > A 10: preempt B (10 left), A [30,50).
  // t40 A 20 = B 20: no swap. t50 A ends; B [50,60).
  const jobs = [job('A', 0, 30, 1), job('B', 10, 30, 1)];
  const r = run(jobs, cluster(1, 1), las({ tickInterval: 10 }));
  assert.deepEqual(r.s, [0, 10]);
  assert.deepEqual(r.f, [50, 60]);
  assert.deepEqual([...r.preemptions], [1, 1]);
});

test('las counts GPU-seconds: a 2-GPU job attains service twice as fast', () => {
  // One 2-GPU node, tick 10. t0 A(2 GPU,20 s) and B(1 GPU,20 s) both at 0 attained: A first (index),
  // B cannot preempt an equal. t10 tick: A attained 2x10 = 20 > B 0 -> preempt A (10 left), B [10,30).
  // t20 tick: B attained 10 < A 20; A (2 GPU) cannot displace the more urgent B; 1 GPU stays idle.
  // t30 B ends (and tick): A [30,40).
  const jobs = [job('A', 0, 20, 2), job('B', 0, 20, 1)];
  const r = run(jobs, cluster(1, 2), las({ tickInterval: 10 }));
  assert.deepEqual(r.s, [0, 10]);
  assert.deepEqual(r.f, [40, 30]);
});

test('tiresias 2D-LAS (threshold 10 GPU-s, tick 5): demotion, FIFO within a queue', () => {
  // One GPU. t0 A(30 s) starts in Q0. t2 B(8 s), t3 C(4 s) join Q0 behind A (same queue: no preemption).
  // Ticks at 7, 12, ...: t7 A attained 7 (Q0). t12 A attained 12 >= 10 -> Q1: B (Q0) preempts A; B [12,20).
  // t17 B attained 5, still Q0; C waits behind B (FIFO within Q0). t20 B ends: C [20,24).
  // t24 C ends: A [24,42) with 18 s left.
  const jobs = [job('A', 0, 30, 1), job('B', 2, 8, 1), job('C', 3, 4, 1)];
  const r = run(jobs, cluster(1, 1), tiresias({ thresholds: [10], tickInterval: 5 }));
  assert.deepEqual(r.s, [0, 12, 20]);
  assert.deepEqual(r.f, [42, 20, 24]);
  assert.deepEqual([...r.preemptions], [1, 0, 0]);
});

test('tiresias starvation avoidance: PROMOTE knob 1 sends long-waiting jobs back to Q0', () => {
  // One GPU, threshold 10 GPU-s, tick 5, promoteKnob 1 (promote when waited >= ran, both since the
  // last promotion). A(30 s) at 0, B(40 s) at 1.
  // t0 A runs. Ticks 6, 11: at t11 A attained 11 -> Q1; B (Q0) preempts it; B [11,...).
  // t21 B attained 10 -> Q1 too: same queue as waiting A, no swap. A waited 21-11 = 10 < ran 11.
  // t26 A waited 15 >= 11 -> promoted to Q0 (counters reset: ran 11, waited 15); A preempts B (Q1).
  //     B has run 15, 25 left. A [26,...) with 19 left.
  // t31 B waited 31-1-15 = 15 >= ran 15 -> promoted to Q0; A's service since its promotion is 5 (Q0):
  //     equal queues, no swap.
  // t36 A's service since promotion 10 -> Q1; B (Q0) preempts A (A ran 21 in total, 9 left). B [36,...).
  // t46 A waited (46-0-21)-15 = 10 >= ran since promotion 10 -> promoted; B's service since its promotion
  //     is 10 -> Q1: A preempts B (B ran 25, 15 left). A [46,55).
  // t51 B waited (51-1-25)-15 = 10 >= 10 -> promoted; A at 5 (Q0): no swap. t55 A ends; B [55,70).
  const jobs = [job('A', 0, 30, 1), job('B', 1, 40, 1)];
  const r = run(jobs, cluster(1, 1), tiresias({ thresholds: [10], tickInterval: 5, promoteKnob: 1 }));
  assert.deepEqual(r.s, [0, 11]);
  assert.deepEqual(r.f, [55, 70]);
  assert.deepEqual([...r.preemptions], [2, 2]);
  // Without promotion: t11 B preempts A; t21 both Q1, FIFO keeps B running (no preemption within a
  // queue) until it ends at 11+40 = 51; A [51,70).
  const off = run(jobs, cluster(1, 1), tiresias({ thresholds: [10], tickInterval: 5 }));
  assert.deepEqual(off.f, [70, 51]);
});

test('gittins index over the job set, hand-computed, and the schedule it gives', () => {
  // GPU-times of the set: 30, 5, 5 -> sorted [5, 5, 30]; quantum 10.
  // G(0) = P(S<=10) / E[min(S,10)] = (2/3) / ((5+5+10)/3) = 0.1
  // G(1) = (2/3) / ((4+4+10)/3) = 1/9
  // G(5): only the 30 survives; P(S-5<=10 | S>5) = 0 -> 0.  G(30) = 0 (outlived every sample).
  const jobs = [job('A', 0, 30, 1), job('B', 5, 5, 1), job('C', 6, 5, 1)];
  const g = gittinsIndex(jobs, 10);
  assert.ok(Math.abs(g(0) - 0.1) < 1e-12);
  assert.ok(Math.abs(g(1) - 1 / 9) < 1e-12);
  assert.equal(g(5), 0);
  assert.equal(g(30), 0);
  // No ticks. t0 A runs. t5 B (G 0.1) beats A (attained 5, G 0): B [5,10).
  // t6 C (G(0) = 0.1) vs running B (attained 1, G 1/9 > 0.1): C waits. t10 B ends: C (0.1) beats A (0): C [10,15).
  // t15 A [15,40).
  const r = run(jobs, cluster(1, 1), gittins({ delta: 10, tickInterval: 0 }));
  assert.deepEqual(r.s, [0, 5, 10]);
  assert.deepEqual(r.f, [40, 10, 15]);
});
