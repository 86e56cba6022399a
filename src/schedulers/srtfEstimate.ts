import type { BlindScheduler } from '../sim/scheduler';
import { PriorityPreemption } from './preemptive';
import { trackerFromOptions } from './predicted';

/**
 * Shortest PREDICTED Remaining Time first (SPRPT in the queueing literature, e.g.
 * Mitzenmacher, "Scheduling with predictions and the price of misprediction", ITCS'20):
 * srtf with the true remaining time replaced by max(0, prediction − executed), the
 * prediction made at submit time by the `predictor` option (src/predict/). Preemptive with the
 * greedy-prefix rule of preemptive.ts. A job that outlives its prediction has predicted
 * remaining time 0 and so ranks first (ties by arrival) until it ends: an under-predicted long
 * job is never preempted — the known weakness of SPRPT, kept rather than patched so the policy
 * stays the textbook one. No ticks: a running job only becomes more urgent. Not an oracle.
 */
export function srtfEstimate(opts?: Record<string, unknown>): BlindScheduler {
  const engine = new PriorityPreemption();
  const tracker = trackerFromOptions(opts);
  let keys = new Float64Array(0);
  return {
    name: 'srtf-estimate',
    preemptive: true,
    reset(jobs) {
      keys = new Float64Array(jobs.length);
      engine.reset(jobs);
      tracker.reset(jobs);
    },
    schedule(ctx) {
      tracker.update(ctx);
      const p = tracker.predicted;
      engine.run(ctx, keys, (j) => Math.max(0, p[j] - ctx.executed(j)));
    },
  };
}
