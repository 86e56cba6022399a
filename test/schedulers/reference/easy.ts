import type { OracleScheduler as Scheduler, OracleSimContext as SimContext } from '../../../src/sim/scheduler';
import { boolOption, cannotFit, gpuAmount, minWholeGpus } from '../../../src/schedulers/common';
import { RunningEnds, runTimeOf } from '../../../src/schedulers/backfill';

/**
 * EASY backfilling (Lifka, "The ANL/IBM SP scheduling system", JSSPP 1995; analysed by
 * Mu'alem & Feitelson, IEEE TPDS 2001). Jobs start in FIFO order while they fit. The
 * first one that does not (the head) gets a reservation at the shadow time: the earliest
 * believed end of running jobs at which the idle GPUs plus the GPUs those jobs free reach
 * the head's demand; `extra` = GPUs free at the shadow time beyond that demand. Any later
 * job that fits now may then start (backfill) if it would end by the shadow time, or if
 * it needs no more than `extra` GPUs (which it then consumes). Run times are the oracle
 * durations (ctx.expectedFinish for running jobs), or job.estimate with the option
 * useEstimates (EASY as deployed: estimates are user wall-time limits). GPUs are the
 * reserved resource: a head blocked only by CPU/memory gets a reservation at the next
 * believed completion. Non-preemptive. Options: useEstimates (default false).
 */
export function easy(opts?: Record<string, unknown>): Scheduler {
  const useEstimates = boolOption(opts, 'useEstimates', false);
  const running = new RunningEnds();
  let bound = 0; // see minWholeGpus: below it nothing can start
  return {
    name: 'easy',
    oracle: true,
    preemptive: false,
    reset(jobs) {
      bound = minWholeGpus(jobs);
    },
    schedule(ctx: SimContext) {
      if (ctx.freeGpus < bound) return;
      const jobs = ctx.jobs;
      const w = ctx.waitingCount;
      let i = 0;
      while (i < w) {
        const j = ctx.waitingAt(i);
        if (cannotFit(ctx, jobs[j]) || !ctx.tryStart(j)) break;
        i++;
      }
      if (i >= w) return;
      const headJob = jobs[ctx.waitingAt(i)];
      // Shadow time: walk believed completions until enough GPUs would be idle.
      running.collect(ctx, useEstimates);
      const need = gpuAmount(headJob);
      let avail = ctx.freeGpus;
      let shadow = Infinity;
      let extra = 0;
      for (let k = 0; k < running.count;) {
        const t = running.ends[k];
        while (k < running.count && running.ends[k] === t) avail += running.gpus[k++];
        if (avail >= need || k === running.count) {
          shadow = t;
          extra = Math.max(0, avail - need);
          break;
        }
      }
      const now = ctx.now;
      for (i++; i < w; i++) {
        const j = ctx.waitingAt(i);
        const job = jobs[j];
        if (cannotFit(ctx, job)) continue;
        const g = gpuAmount(job);
        if (now + runTimeOf(job, useEstimates) <= shadow) ctx.tryStart(j);
        else if (g <= extra && ctx.tryStart(j)) extra -= g;
      }
    },
  };
}
