import type { Scheduler } from '../sim/scheduler';
import { waitPriorityStrict } from './waitPriority';

/**
 * UNICEP, textbook form (Tang et al., IEEE Cluster 2009): priority = w / (log2(n) · r) with the
 * job's *current* waiting time w, requested run time r (user estimate; the true duration when the
 * trace has none) and size n. Higher first, strict order (the head blocks). For n = 1 the formula
 * divides by log2(1) = 0: single-GPU / single-processor jobs rank above every larger job, and among
 * themselves by w / r (largest first).
 *
 * Not RLScheduler's "UNICEP" (constant waiting time −1 − submit, see src/rlsched/heuristics.ts).
 */
export function unicep(): Scheduler {
  return waitPriorityStrict(
    'unicep',
    // n = 1: the formula's priority is infinite; rank those jobs in a tier above, by w / r.
    (w, r, n) => (n <= 1 ? w / Math.max(r, 1) : w / (Math.log2(n) * Math.max(r, 1))),
    (n) => (n <= 1 ? 1 : 0),
  );
}
