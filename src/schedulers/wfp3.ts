import type { Scheduler } from '../sim/scheduler';
import { waitPriorityStrict } from './waitPriority';

/**
 * WFP3, textbook form (Tang, Lan, Desai, Buettner; "Fault-aware, utility-based job scheduling on
 * Blue Gene/P systems", IEEE Cluster 2009): priority = (w / r)^3 · n with the job's *current*
 * waiting time w, its requested run time r (user estimate; the true duration when the trace has
 * none) and its size n (GPUs / processors). Higher first, strict order (the head blocks).
 *
 * Not RLScheduler's "WFP3": that code reads w as (unset start time −1) − submit, a constant, so its
 * Table V column is a different, static policy (src/rlsched/heuristics.ts, `lepton rlsched replay`).
 */
export function wfp3(): Scheduler {
  return waitPriorityStrict('wfp3', (w, r, n) => Math.pow(w / Math.max(r, 1), 3) * n);
}
