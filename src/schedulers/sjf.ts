import type { OracleScheduler } from '../sim/scheduler';
import { KeyedQueue } from './keyed';

/**
 * Shortest Job First with oracle durations: waiting jobs are ordered by their true run
 * time (job.duration, ties by arrival) and every job that fits starts in that order,
 * skipping those that do not fit. Non-preemptive. The classic mean-JCT heuristic
 * (Smith 1956 for one machine); as a GPU-cluster baseline e.g. in Tiresias (Gu et al.,
 * NSDI'19) and the Helios/QSSF study (Hu et al., SC'21). An oracle: real schedulers do
 * not know durations — see sjf-estimate, which orders by predictions.
 */
export function sjf(): OracleScheduler {
  const queue = new KeyedQueue();
  return {
    name: 'sjf',
    oracle: true,
    preemptive: false,
    reset(jobs) {
      queue.reset(jobs);
    },
    schedule(ctx) {
      queue.run(ctx, (j) => ctx.jobs[j].duration);
    },
  };
}
