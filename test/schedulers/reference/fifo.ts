import type { Scheduler, SimContext } from '../../../src/sim/scheduler';

/**
 * FIFO, strict head-of-line: jobs start in arrival order; when the oldest waiting job
 * does not fit, nothing behind it may start (no skipping). The baseline of every
 * cluster-scheduling paper, and what YARN's FIFO queue and early Philly did.
 */
export function fifo(): Scheduler {
  return {
    name: 'fifo',
    preemptive: false,
    reset() {},
    schedule(ctx: SimContext) {
      const n = ctx.waitingCount;
      for (let i = 0; i < n; i++) if (!ctx.tryStart(ctx.waitingAt(i))) return;
    },
  };
}
