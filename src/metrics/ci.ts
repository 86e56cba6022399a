import { Rng } from '../util/rng';
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

/**
 * How every cross-seed interval of Lepton is computed (`lepton start`, `lepton sweep merge`, the
 * cross-seed report). Our metrics are non-negative and skewed across seeds (one seed with a long
 * queue can triple a mean JCT), so the symmetric Student-t interval printed negative lower bounds
 * for a positive metric. The percentile bootstrap of the mean never leaves [min, max] of the
 * observed values, so it respects every metric's range. With few seeds it is somewhat narrow
 * (coverage below nominal for n ≈ 5): read it as "where the mean over seeds plausibly lies".
 */
export const SEED_INTERVAL_DEFAULTS = Object.freeze({
  /** Coverage of the interval. */
  level: 0.95,
  /** Bootstrap resamples B: Monte Carlo error of the 2.5 % quantile is small at 10,000. */
  resamples: 10_000,
  /** Fixed seed: the same values always give the same bounds (merges are byte-identical). */
  seed: 0x5eed,
});

/** One line naming the method, for table captions, CSV columns and manifests. */
export const SEED_INTERVAL_METHOD = `percentile bootstrap of the mean over seeds (95 %, B = 10000, seeded)`;

/** CSV column suffixes of the bounds: the method (bootstrap, 95 %) is in the name, so a reader cannot miss it. */
export const SEED_BOUND_SUFFIX = Object.freeze({ lo: 'boot95_lo', hi: 'boot95_hi' } as const);

/** Resample index tables by sample size n (a pure function of n and the fixed seed). */
const resampleIndices = new Map<number, Int32Array>();

function indicesFor(n: number): Int32Array {
  let idx = resampleIndices.get(n);
  if (!idx) {
    const { resamples, seed } = SEED_INTERVAL_DEFAULTS;
    const rng = new Rng(seed);
    idx = new Int32Array(resamples * n);
    for (let k = 0; k < idx.length; k++) idx[k] = rng.int(0, n);
    resampleIndices.set(n, idx);
  }
  return idx;
}

/**
 * Interval for the mean of one metric over seeds (SEED_INTERVAL_METHOD): estimate = the sample
 * mean; lo/hi = type-7 quantiles (2.5 %, 97.5 %) of the means of B resamples drawn with
 * replacement. Every resample mean lies in [min, max] of the values, so lo ≥ min and hi ≤ max.
 * n < 2 gives NaN bounds (one seed says nothing about the spread); NaN values are an error.
 */
export function seedInterval(values: ArrayLike<number>): Interval {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i])) throw new RangeError(`seedInterval: value ${i} is NaN`);
    sum += values[i];
  }
  const estimate = n > 0 ? sum / n : NaN;
  if (n < 2) return { n, estimate, lo: NaN, hi: NaN };
  const { level, resamples } = SEED_INTERVAL_DEFAULTS;
  const idx = indicesFor(n);
  const means = new Float64Array(resamples);
  for (let b = 0, k = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++, k++) s += values[idx[k]];
    means[b] = s / n;
  }
  means.sort();
  // Clamp: a sum of n values divided by n can round a hair outside [min, max].
  const lo = quantileSorted(means, (1 - level) / 2);
  const hi = quantileSorted(means, (1 + level) / 2);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const clamp = (x: number): number => Math.min(Math.max(x, min), max);
  return { n, estimate, lo: clamp(lo), hi: clamp(hi) };
}
