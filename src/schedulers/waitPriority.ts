import type { OracleScheduler, OracleSimContext } from '../sim/scheduler';
import type { Job } from '../workload/job';
import { ensureFloat64, ensureInt32 } from './common';

/**
 * Strict priority order by a *time-dependent* priority (higher first, ties by arrival = job
 * index): at every decision point every waiting job's priority is recomputed from the current
 * waiting time, and jobs start in that order until the first one that does not fit (the head
 * blocks the queue, as in RLScheduler's loop without backfilling). The textbook WFP3 and UNICEP
 * policies use it.
 *
 * `priority(job, wait, r, n)`: wait = now − submit (s), r = requested run time (job.estimate,
 * falling back to the true duration when the trace has no estimate), n = GPUs (processors for
 * SWF traces), at least 1. Optional `tier(n)`: a higher tier ranks above every lower one whatever
 * the priorities (UNICEP's n = 1 case, where the formula divides by zero).
 */
export function waitPriorityStrict(
  name: string,
  priority: (wait: number, r: number, n: number) => number,
  tier: (n: number) => number = () => 0,
): OracleScheduler {
  let ids: Int32Array = new Int32Array(64);
  let prio: Float64Array = new Float64Array(64);
  let r = new Float64Array(0);
  let n = new Float64Array(0);
  let submit = new Float64Array(0);
  let tiers = new Float64Array(0);
  return {
    name,
    oracle: true,
    preemptive: false,
    reset(jobs: readonly Job[]) {
      r = new Float64Array(jobs.length);
      n = new Float64Array(jobs.length);
      submit = new Float64Array(jobs.length);
      tiers = new Float64Array(jobs.length);
      jobs.forEach((j, i) => {
        r[i] = j.estimate ?? j.duration;
        n[i] = Math.max(1, j.gpus);
        submit[i] = j.submit;
        tiers[i] = tier(n[i]);
      });
    },
    schedule(ctx: OracleSimContext) {
      const w = ctx.waitingCount;
      if (w === 0) return;
      ids = ensureInt32(ids, w);
      prio = ensureFloat64(prio, ctx.jobs.length);
      for (let i = 0; i < w; i++) {
        const j = ctx.waitingAt(i);
        ids[i] = j;
        prio[j] = priority(ctx.now - submit[j], r[j], n[j]);
      }
      const p = prio;
      const t = tiers;
      ids.subarray(0, w).sort((a, b) => t[b] - t[a] || (p[b] > p[a] ? 1 : p[b] < p[a] ? -1 : a - b));
      for (let i = 0; i < w; i++) if (!ctx.tryStart(ids[i])) return;
    },
  };
}
