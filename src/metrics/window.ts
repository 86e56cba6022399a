import { UsageError } from '../util/errors';

/**
 * Steady-state window: a half-open range [from, to) of job indices in submit
 * order (the order of SimResult.jobs). Per-job statistics, makespan and the
 * utilisation interval are computed on the jobs inside it only.
 */
export interface JobWindow {
  readonly from: number;
  readonly to: number;
}

/** Checks a window against `jobCount`; no window means all jobs. */
export function resolveWindow(jobCount: number, window?: JobWindow): JobWindow {
  if (window === undefined) return { from: 0, to: jobCount };
  const { from, to } = window;
  if (!Number.isInteger(from) || !Number.isInteger(to))
    throw new UsageError(`window {from: ${from}, to: ${to}}: bounds must be integer job indices`);
  if (from < 0 || to > jobCount || from > to)
    throw new UsageError(`window {from: ${from}, to: ${to}}: need 0 <= from <= to <= ${jobCount} (number of jobs)`);
  return { from, to };
}

/**
 * Drops the first and last `fraction` of jobs (rounded down), e.g. 0.1 keeps
 * jobs [floor(0.1 n), n - floor(0.1 n)): the usual warm-up / drain exclusion.
 */
export function trimmedWindow(jobCount: number, fraction = 0.1): JobWindow {
  if (!(fraction >= 0 && fraction < 0.5)) throw new UsageError(`trim fraction must be in [0, 0.5) (got ${fraction})`);
  const k = Math.floor(jobCount * fraction);
  return { from: k, to: jobCount - k };
}
