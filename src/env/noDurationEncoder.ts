import { encodeDecision, observationSize, type ObservationEncoder } from './observation';

/**
 * The window encoding without the log-duration feature (left 0, and no remaining time is read):
 * what a scheduler knows at submit time on a trace without user estimates (GPUs, waiting time,
 * fits-now, cluster state). The non-oracle observation of the cluster study; with the window
 * encoder (true durations, ORACLE) it forms the study's observation ablation.
 */
export const noDurationEncoder: ObservationEncoder = {
  name: 'no-duration',
  size: observationSize,
  encode: (ctx, window, maxNodeGpus, obs, mask, slots) =>
    encodeDecision(ctx, window, maxNodeGpus, obs, mask, slots, false),
};
