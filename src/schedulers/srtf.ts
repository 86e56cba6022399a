import type { OracleScheduler, OracleSimContext } from '../sim/scheduler';
import { PriorityPreemption } from './preemptive';

/**
 * Shortest Remaining Time First (preemptive SJF) with oracle durations: priority =
 * remaining run time (ctx.remaining, including pending restart overhead), ties by
 * arrival. At every decision point (arrivals and completions; no ticks are needed since
 * a running job only gets more urgent) the running set becomes the greedy prefix of that
 * order that fits: a waiting job preempts running jobs only if their remaining time is
 * strictly longer (see preemptive.ts). Optimal for mean response time on one machine
 * (Schrage 1968); the "shortest" policy of the Tiresias simulator (Gu et al., NSDI'19).
 */
export function srtf(): OracleScheduler {
  const engine = new PriorityPreemption();
  let keys = new Float64Array(0);
  return {
    name: 'srtf',
    oracle: true,
    preemptive: true,
    reset(jobs) {
      keys = new Float64Array(jobs.length);
      engine.reset(jobs);
    },
    schedule(ctx: OracleSimContext) {
      engine.run(ctx, keys, (j) => ctx.remaining(j));
    },
  };
}
