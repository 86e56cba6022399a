import type { SimContext } from '../sim/scheduler';
import type { JobView } from '../workload/job';
import { ensureInt32, minWholeGpus, tryStartFast } from './common';

/**
 * The core of a non-preemptive policy that orders the waiting queue by a per-job key
 * (lower first, ties by arrival = job index) and starts every job that fits in that
 * order (skipping the ones that do not). SJF and its prediction-based variants use it.
 *
 * A job's key is read ONCE, when the job first shows up in the waiting snapshot (its
 * arrival decision point): an oracle key (true duration) is the same whenever it is read,
 * and a prediction is then made from exactly what was known at submit time.
 *
 * The waiting jobs are kept in a key-sorted array across decision points: arrivals
 * are merged in (they show up in the waiting snapshot with indices above any seen
 * before) and started jobs are dropped, so no decision point sorts the whole queue.
 */
export class KeyedQueue {
  private key = new Float64Array(0);
  private sorted: Int32Array = new Int32Array(64);
  private len = 0;
  private seen = -1; // highest job index merged so far
  private fresh: Int32Array = new Int32Array(64);
  private bound = 0;

  reset(jobs: readonly JobView[]): void {
    this.key = new Float64Array(jobs.length);
    this.len = 0;
    this.seen = -1;
    this.bound = minWholeGpus(jobs);
  }

  /** One decision point; `keyAt(j)` is asked for each new arrival j. */
  run(ctx: SimContext, keyAt: (job: number) => number): void {
    const key = this.key;
    // 1. New arrivals: the tail of the waiting snapshot (index order) above `seen`.
    const w = ctx.waitingCount;
    let first = w;
    while (first > 0 && ctx.waitingAt(first - 1) > this.seen) first--;
    const k = w - first;
    if (k > 0) {
      const fresh = (this.fresh = ensureInt32(this.fresh, k));
      for (let i = 0; i < k; i++) {
        const j = ctx.waitingAt(first + i);
        fresh[i] = j;
        key[j] = keyAt(j);
      }
      this.seen = fresh[k - 1];
      fresh.subarray(0, k).sort((a, b) => key[a] - key[b] || a - b);
      const sorted = (this.sorted = ensureInt32(this.sorted, this.len + k));
      // Merge from the back so it works in place.
      let a = this.len - 1;
      let b = k - 1;
      for (let out = this.len + k - 1; b >= 0; out--) {
        if (a >= 0 && (key[sorted[a]] > key[fresh[b]] || (key[sorted[a]] === key[fresh[b]] && sorted[a] > fresh[b])))
          sorted[out] = sorted[a--];
        else sorted[out] = fresh[b--];
      }
      this.len += k;
    }
    // 2. Start every job that fits, in key order; compact away the started ones.
    const bound = this.bound;
    if (ctx.freeGpus < bound) return;
    const sorted = this.sorted;
    let out = 0;
    let i = 0;
    for (; i < this.len && ctx.freeGpus >= bound; i++) {
      const j = sorted[i];
      if (!tryStartFast(ctx, j)) sorted[out++] = j;
    }
    if (out < i) sorted.copyWithin(out, i, this.len);
    this.len -= i - out;
  }
}
