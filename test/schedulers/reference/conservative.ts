import type { OracleScheduler as Scheduler, OracleSimContext as SimContext } from '../../../src/sim/scheduler';
import { boolOption, cannotFit, ensureFloat64, gpuAmount, minWholeGpus } from '../../../src/schedulers/common';
import { RunningEnds, runTimeOf } from '../../../src/schedulers/backfill';

/** Slack when comparing fractional GPU amounts in the profile. */
const TOL = 1e-9;

/**
 * Conservative backfilling (Mu'alem & Feitelson, IEEE TPDS 2001): EVERY waiting job gets
 * a reservation, so a job may start early only if it delays no job ahead of it. At each
 * decision point the GPU availability profile (a step function of idle GPUs over time,
 * from the running jobs' believed ends) is rebuilt, and the waiting jobs, in FIFO order,
 * each reserve the earliest slot where their GPU demand is available for their whole
 * believed run time; a job whose slot is now starts (if placement succeeds). Rebuilding
 * from scratch is the "compression" step: reservations move earlier when jobs end early,
 * never later, because older jobs always reserve first. Run times are oracle durations or,
 * with useEstimates, job.estimate (duration when absent). GPUs are the reserved resource;
 * CPU-only jobs reserve nothing. Non-preemptive. Options: useEstimates (default false).
 */
export function conservative(opts?: Record<string, unknown>): Scheduler {
  const useEstimates = boolOption(opts, 'useEstimates', false);
  const running = new RunningEnds();
  let pt: Float64Array = new Float64Array(64); // breakpoint times
  let pa: Float64Array = new Float64Array(64); // idle GPUs from pt[i] until pt[i+1]
  let bound = 0; // see minWholeGpus: below it nothing can start
  return {
    name: 'conservative',
    oracle: true,
    preemptive: false,
    reset(jobs) {
      bound = minWholeGpus(jobs);
    },
    schedule(ctx: SimContext) {
      if (ctx.freeGpus < bound) return;
      const w = ctx.waitingCount;
      if (w === 0) return;
      const jobs = ctx.jobs;
      const now = ctx.now;
      // The oldest jobs that fit now start at once (nothing is ahead of them to delay); the
      // profile is only built, from the then running jobs, for the rest of the queue.
      let first = 0;
      while (first < w && !cannotFit(ctx, jobs[ctx.waitingAt(first)]) && ctx.tryStart(ctx.waitingAt(first))) first++;
      if (first === w) return;
      running.collect(ctx, useEstimates);
      pt = ensureFloat64(pt, running.count + 2 * w + 2);
      pa = ensureFloat64(pa, running.count + 2 * w + 2);
      let p = 1;
      pt[0] = now;
      pa[0] = ctx.freeGpus;
      for (let k = 0; k < running.count; k++) {
        const t = running.ends[k];
        if (t <= pt[p - 1]) pa[p - 1] += running.gpus[k];
        else {
          pt[p] = t;
          pa[p] = pa[p - 1] + running.gpus[k];
          p++;
        }
      }
      for (let i = first; i < w; i++) {
        const j = ctx.waitingAt(i);
        const job = jobs[j];
        const g = gpuAmount(job);
        if (g === 0) {
          if (!cannotFit(ctx, job)) ctx.tryStart(j);
          continue;
        }
        // No GPU idle now in the profile: later GPU jobs cannot start now, and their
        // reservations could only constrain jobs behind them, which cannot start now either.
        if (pa[0] < TOL) continue;
        const d = runTimeOf(job, useEstimates);
        // Earliest breakpoint k from which g GPUs stay available for d seconds.
        let k = 0;
        for (;;) {
          let m = k;
          let ok = true;
          while (m < p && (m === k || pt[m] < pt[k] + d)) {
            if (pa[m] < g - TOL) {
              ok = false;
              break;
            }
            m++;
          }
          if (ok) break;
          k = m + 1; // every start whose window reaches the short segment m fails too
          if (k >= p) {
            // Only when fractional shares make the profile's tail undercount idle GPUs.
            k = p - 1;
            break;
          }
        }
        if (d > 0) {
          const end = pt[k] + d;
          let e = k + 1;
          while (e < p && pt[e] < end) e++;
          if (e === p || pt[e] !== end) {
            pt.copyWithin(e + 1, e, p);
            pa.copyWithin(e + 1, e, p);
            pt[e] = end;
            pa[e] = pa[e - 1];
            p++;
          }
          for (let m = k; m < e; m++) pa[m] -= g;
        }
        if (k === 0 && !cannotFit(ctx, job)) ctx.tryStart(j);
      }
    },
  };
}
