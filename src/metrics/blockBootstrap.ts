import type { Rng } from '../util/rng';
import type { Interval } from './ci';
import { quantileSorted } from './quantile';

/**
 * Moving-block bootstrap over one run's jobs in submit order (the "job-window bootstrap").
 *
 * Jobs of one trace window are not independent: a burst delays every job behind it. So instead
 * of resampling single jobs, the n jobs are cut into `blocks` contiguous blocks of (nearly)
 * equal size and a resample draws `blocks` blocks with replacement; the statistic is computed
 * on the jobs of the drawn blocks. NaN values (unfinished jobs) are skipped by the statistic.
 *
 * `paired` resamples the SAME blocks for two runs of the same jobs (two policies) and returns
 * the interval of statistic(a) − statistic(b): a difference whose interval excludes 0 is a
 * difference the job windows support.
 */
export interface BlockBootstrapOptions {
  /** Contiguous blocks the jobs are cut into; fewer jobs than blocks: one job per block. */
  blocks?: number;
  resamples?: number;
  level?: number;
}

export const BLOCK_BOOTSTRAP_DEFAULTS = { blocks: 20, resamples: 2000, level: 0.95 } as const;

/** Statistic of a resample: gets a reused buffer and its filled length. */
export type SampleStatistic = (values: Float64Array, n: number) => number;

/** Mean of the non-NaN values. */
export const meanStat: SampleStatistic = (v, n) => {
  let s = 0;
  let k = 0;
  for (let i = 0; i < n; i++)
    if (!Number.isNaN(v[i])) {
      s += v[i];
      k++;
    }
  return k > 0 ? s / k : NaN;
};

/** Type-7 quantile q of the non-NaN values. */
export function quantileStat(q: number): SampleStatistic {
  return (v, n) => {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) if (!Number.isNaN(v[i])) xs.push(v[i]);
    if (xs.length === 0) return NaN;
    return quantileSorted(Float64Array.from(xs).sort(), q);
  };
}

function blockBounds(n: number, blocks: number): Int32Array {
  const b = Math.max(1, Math.min(blocks, n));
  const bounds = new Int32Array(b + 1);
  for (let k = 0; k <= b; k++) bounds[k] = Math.round((k * n) / b);
  return bounds;
}

function check(o: Required<BlockBootstrapOptions>): void {
  if (!(Number.isInteger(o.blocks) && o.blocks >= 1))
    throw new RangeError(`blocks must be an integer >= 1 (${o.blocks})`);
  if (!(Number.isInteger(o.resamples) && o.resamples >= 1))
    throw new RangeError(`resamples must be an integer >= 1 (${o.resamples})`);
  if (!(o.level > 0 && o.level < 1)) throw new RangeError(`level must be in (0, 1) (${o.level})`);
}

function run(
  series: readonly ArrayLike<number>[],
  stat: SampleStatistic,
  combine: (s: readonly number[]) => number,
  rng: Rng,
  opts: BlockBootstrapOptions,
): Interval {
  const o = { ...BLOCK_BOOTSTRAP_DEFAULTS, ...opts };
  check(o);
  const n = series[0].length;
  for (const s of series) if (s.length !== n) throw new RangeError('paired series must have the same length');
  const full = series.map((s) => Float64Array.from(s));
  const estimate = combine(full.map((s) => stat(s, n)));
  if (n === 0) return { n, estimate: NaN, lo: NaN, hi: NaN };
  const bounds = blockBounds(n, o.blocks);
  const b = bounds.length - 1;
  const bufs = series.map(() => new Float64Array(n + Math.ceil(n / b) * b));
  const picks = new Int32Array(b);
  const stats = new Float64Array(o.resamples);
  const vals = new Array<number>(series.length);
  for (let r = 0; r < o.resamples; r++) {
    for (let k = 0; k < b; k++) picks[k] = rng.int(0, b);
    for (let s = 0; s < series.length; s++) {
      let len = 0;
      const src = full[s];
      const buf = bufs[s];
      for (let k = 0; k < b; k++) for (let i = bounds[picks[k]]; i < bounds[picks[k] + 1]; i++) buf[len++] = src[i];
      vals[s] = stat(buf, len);
    }
    stats[r] = combine(vals);
  }
  const finite = Float64Array.from(stats.filter((x) => !Number.isNaN(x))).sort();
  if (finite.length === 0) return { n, estimate, lo: NaN, hi: NaN };
  return { n, estimate, lo: quantileSorted(finite, (1 - o.level) / 2), hi: quantileSorted(finite, (1 + o.level) / 2) };
}

/** Block-bootstrap interval of `stat` over per-job `values` (submit order). */
export function blockBootstrapCI(
  values: ArrayLike<number>,
  stat: SampleStatistic,
  rng: Rng,
  opts: BlockBootstrapOptions = {},
): Interval {
  return run([values], stat, (s) => s[0], rng, opts);
}

/** Paired block-bootstrap interval of stat(a) − stat(b) (same jobs, same blocks). */
export function pairedBlockBootstrapCI(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  stat: SampleStatistic,
  rng: Rng,
  opts: BlockBootstrapOptions = {},
): Interval {
  return run([a, b], stat, (s) => s[0] - s[1], rng, opts);
}
