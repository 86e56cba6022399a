import type { JobView } from '../workload/job';

/**
 * A duration predictor: what a real scheduler can guess about a job's run time when it is
 * submitted. It sees jobs only as JobViews (no true duration) and learns online from the
 * jobs that have FINISHED, whose run times are then known. Jobs are referred to by their
 * index in the run's job array; `reset` precomputes whatever per-job keys it needs, so
 * `observe` and `predict` allocate nothing.
 */
export interface DurationPredictor {
  readonly name: string;
  /** Forgets all history; `jobs` is the run's job list (features only). */
  reset(jobs: readonly JobView[]): void;
  /** Job `job` finished after running `runTime` s: learn from it. */
  observe(job: number, runTime: number): void;
  /** Predicted run time (s, finite, >= 0) of job `job`, from the jobs observed so far. */
  predict(job: number): number;
}
