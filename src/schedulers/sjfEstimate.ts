import type { BlindScheduler } from '../sim/scheduler';
import { predictedKeyScheduler } from './predicted';

/**
 * SJF on PREDICTED durations: like `sjf` but each job is ordered by the duration its
 * predictor guessed at its submit time (option `predictor`, default `user-estimate`: the
 * user's wall-time estimate where the trace has one — SWF requested time; see Tsafrir,
 * Etsion & Feitelson, IEEE TPDS 2007 on how poor those are — else the running history of
 * finished jobs with the same group and GPU count, src/predict/). Not an oracle: it never
 * reads a true duration. Non-preemptive, skips jobs that do not fit.
 */
export function sjfEstimate(opts?: Record<string, unknown>): BlindScheduler {
  return predictedKeyScheduler('sjf-estimate', opts, (predicted) => predicted);
}
