import type { Scheduler, SimContext } from '../../../src/sim/scheduler';
import { numberOption } from '../../../src/schedulers/common';
import { PriorityPreemption } from './preemptive';

/** Default seconds between LAS re-evaluations while jobs wait. */
export const LAS_TICK = 60;

/**
 * Least Attained Service (foreground-background): priority = GPU-seconds of service the
 * job has received so far (ctx.attained: GPUs × seconds run; fractional shares count
 * their share, CPU-only jobs 0), least first, ties by arrival. Needs no duration
 * knowledge. Re-evaluated every `tickInterval` s while jobs wait (the time-slice
 * quantum); a running job is preempted only by a job with STRICTLY less attained
 * service, so two equally served jobs do not swap, and jobs that keep catching up with
 * each other alternate at most once per two ticks. Kleinrock's FB / LAS (Rai,
 * Urvoy-Keller & Biersack, SIGMETRICS'03); the continuous 2D-LAS of Tiresias (Gu et
 * al., NSDI'19). Options: tickInterval (s, default LAS_TICK).
 */
export function las(opts?: Record<string, unknown>): Scheduler {
  const tickInterval = numberOption(opts, 'tickInterval', LAS_TICK);
  const engine = new PriorityPreemption();
  let keys = new Float64Array(0);
  return {
    name: 'las',
    preemptive: true,
    tickInterval,
    reset(jobs) {
      keys = new Float64Array(jobs.length);
      engine.reset(jobs.length);
    },
    schedule(ctx: SimContext) {
      engine.run(ctx, keys, (j) => ctx.attained(j));
    },
  };
}
