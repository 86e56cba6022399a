import type { OracleScheduler as Scheduler, OracleSimContext as SimContext } from '../../../src/sim/scheduler';
import type { Job } from '../../../src/workload/job';
import { gpuAmount, numberOption } from '../../../src/schedulers/common';
import { PriorityPreemption } from './preemptive';

/** Every Gittins hyperparameter, defaulted in one place. */
export const GITTINS_DEFAULTS = {
  /** Service quantum Δ (GPU-seconds) over which the index looks ahead. */
  delta: 3600,
  /** Seconds between re-evaluations while jobs wait. */
  tickInterval: 60,
};

/**
 * Gittins index policy, the duration-aware variant of Tiresias (Gu et al., NSDI'19,
 * §4.2, after Gittins 1979 and Aalto et al. 2009). Prior: the empirical distribution of
 * the GPU-time (duration × GPUs) of every job in the run (an oracle on the job SET, not
 * on individual jobs). For attained service a (ctx.attained) the index is
 *   G(a) = P(S − a ≤ Δ | S > a) / E[min(S − a, Δ) | S > a],
 * the chance of finishing within the next quantum per unit of expected service spent;
 * a job that outlived every sample gets G = 0 (lowest). Highest index first, ties by
 * arrival; a running job is preempted only by a strictly higher index (preemptive.ts).
 * Unlike Tiresias we use the index directly (no queue discretisation) and the correct
 * conditional expectation of the REMAINING service (the authors' simulator sums the
 * samples themselves). Options: delta, tickInterval — see GITTINS_DEFAULTS.
 */
export function gittins(opts?: Record<string, unknown>): Scheduler {
  const delta = numberOption(opts, 'delta', GITTINS_DEFAULTS.delta, Number.MIN_VALUE);
  const tickInterval = numberOption(opts, 'tickInterval', GITTINS_DEFAULTS.tickInterval);
  const engine = new PriorityPreemption();
  let keys = new Float64Array(0);
  let index: (a: number) => number = () => 0;
  return {
    name: 'gittins',
    oracle: true,
    preemptive: true,
    tickInterval,
    reset(jobs) {
      keys = new Float64Array(jobs.length);
      engine.reset(jobs.length);
      index = gittinsIndex(jobs, delta);
    },
    schedule(ctx: SimContext) {
      engine.run(ctx, keys, (j) => -index(ctx.attained(j)));
    },
  };
}

/** G(a) over the empirical GPU-time distribution of `jobs`, quantum `delta`. */
export function gittinsIndex(jobs: readonly Job[], delta: number): (a: number) => number {
  const n = jobs.length;
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) s[j] = jobs[j].duration * gpuAmount(jobs[j]);
  s.sort();
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + s[i];
  /** First i with s[i] > x. */
  const above = (x: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return (a: number): number => {
    const lo = above(a);
    if (lo === n) return 0;
    const hi = above(a + delta);
    const alive = n - lo;
    const p = (hi - lo) / alive;
    const e = (prefix[hi] - prefix[lo] - a * (hi - lo) + delta * (n - hi)) / alive;
    return p / e;
  };
}
