import { JobStatus, type SimResult } from '../sim/result';

/**
 * Per-job latency metrics, one Float64Array slot per job (index = job index).
 * NaN marks "not defined for this job"; statistics skip NaN slots.
 */

/** Default τ (s) of bounded slowdown: jobs shorter than this count as τ long. */
export const DEFAULT_TAU = 10;

/** True when the job completed (status Finished with a finite finish time). */
export function isFinished(r: SimResult, i: number): boolean {
  return r.status[i] === JobStatus.Finished && Number.isFinite(r.finish[i]);
}

/** JCT_i = finish_i − submit_i (s); NaN unless the job finished. */
export function jobCompletionTimes(r: SimResult): Float64Array {
  const n = r.jobs.length;
  const out = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) if (isFinished(r, i)) out[i] = r.finish[i] - r.jobs[i].submit;
  return out;
}

/** Q_i = start_i − submit_i (s), with start_i the FIRST start; NaN if it never started. */
export function queueingDelays(r: SimResult): Float64Array {
  const n = r.jobs.length;
  const out = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    const s = r.start[i];
    if (Number.isFinite(s)) out[i] = s - r.jobs[i].submit;
  }
  return out;
}

/**
 * S_i = JCT_i / duration_i (dimensionless, >= 1 when the job ran at full speed).
 * NaN for unfinished jobs and for duration 0 (the ratio is undefined; such
 * jobs are counted separately and covered by bounded slowdown).
 */
export function slowdowns(r: SimResult): Float64Array {
  const jct = jobCompletionTimes(r);
  for (let i = 0; i < jct.length; i++) {
    const d = r.jobs[i].duration;
    jct[i] = d > 0 ? jct[i] / d : NaN;
  }
  return jct;
}

/**
 * BSD_i = max(1, JCT_i / max(duration_i, τ)) (dimensionless, >= 1); defined for
 * every finished job, duration 0 included. NaN unless finished.
 */
export function boundedSlowdowns(r: SimResult, tau = DEFAULT_TAU): Float64Array {
  if (!(tau > 0)) throw new RangeError(`bounded slowdown needs tau > 0 (got ${tau})`);
  const jct = jobCompletionTimes(r);
  for (let i = 0; i < jct.length; i++) {
    const v = jct[i] / Math.max(r.jobs[i].duration, tau);
    jct[i] = Number.isNaN(v) ? NaN : Math.max(1, v);
  }
  return jct;
}
