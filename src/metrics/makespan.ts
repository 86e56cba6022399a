import type { SimResult } from '../sim/result';
import { isFinished } from './perjob';
import type { JobWindow } from './window';

/** The interval a makespan covers: [first submit, last finish] of the selected jobs. */
export interface Span {
  /** Earliest submit among the selected jobs, any status (s). */
  readonly start: number;
  /** Latest finish among the selected jobs that finished (s); NaN if none did. */
  readonly end: number;
}

/** First submit and last finish over jobs [from, to) (all jobs by default). */
export function jobSpan(r: SimResult, window: JobWindow = { from: 0, to: r.jobs.length }): Span {
  let start = Infinity;
  let end = -Infinity;
  for (let i = window.from; i < window.to; i++) {
    if (r.jobs[i].submit < start) start = r.jobs[i].submit;
    if (isFinished(r, i) && r.finish[i] > end) end = r.finish[i];
  }
  return { start: start === Infinity ? NaN : start, end: end === -Infinity ? NaN : end };
}

/** Makespan = last finish − first submit (s); NaN when no selected job finished. */
export function makespan(r: SimResult, window?: JobWindow): number {
  const s = jobSpan(r, window);
  return s.end - s.start;
}
