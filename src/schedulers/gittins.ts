import type { OracleScheduler, OracleSimContext } from '../sim/scheduler';
import type { Job } from '../workload/job';
import { gpuAmount, numberOption } from './common';
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
export function gittins(opts?: Record<string, unknown>): OracleScheduler {
  const delta = numberOption(opts, 'delta', GITTINS_DEFAULTS.delta, Number.MIN_VALUE);
  const tickInterval = numberOption(opts, 'tickInterval', GITTINS_DEFAULTS.tickInterval);
  const engine = new PriorityPreemption();
  let keys = new Float64Array(0);
  let index: (a: number, job?: number) => number = () => 0;
  return {
    name: 'gittins',
    oracle: true,
    preemptive: true,
    tickInterval,
    reset(jobs) {
      keys = new Float64Array(jobs.length);
      engine.reset(jobs);
      index = gittinsIndex(jobs, delta);
    },
    schedule(ctx: OracleSimContext) {
      engine.run(ctx, keys, (j) => -index(ctx.attained(j), j));
    },
  };
}

/**
 * G(a) over the empirical GPU-time distribution of `jobs`, quantum `delta`. With `job`
 * (an index into `jobs`) the two searches in the sorted samples start from where that
 * job's previous call ended: a running job's attained service grows a little between
 * decision points, so the answer is a few steps away (same result as a full search).
 */
export function gittinsIndex(jobs: readonly Job[], delta: number): (a: number, job?: number) => number {
  const n = jobs.length;
  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) s[j] = jobs[j].duration * gpuAmount(jobs[j]);
  s.sort();
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + s[i];
  const hintLo = new Int32Array(n);
  const hintHi = new Int32Array(n);
  /** First i with s[i] > x, galloping out from the guess h (0 <= h <= n). */
  const above = (x: number, h: number): number => {
    let lo: number;
    let hi: number;
    if (h < n && s[h] <= x) {
      // The answer is after h: double the step until past it.
      lo = h + 1;
      hi = lo;
      for (let step = 1; hi < n && s[hi] <= x; step *= 2) {
        lo = hi + 1;
        hi = lo + step;
      }
      if (hi > n) hi = n;
    } else {
      // The answer is at or before h.
      hi = h;
      lo = h - 1;
      for (let step = 1; lo >= 0 && s[lo] > x; step *= 2) {
        hi = lo;
        lo = hi - step;
      }
      lo = lo < 0 ? 0 : lo + 1;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return (a: number, job?: number): number => {
    const lo = above(a, job === undefined ? n >> 1 : hintLo[job]);
    if (job !== undefined) hintLo[job] = lo;
    if (lo === n) return 0;
    const hi = above(a + delta, job === undefined ? lo : hintHi[job]);
    if (job !== undefined) hintHi[job] = hi;
    const alive = n - lo;
    const p = (hi - lo) / alive;
    const e = (prefix[hi] - prefix[lo] - a * (hi - lo) + delta * (n - hi)) / alive;
    return p / e;
  };
}
