import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, job, run } from './micro';
import { easy } from '../../src/schedulers/easy';
import { conservative } from '../../src/schedulers/conservative';

// One 4-GPU node. A(3G,10 s)@0, B(3G,10 s)@1, X(4G,10 s)@2, Y(1G,30 s)@3.
const jobs = [job('A', 0, 10, 3), job('B', 1, 10, 3), job('X', 2, 10, 4), job('Y', 3, 30, 1)];

test('easy: only the head is protected; a backfilled job may delay the second job', () => {
  // t0 A starts (1 idle). t1 B is the head: 1 idle + A's 3 at t10 = 4 >= 3 -> shadow 10, extra 1.
  // t2 X: ends 12 > 10 and needs 4 > extra -> waits. t3 Y: ends 33 > 10 but needs 1 <= extra 1 and
  // fits now -> backfills [3,33). t10 A ends: B [10,20). X (head, 4 GPU) needs Y's GPU: shadow 33.
  // t20 B ends (3 idle): X still waits. t33 Y ends: X [33,43).
  const r = run(jobs, cluster(1, 4), easy());
  assert.deepEqual(r.s, [0, 10, 33, 3]);
  assert.deepEqual(r.f, [10, 20, 43, 33]);
});

test('conservative: every job reserves, so Y may not delay X', () => {
  // Profile rebuilt at each decision point, FIFO reservations:
  // t1 profile [1:1][10:4]; B reserves [10,20).
  // t2 X: 1 at 2, 1 at 10 (B), 4 at 20 -> reserves [20,30).
  // t3 Y(1G,30 s): window [3,33) hits 0 idle at [20,30) -> earliest slot 30 -> waits.
  // t10 A ends: B starts [10,20); X reserves [20,30); Y's window from 10 hits [20,30) -> slot 30.
  // t20 B ends: X [20,30). t30 X ends: Y [30,60).
  const r = run(jobs, cluster(1, 4), conservative());
  assert.deepEqual(r.s, [0, 10, 20, 30]);
  assert.deepEqual(r.f, [10, 20, 30, 60]);
});

test('backfilling with a job that ends before the shadow time, both variants', () => {
  // One 5-GPU node. A(2G,10 s)@0 runs. B(4G,10 s)@1 head: 3 idle, +2 at 10 -> shadow 10, extra 1.
  // C(1G,5 s)@2 ends at 7 <= 10 -> backfills [2,7). D(1G,30 s)@3 needs 1 <= extra 1 -> backfills [3,33)
  // (conservative agrees: B has 4 of 5 at 10 even with D). E(1G,8 s)@4 ends 12 > 10, extra 0 ->
  // waits (conservative: E's window [4,12) hits B's [10,20) with 0 idle -> slot 20).
  // t10 A ends: B [10,20). t20 B ends: E [20,28).
  const js = [job('A', 0, 10, 2), job('B', 1, 10, 4), job('C', 2, 5, 1), job('D', 3, 30, 1), job('E', 4, 8, 1)];
  for (const s of [easy(), conservative()]) {
    const r = run(js, cluster(1, 5), s);
    assert.deepEqual(r.s, [0, 10, 2, 3, 20], s.name);
    assert.deepEqual(r.f, [10, 20, 7, 33, 28], s.name);
  }
});

test('easy with useEstimates believes the user estimate', () => {
  // One 3-GPU node: A(2G,10 s, estimate 4) runs, 1 idle. B(3G,5 s)@1 head, shadow 4 (estimate) /
  // 10 (oracle), extra 0. C(1G,5 s, est 5)@2: estimate mode: 2+5 = 7 > 4 -> waits; oracle mode:
  // 7 <= 10 -> backfills [2,7).
  //   estimate mode: t10 A ends: B [10,15); C [15,20).
  //   oracle mode:   C [2,7); t10 B [10,15).
  const js = [
    job('A', 0, 10, 2, { estimate: 4 }),
    job('B', 1, 5, 3, { estimate: 5 }),
    job('C', 2, 5, 1, { estimate: 5 }),
  ];
  const est = run(js, cluster(1, 3), easy({ useEstimates: true }));
  assert.deepEqual(est.s, [0, 10, 15]);
  const oracle = run(js, cluster(1, 3), easy());
  assert.deepEqual(oracle.s, [0, 10, 2]);
});
