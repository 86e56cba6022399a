/**
 * A 6-job sequence worked by hand (4 nodes × 1 proc), FCFS, without and with backfilling.
 *
 *   job  submit  run  requested  procs
 *   J0      0    10     10         2
 *   J1      1     5      5         4
 *   J2      2     3      3         1
 *   J3      3    20     20         1
 *   J4      4     2      2         2
 *   J5     20     1      1         4
 *
 * No backfilling. t=0: J0 starts (2 free). Queue empty → earliest end 10 ≥ J1's submit → admit
 * J1 (t=1). J1 needs 4: events admit J2 (t=2), J3 (t=3), J4 (t=4); J5 (20) > 10 → release J0
 * (t=10). J1 starts at 10. Queue [J2, J3, J4], head J2 needs 1, 0 free → release J1 (t=15;
 * J5's 20 > 15). J2, J3, J4 start at 15 (free 3 → 2 → 0). Queue empty: ends J4 17, J2 18 are
 * released lazily (20 > 17, 18), then 20 ≤ J3's 35 → admit J5 (t=20); J5 needs 4, 3 free →
 * release J3 (t=35, nothing left to admit). J5 starts at 35.
 *   starts 0, 10, 15, 15, 15, 35; bsld 1, 1.4, 1.6, 1.6, 1.3, 1.6; mean 8.5/6.
 *
 * Backfilling. J1 blocked at t=1: shadow time computed once = J0's estimated end 10 (2 free + 2).
 * Scan [J1]: nothing. Event: admit J2 (t=2). Scan [J1, J2]: J2 2+3 < 10 and fits → starts at 2
 * (1 free). Event: ends J2 5, J0 10; J3 (3) ≤ 5 → admit (t=3). Scan: J3 3+20 ≥ 10. Event: admit
 * J4 (t=4). Scan: J4 4+2 < 10 but needs 2, 1 free. Event: J5 20 > 5 → release J2 (t=5, 2 free).
 * Scan: J4 5+2 < 10, fits → starts at 5. Event: release J4 (t=7). Event: release J0 (t=10):
 * J1 fits, starts at 10. Head J3 (1 proc, 0 free): shadow = J1's 15; scan: 10+20 ≥ 15; event:
 * J5 20 > 15 → release J1 (t=15); J3 starts at 15. Then as above: admit J5 (t=20), shadow 35,
 * release J3 (t=35), J5 starts at 35.
 *   starts 0, 10, 2, 15, 5, 35; bsld 1, 1.4, 1, 1.6, 1, 1.6; mean 7.6/6.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeuristicKeys, runHeuristic } from '../../src/rlsched/replay';
import { RlschedSim } from '../../src/rlsched/sim';
import { traceOf } from './helpers';

const JOBS = [
  { submit: 0, run: 10, req: 10, procs: 2 },
  { submit: 1, run: 5, req: 5, procs: 4 },
  { submit: 2, run: 3, req: 3, procs: 1 },
  { submit: 3, run: 20, req: 20, procs: 1 },
  { submit: 4, run: 2, req: 2, procs: 2 },
  { submit: 20, run: 1, req: 1, procs: 4 },
];

function replay(backfill: boolean, policy: 'fcfs' | 'sjf' = 'fcfs'): RlschedSim {
  const trace = traceOf(JOBS, 4);
  const sim = new RlschedSim(6);
  sim.load(trace, 0, 6, backfill);
  runHeuristic(sim, new HeuristicKeys(6).forSim(policy, sim));
  return sim;
}

test('hand-worked 6-job sequence, FCFS without backfilling', () => {
  const sim = replay(false);
  assert.deepEqual(Array.from(sim.startTime), [0, 10, 15, 15, 15, 35]);
  assert.ok(Math.abs(sim.meanBsld() - 8.5 / 6) < 1e-12);
});

test('hand-worked 6-job sequence, FCFS with backfilling (shadow time fixed at entry)', () => {
  const sim = replay(true);
  assert.deepEqual(Array.from(sim.startTime), [0, 10, 2, 15, 5, 35]);
  assert.ok(Math.abs(sim.meanBsld() - 7.6 / 6) < 1e-12);
});

test('SJF keeps a blocked head: jobs admitted while J1 waits are not considered before it starts', () => {
  // SJF would prefer J4/J2 (shorter) over J1, but J1 was chosen when it was alone in the queue.
  const sim = replay(false, 'sjf');
  assert.deepEqual(Array.from(sim.startTime), [0, 10, 15, 15, 15, 35]);
  // with backfilling J2 and J4 slip in before the shadow time instead
  assert.deepEqual(Array.from(replay(true, 'sjf').startTime), [0, 10, 2, 15, 5, 35]);
});
