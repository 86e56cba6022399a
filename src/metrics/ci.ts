import type { Rng } from '../util/rng';
import { quantileSorted } from './quantile';
import { tQuantile } from './tdist';

export interface Interval {
  /** Sample size used. */
  readonly n: number;
  /** Point estimate (the sample mean for the t interval). */
  readonly estimate: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * Student-t confidence interval for the mean of independent samples (e.g. one
 * metric over seeds): mean ± t_{(1+level)/2, n−1} · s / √n, with s the sample
 * standard deviation (n − 1 denominator). n < 2 gives lo = hi = NaN.
 */
export function confidenceInterval(
  values: ArrayLike<number>,
  level = 0.95,
): Interval & { readonly halfWidth: number; readonly stdev: number } {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1) (got ${level})`);
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const m = n > 0 ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - m) ** 2;
  const stdev = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
  const halfWidth = n > 1 ? tQuantile((1 + level) / 2, n - 1) * (stdev / Math.sqrt(n)) : NaN;
  return { n, estimate: m, lo: m - halfWidth, hi: m + halfWidth, halfWidth, stdev };
}

/** Hyperparameters of the percentile bootstrap. */
export interface BootstrapOptions {
  /** Coverage of the interval. */
  level?: number;
  /** Number of resamples B; more gives steadier bounds at linear cost. */
  resamples?: number;
  /** Statistic of a resample (default: mean). Receives a reused buffer: do not keep it. */
  statistic?: (sample: Float64Array) => number;
}

const DEFAULT_RESAMPLES = 2000;

function meanOf(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/**
 * Percentile bootstrap CI: draw B resamples of size n with replacement (from
 * `rng`, so it is reproducible), compute the statistic on each, and return the
 * (1−level)/2 and (1+level)/2 quantiles (type 7) of those B values.
 * estimate = statistic of the original sample. Empty input -> NaN bounds.
 */
export function bootstrapCI(values: ArrayLike<number>, rng: Rng, opts: BootstrapOptions = {}): Interval {
  const level = opts.level ?? 0.95;
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const stat = opts.statistic ?? meanOf;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1) (got ${level})`);
  if (!(Number.isInteger(resamples) && resamples >= 1))
    throw new RangeError(`resamples must be a positive integer (got ${resamples})`);
  const n = values.length;
  const data = Float64Array.from(values);
  if (n === 0) return { n, estimate: NaN, lo: NaN, hi: NaN };
  const estimate = stat(data.slice());
  const buf = new Float64Array(n);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) buf[i] = data[rng.int(0, n)];
    stats[b] = stat(buf);
  }
  stats.sort();
  return {
    n,
    estimate,
    lo: quantileSorted(stats, (1 - level) / 2),
    hi: quantileSorted(stats, (1 + level) / 2),
  };
}
