import type { OracleScheduler as Scheduler } from '../../../src/sim/scheduler';
import { keyedNonPreemptive } from './keyed';

/**
 * Shortest Job First with oracle durations: waiting jobs are ordered by their true run
 * time (job.duration, ties by arrival) and every job that fits starts in that order,
 * skipping those that do not fit. Non-preemptive. The classic mean-JCT heuristic
 * (Smith 1956 for one machine); as a GPU-cluster baseline e.g. in Tiresias (Gu et al.,
 * NSDI'19) and the Helios/QSSF study (Hu et al., SC'21). An oracle: real schedulers do
 * not know durations — see sjf-estimate.
 */
export function sjf(): Scheduler {
  return keyedNonPreemptive('sjf', (job) => job.duration);
}
