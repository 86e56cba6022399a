import type { BlindScheduler } from '../sim/scheduler';
import { KeyedQueue } from './keyed';
import { trackerFromOptions } from './predicted';

/**
 * SJF on PREDICTED durations: like `sjf` but each job is ordered by the duration its
 * predictor guessed at its submit time (option `predictor`, default `user-estimate`: the
 * user's wall-time estimate where the trace has one — SWF requested time; see Tsafrir,
 * Etsion & Feitelson, IEEE TPDS 2007 on how poor those are — else the running history of
 * finished jobs with the same group and GPU count, src/predict/). Not an oracle: it never
 * reads a true duration. Non-preemptive, skips jobs that do not fit.
 */
export function sjfEstimate(opts?: Record<string, unknown>): BlindScheduler {
  const queue = new KeyedQueue();
  const tracker = trackerFromOptions(opts);
  return {
    name: 'sjf-estimate',
    preemptive: false,
    reset(jobs) {
      queue.reset(jobs);
      tracker.reset(jobs);
    },
    schedule(ctx) {
      tracker.update(ctx);
      const p = tracker.predicted;
      queue.run(ctx, (j) => p[j]);
    },
  };
}
