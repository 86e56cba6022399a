import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster, job } from './micro';
import { simulate } from '../../src/sim/simulator';
import type { Scheduler, SimContext } from '../../src/sim/scheduler';

/**
 * Regression tests for two simulator (src/sim/simulator.ts) bugs found while writing the
 * preemptive policies: a job preempted and restarted in one call corrupted the queue
 * bookkeeping, and stale completion events of preempted runs became decision points.
 */

test('a job preempted and restarted within one decision point keeps the waiting queue consistent', () => {
  // One GPU. A(10 s) at 0, B(1 s) at 5. At t5 the policy preempts A and immediately restarts it
  // (legal per SimContext: the job is waiting again). Expected: A ends at 10, B runs [10,11).
  const s: Scheduler = {
    name: 'flip',
    preemptive: true,
    reset() {},
    schedule(ctx: SimContext) {
      if (ctx.now === 5 && ctx.runningCount === 1) {
        const a = ctx.runningAt(0);
        ctx.preempt(a);
        ctx.tryStart(a);
      }
      for (let i = 0; i < ctx.waitingCount; i++) ctx.tryStart(ctx.waitingAt(i));
    },
  };
  const r = simulate([job('A', 0, 10, 1), job('B', 5, 1, 1)], cluster(1, 1), s, { debug: true });
  assert.deepEqual([...r.finish], [10, 11]);
});

test('a stale completion event of a preempted run is not a decision point', () => {
  // One GPU. A(10 s) at 0 is preempted at 2 for B(1 s); A restarts at 3 with 8 s left -> ends 11.
  // Decision points: arrivals 0, 2; completions 3, 11. A's first run would have ended at 10: stale.
  const calls: number[] = [];
  const s: Scheduler = {
    name: 'rec',
    preemptive: true,
    reset() {},
    schedule(ctx: SimContext) {
      calls.push(ctx.now);
      if (ctx.now === 2) ctx.preempt(ctx.runningAt(0));
      for (let i = 0; i < ctx.waitingCount; i++) ctx.tryStart(ctx.waitingAt(i));
    },
  };
  const r = simulate([job('A', 0, 10, 1), job('B', 2, 1, 1)], cluster(1, 1), s, { debug: true });
  assert.deepEqual([...r.finish], [11, 3]);
  assert.deepEqual(calls, [0, 2, 3, 11]);
  assert.equal(r.events, 4); // 2 arrivals + 2 completions
});
