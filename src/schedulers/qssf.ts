import type { BlindScheduler } from '../sim/scheduler';
import { gpuAmount } from './common';
import { predictedKeyScheduler } from './predicted';

/**
 * Quasi-Shortest-Service-First, after Helios' QSSF (Hu et al., "Characterization and
 * Prediction of Deep Learning Workloads in Large-Scale GPU Datacenters", SC'21): jobs are
 * ordered by their PREDICTED GPU service, predicted duration × GPUs (the share for a
 * fractional job), smallest first, ties by arrival; every job that fits starts in that order.
 * The duration comes from the `predictor` option (default `user-estimate`, i.e. the running
 * history of finished jobs with the same group and GPU count where the trace has no user
 * estimates; src/predict/). Helios learns its predictor from the job's name and user as well;
 * our traces record neither, so the group (VC) and GPU count are the features. Not an oracle.
 * Non-preemptive.
 */
export function qssf(opts?: Record<string, unknown>): BlindScheduler {
  return predictedKeyScheduler('qssf', opts, (predicted, job) => predicted * gpuAmount(job));
}
