import type { OracleScheduler as Scheduler, OracleSimContext as SimContext } from '../../../src/sim/scheduler';
import type { Job } from '../../../src/workload/job';
import { ensureInt32, minWholeGpus, tryStartFast } from './common';

/**
 * A non-preemptive policy that orders the waiting queue by a static per-job key
 * (lower first, ties by arrival = job index) and starts every job that fits in that
 * order (skipping the ones that do not). SJF and its estimate-based variant use it.
 *
 * The waiting jobs are kept in a key-sorted array across decision points: arrivals
 * are merged in (they show up in the waiting snapshot with indices above any seen
 * before) and started jobs are dropped, so no decision point sorts the whole queue.
 */
export function keyedNonPreemptive(name: string, keyOf: (job: Job) => number): Scheduler {
  let key = new Float64Array(0);
  let sorted = new Int32Array(64);
  let len = 0;
  let seen = -1; // highest job index merged so far
  let fresh = new Int32Array(64);
  let bound = 0;
  return {
    name,
    oracle: true,
    preemptive: false,
    reset(jobs) {
      key = new Float64Array(jobs.length);
      for (let j = 0; j < jobs.length; j++) key[j] = keyOf(jobs[j]);
      len = 0;
      seen = -1;
      bound = minWholeGpus(jobs);
    },
    schedule(ctx: SimContext) {
      // 1. New arrivals: the tail of the waiting snapshot (index order) above `seen`.
      const w = ctx.waitingCount;
      let first = w;
      while (first > 0 && ctx.waitingAt(first - 1) > seen) first--;
      const k = w - first;
      if (k > 0) {
        fresh = ensureInt32(fresh, k);
        for (let i = 0; i < k; i++) fresh[i] = ctx.waitingAt(first + i);
        seen = fresh[k - 1];
        fresh.subarray(0, k).sort((a, b) => key[a] - key[b] || a - b);
        sorted = ensureInt32(sorted, len + k);
        // Merge from the back so it works in place.
        let a = len - 1;
        let b = k - 1;
        for (let out = len + k - 1; b >= 0; out--) {
          if (a >= 0 && (key[sorted[a]] > key[fresh[b]] || (key[sorted[a]] === key[fresh[b]] && sorted[a] > fresh[b])))
            sorted[out] = sorted[a--];
          else sorted[out] = fresh[b--];
        }
        len += k;
      }
      // 2. Start every job that fits, in key order; compact away the started ones.
      if (ctx.freeGpus < bound) return;
      let out = 0;
      let i = 0;
      for (; i < len && ctx.freeGpus >= bound; i++) {
        const j = sorted[i];
        if (!tryStartFast(ctx, j)) sorted[out++] = j;
      }
      if (out < i) sorted.copyWithin(out, i, len);
      len -= i - out;
    },
  };
}
