import type { Scheduler } from '../../../src/sim/scheduler';
import { keyedNonPreemptive } from './keyed';

/**
 * SJF on user-supplied runtime estimates: like `sjf` but ordered by job.estimate
 * (SWF "requested time", the wall-time limit users give HPC batch schedulers; see
 * Tsafrir, Etsion & Feitelson, IEEE TPDS 2007 on how poor such estimates are).
 * Decision for jobs WITHOUT an estimate: they fall back to their true duration (the
 * oracle), so on a trace with no estimates (Philly, Alibaba) sjf-estimate equals sjf
 * and on a fully estimated trace (SWF) it never sees a true duration. Non-preemptive,
 * skips jobs that do not fit.
 */
export function sjfEstimate(): Scheduler {
  return keyedNonPreemptive('sjf-estimate', (job) => job.estimate ?? job.duration);
}
