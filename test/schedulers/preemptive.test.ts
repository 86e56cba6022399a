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

// The three-job case of issue 10 on one 4-GPU node: A(1 GPU, 1000 s) and B(3 GPUs, 500 s) at 0,
// C(3 GPUs, 100 s) at 10. The running set must be the greedy prefix of the priority order that fits:
// C (3 GPUs) fits, B (3) then does not, A (1) does -> only B is preempted and A ends at 1000.
// (The first engine preempted A and B worst first, left a GPU idle for 100 s and A ended at 1100.)

test('srtf three-job case: only B is preempted, A ends at 1000', () => {
  // t10 remaining: C 100 < B 490 < A 990. Greedy: C, (B no), A. B keeps 490 s.
  // t110 C ends: B (490 left) fits the 3 idle GPUs -> [110,600).
  const jobs = [job('A', 0, 1000, 1), job('B', 0, 500, 3), job('C', 10, 100, 3)];
  const r = run(jobs, cluster(1, 4), srtf());
  assert.deepEqual(r.s, [0, 0, 10]);
  assert.deepEqual(r.f, [1000, 600, 110]);
  assert.deepEqual([...r.preemptions], [0, 1, 0]);
});

test('las three-job variant (B at 8; no ticks): only B is preempted, A ends at 1000', () => {
  // A(1 GPU, 1000 s) at 0, B(3, 500 s) at 8, C(3, 100 s) at 10, one 4-GPU node.
  // t8: B (attained 0) fits the 3 idle GPUs. t10 attained GPU-s: C 0 < B 3x2 = 6 < A 10.
  // Greedy: C, (B no), A -> only B stops (the first engine took the worst, A, first, then B).
  // t110 C ends: B (6) is more urgent than running A (110) and fits: [110,608).
  const jobs = [job('A', 0, 1000, 1), job('B', 8, 500, 3), job('C', 10, 100, 3)];
  const r = run(jobs, cluster(1, 4), las({ tickInterval: 0 }));
  assert.deepEqual(r.s, [0, 8, 10]);
  assert.deepEqual(r.f, [1000, 608, 110]);
  assert.deepEqual([...r.preemptions], [0, 1, 0]);
});

test('tiresias three-job variant (thresholds 5, 9 GPU-s; no ticks): only B is preempted, A ends at 1000', () => {
  // A(1 GPU, 1000 s) at 0, B(3, 500 s) at 8, C(3, 100 s) at 10, one 4-GPU node.
  // t8: A attained 8 -> queue 1; B (queue 0) fits the 3 idle GPUs. t10: A attained 10 -> queue 2,
  // B 3x2 = 6 -> queue 1, C queue 0. Order C, B, A; greedy: C, (B no), A. The first engine took
  // the worst (A) first, then B. t110 C ends: B (queue 1, 498 s left) beats A (queue 2): [110,608).
  const jobs = [job('A', 0, 1000, 1), job('B', 8, 500, 3), job('C', 10, 100, 3)];
  const r = run(jobs, cluster(1, 4), tiresias({ thresholds: [5, 9], tickInterval: 0 }));
  assert.deepEqual(r.s, [0, 8, 10]);
  assert.deepEqual(r.f, [1000, 608, 110]);
  assert.deepEqual([...r.preemptions], [0, 1, 0]);
});

test('gittins three-job variant (delta 10; no ticks): only B is preempted, A ends at 1000', () => {
  // The three jobs plus four 1 GPU-s jobs D and one 35 GPU-s job E, all arriving at 5000 (after
  // A, B, C are done) so that the GPU-time samples are 1,1,1,1,35,300 (C),1000 (A),1500 (B).
  // At t10: C: G(0) = P(S<=10) / E[min(S,10)] = (4/8) / ((4*1 + 4*10)/8) = 1/11;
  // B (attained 3x10 = 30): survivors 35,300,1000,1500, P(S<=40) = 1/4, E[min(S-30,10)] = 35/4 -> 1/35;
  // A (attained 10): no sample in (10,20] -> 0. Order C, B, A; greedy: C, (B no), A.
  // t110 C ends: B (G 1/35) beats A (G(110) = 0) and fits the 3 idle GPUs -> [110,600).
  const late = [1, 2, 3, 4].map((k) => job(`D${k}`, 5000, 1, 1));
  const jobs = [job('A', 0, 1000, 1), job('B', 0, 500, 3), job('C', 10, 100, 3), ...late, job('E', 5000, 35, 1)];
  const g = gittinsIndex(jobs, 10);
  assert.ok(Math.abs(g(0) - 1 / 11) < 1e-12 && Math.abs(g(30) - 1 / 35) < 1e-12 && g(10) === 0);
  const r = run(jobs, cluster(1, 4), gittins({ delta: 10, tickInterval: 0 }));
  assert.deepEqual(r.s.slice(0, 3), [0, 0, 10]);
  assert.deepEqual(r.f.slice(0, 3), [1000, 600, 110]);
  assert.deepEqual([...r.preemptions].slice(0, 3), [0, 1, 0]);
});

test('two nodes: a blocked job preempts only what lets it start, never moves a running job', () => {
  // Two nodes x 2 GPUs with 8 CPUs each; every GPU needs 4 CPUs, C is consolidated (not a pool).
  // t0: A(1 GPU, 500 s) and B(1 GPU, 50 s) -> node 0; D(2 GPUs, 400 s) -> node 1.
  // t5: C(2 GPUs, 10 s). SRTF order: C 10 < B 45 < D 395 < A 495. C holds the worst first: A (frees
  // one GPU of node 0: C still cannot fit), then D (node 1 free: fits). Giving back, most urgent
  // first: without D C cannot fit -> D is preempted; without A it still fits -> A keeps running
  // (the first engine stopped A too and restarted it only at t15). C [5,15) on node 1;
  // t15: D (395 left) restarts there -> 410.
  const c = { name: 'two', nodes: [0, 1].map((i) => ({ name: `n${i}`, gpus: 2, cpus: 8, memMiB: 0 })) };
  const jobs = [
    job('A', 0, 500, 1, { cpus: 4 }),
    job('B', 0, 50, 1, { cpus: 4 }),
    job('D', 0, 400, 2, { cpus: 8 }),
    job('C', 5, 10, 2, { cpus: 8 }),
  ];
  const r = run(jobs, c, srtf(), { placement: 'consolidate' });
  assert.deepEqual(r.s, [0, 0, 0, 5]);
  assert.deepEqual(r.f, [500, 50, 410, 15]);
  assert.deepEqual([...r.preemptions], [0, 0, 1, 0]);
});
