import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, job, run } from './micro';
import { tetris } from '../../src/schedulers/tetris';
import { drf } from '../../src/schedulers/drf';
import { bestfit } from '../../src/schedulers/bestfit';
import { fifoSkip } from '../../src/schedulers/fifoSkip';

test('tetris on one node (4 GPU, 8 CPU): alignment + weighted SRTF score', () => {
  // All at t0, in index order D, C, B, A. a = (gpu/4)(freeGpu/4) + (cpu/8)(freeCpu/8); p = 1/remaining;
  // score = a + ā·p/p̄ (m = 1).
  // Round 1 (free 4 GPU, 8 CPU): D(2G,2C,20 s) a=.75 p=.05; C(1G,1C,10 s) a=.375 p=.1;
  //   B(2G,1C,10 s) a=.625 p=.1; A(1G,6C,10 s) a=1.0 p=.1. ā/p̄ = 2.75/.35 = 7.857:
  //   D 1.143, C 1.161, B 1.411, A 1.786 -> A starts (3 GPU, 2 CPU free).
  // Round 2: a: D .5*.75+.25*.25 = .4375, C .25*.75+.125*.25 = .21875, B .5*.75+.125*.25 = .40625;
  //   ā/p̄ = 1.0625/.25 = 4.25: D .4375+.2125 = .65, C .21875+.425 = .64375, B .40625+.425 = .83125 -> B.
  // Round 3 (1 GPU, 1 CPU free): only C fits -> C. t10 A, B, C end: D [10,30).
  const jobs = [
    job('D', 0, 20, 2, { cpus: 2 }),
    job('C', 0, 10, 1, { cpus: 1 }),
    job('B', 0, 10, 2, { cpus: 1 }),
    job('A', 0, 10, 1, { cpus: 6 }),
  ];
  const r = run(jobs, cluster(1, 4, 8), tetris());
  assert.deepEqual(r.s, [10, 0, 0, 0]);
  assert.deepEqual(r.f, [30, 10, 10, 10]);
  // FIFO-skip instead starts D and C (1 GPU, 5 CPU left: B needs 2 GPU, A 6 CPU); t10 C ends: B [10,20);
  // A (1 GPU) waits for D and B to end: [20,30).
  assert.deepEqual(run(jobs, cluster(1, 4, 8), fifoSkip()).s, [0, 0, 10, 20]);
});

test('tetris: with equal alignment the shorter job wins', () => {
  // One GPU, no CPU: X(10 s) and Y(2 s) both align 1.0; p = .1 and .5, ā/p̄ = 1/.3:
  // X 1.333 < Y 2.667 -> Y [0,2), X [2,12).
  const r = run([job('X', 0, 10, 1), job('Y', 0, 2, 1)], cluster(1, 1), tetris());
  assert.deepEqual(r.s, [2, 0]);
  assert.deepEqual(r.f, [12, 2]);
});

test('drf on one node (3 GPU, 8 CPU): lowest dominant share goes next', () => {
  // u1 jobs take 1 GPU + 3 CPU (dominant: CPU, 3/8), u2 jobs 1 GPU + 1 CPU (dominant: GPU, 1/3).
  // t0 shares 0/0, tie -> u1 (its next job arrived first): J0 -> u1 = max(1/3, 3/8) = .375.
  //    u2 (0) -> J2 -> u2 = 1/3. u2 (.333) < u1 (.375) -> J3 -> u2 .667. u1: J1 needs a GPU, none -> blocked.
  //    (GPU-only fairness would have started J1 at the .333/.333 tie; FIFO-skip starts J0, J1, J2.)
  // t5 J3 ends: u1 J1 fits (1 GPU, 4 CPU free) -> [5,15).
  const jobs = [
    job('J0', 0, 10, 1, { cpus: 3, group: 'u1' }),
    job('J1', 0, 10, 1, { cpus: 3, group: 'u1' }),
    job('J2', 0, 10, 1, { cpus: 1, group: 'u2' }),
    job('J3', 0, 5, 1, { cpus: 1, group: 'u2' }),
  ];
  const r = run(jobs, cluster(1, 3, 8), drf());
  assert.deepEqual(r.s, [0, 5, 0, 0]);
  assert.deepEqual(r.f, [10, 15, 10, 5]);
  assert.deepEqual(run(jobs, cluster(1, 3, 8), fifoSkip()).s, [0, 0, 0, 10]);
});

test('bestfit on two 4-GPU nodes: largest fitting job first, best-fit placement', () => {
  // t0 A(1G) B(2G) C(2G) D(4G), all 10 s. Largest first: D -> node 0 (full); B (2, ties C, earlier)
  // -> node 1 (2 left); C -> node 1 (full); A no longer fits. t10 all end: A [10,20).
  const jobs = [job('A', 0, 10, 1), job('B', 0, 10, 2), job('C', 0, 10, 2), job('D', 0, 10, 4)];
  const r = run(jobs, cluster(2, 4), bestfit());
  assert.deepEqual(r.s, [10, 0, 0, 0]);
  assert.deepEqual(r.f, [20, 10, 10, 10]);
  // FIFO-skip with first-fit fragments: A, B on node 0 (1 left), C on node 1 (2 left): D (4) waits
  // with 3 GPUs idle. t10: D [10,20).
  assert.deepEqual(run(jobs, cluster(2, 4), fifoSkip()).s, [0, 0, 0, 10]);
});
