import type { Scheduler, SimContext } from '../../../src/sim/scheduler';
import { minWholeGpus, tryStartFast } from '../../../src/schedulers/common';

/**
 * FIFO with first-fit skipping: scan the waiting queue in arrival order and start every
 * job that fits; a job that does not fit is skipped instead of blocking the queue.
 * Non-preemptive. This is the "fit job first in FIFO order" (fjf) baseline of the
 * Tiresias simulator (Gu et al., NSDI'19) and the first-fit list scheduling of HPC
 * schedulers; it trades FIFO's fairness for utilisation (large jobs may starve).
 */
export function fifoSkip(): Scheduler {
  let bound = 0;
  return {
    name: 'fifo-skip',
    preemptive: false,
    reset(jobs) {
      bound = minWholeGpus(jobs);
    },
    schedule(ctx: SimContext) {
      const n = ctx.waitingCount;
      for (let i = 0; i < n && ctx.freeGpus >= bound; i++) tryStartFast(ctx, ctx.waitingAt(i));
    },
  };
}
