import type { Job } from '../workload/job';

/** Lifecycle of a job inside one simulation. */
export const enum JobStatus {
  Pending = 0,
  Waiting = 1,
  Running = 2,
  Finished = 3,
  Rejected = 4,
}

/**
 * Everything a simulation produced. Arrays are indexed like `jobs`
 * (sorted by submit time). Times are seconds; NaN = never happened.
 */
export interface SimResult {
  readonly policy: string;
  readonly jobs: readonly Job[];
  /** First time the job started running. */
  readonly start: Float64Array;
  readonly finish: Float64Array;
  readonly status: Uint8Array;
  readonly preemptions: Int32Array;
  /** Capacity of the simulated cluster. */
  readonly capacity: { readonly gpus: number; readonly cpus: number; readonly memMiB: number };
  /**
   * Piecewise-constant usage: from timeline.time[i] until time[i+1] the cluster used
   * gpus[i] GPUs (fractional shares included), cpus[i] and memMiB[i].
   */
  readonly timeline: {
    readonly time: Float64Array;
    readonly gpus: Float64Array;
    readonly cpus: Float64Array;
    readonly memMiB: Float64Array;
  };
  /** Simulated time when the run ended. */
  readonly endTime: number;
  /** Events processed (arrivals + completions + ticks). */
  readonly events: number;
  readonly counts: {
    readonly jobs: number;
    readonly finished: number;
    readonly rejected: number;
    readonly unfinished: number;
  };
}
