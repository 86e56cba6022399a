import type { JobView } from '../workload/job';
import type { DurationPredictor } from './predictor';

/** Every history-predictor hyperparameter, defaulted in one place. */
export const HISTORY_DEFAULTS = {
  /**
   * Finished jobs a key needs before its statistic is trusted; below that the next, coarser
   * key of the chain answers. 3: one or two samples of a heavy-tailed duration are noise.
   */
  minSamples: 3,
  /**
   * Cold start: the prediction (s) before ANY job has finished. One hour, a round figure of
   * the order of the median GPU-job duration in the Philly and Helios analyses; it only orders
   * the first jobs of a run, all equally.
   */
  prior: 3600,
};

/** What a job's history key is made of (finest first in a chain). */
export type HistoryKey = 'group+gpus' | 'group' | 'gpus' | 'all';

/**
 * A job's size as a number: whole GPUs as themselves (≥ 1), a share s of one GPU as −1 − s,
 * a job without GPUs as 0 — distinct sizes map to distinct numbers, so a Map keyed by it
 * groups like the text `gpus` / `s<share>` would, without building a string per job.
 */
function sizeCode(job: JobView): number {
  return job.gpus > 0 ? job.gpus : job.gpuShare > 0 ? -1 - job.gpuShare : 0;
}

/** Dense ids, in order of first appearance, of `n` values given by `valueOf(j)`. */
function denseIds<K>(n: number, valueOf: (j: number) => K): { ids: Int32Array; count: number } {
  const map = new Map<K, number>();
  const ids = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const v = valueOf(j);
    let id = map.get(v);
    if (id === undefined) map.set(v, (id = map.size));
    ids[j] = id;
  }
  return { ids, count: map.size };
}
/**
 * Running statistics of finished jobs' run times, per key, with a fallback chain — the
 * approach of Helios' QSSF (Hu et al., "Characterization and Prediction of Deep Learning
 * Workloads in Large-Scale GPU Datacenters", SC'21), which predicts a job's duration from its
 * user's / VC's past jobs with the same GPU demand. Here `group` is what the trace records
 * (Philly and Helios: the VC; SWF: the user; Alibaba: the QoS class). The statistic is the
 * geometric mean (mean of log1p(run time)), robust to the heavy tail of GPU-job durations,
 * where an arithmetic mean is dominated by a few week-long jobs. A key answers once it has
 * `minSamples` finished jobs; otherwise the next key of the chain does; before any job has
 * finished, `prior`.
 */
export class HistoryPredictor implements DurationPredictor {
  readonly name: string;
  private readonly chain: readonly HistoryKey[];
  private readonly minSamples: number;
  private readonly prior: number;
  /** classOf[level][job]: the job's class at that level of the chain. */
  private classOf: Int32Array[] = [];
  private count: Float64Array[] = [];
  private sumLog: Float64Array[] = [];
  private globalCount = 0;
  private globalSumLog = 0;

  constructor(name: string, chain: readonly HistoryKey[], opts: { minSamples?: number; prior?: number } = {}) {
    this.name = name;
    this.chain = chain;
    this.minSamples = opts.minSamples ?? HISTORY_DEFAULTS.minSamples;
    this.prior = opts.prior ?? HISTORY_DEFAULTS.prior;
  }

  reset(jobs: readonly JobView[]): void {
    this.classOf = [];
    this.count = [];
    this.sumLog = [];
    const n = jobs.length;
    // Numbers, not per-job key strings: reset runs at every episode of an environment, and
    // building `${group}\0${size}` for 20,000 jobs cost more than the episode's decisions.
    const group = denseIds(n, (j) => jobs[j].group);
    const size = denseIds(n, (j) => sizeCode(jobs[j]));
    for (const key of this.chain) {
      const { ids, count } =
        key === 'group+gpus'
          ? denseIds(n, (j) => group.ids[j] * size.count + size.ids[j])
          : key === 'group'
            ? group
            : key === 'gpus'
              ? size
              : { ids: new Int32Array(n), count: 1 };
      this.classOf.push(ids);
      this.count.push(new Float64Array(count));
      this.sumLog.push(new Float64Array(count));
    }
    this.globalCount = 0;
    this.globalSumLog = 0;
  }

  observe(job: number, runTime: number): void {
    const v = Math.log1p(Math.max(0, runTime));
    for (let l = 0; l < this.chain.length; l++) {
      const c = this.classOf[l][job];
      this.count[l][c]++;
      this.sumLog[l][c] += v;
    }
    this.globalCount++;
    this.globalSumLog += v;
  }

  predict(job: number): number {
    for (let l = 0; l < this.chain.length; l++) {
      const c = this.classOf[l][job];
      const n = this.count[l][c];
      if (n >= this.minSamples) return Math.expm1(this.sumLog[l][c] / n);
    }
    return this.globalCount > 0 ? Math.expm1(this.globalSumLog / this.globalCount) : this.prior;
  }
}

/**
 * The user's own estimate when the trace has one (SWF requested time: a wall-time limit, known
 * at submit), else the fallback predictor's guess.
 */
export class UserEstimatePredictor implements DurationPredictor {
  readonly name: string;
  private estimate = new Float64Array(0);
  private readonly fallback: DurationPredictor;

  constructor(name: string, fallback: DurationPredictor) {
    this.name = name;
    this.fallback = fallback;
  }

  reset(jobs: readonly JobView[]): void {
    this.fallback.reset(jobs);
    this.estimate = new Float64Array(jobs.length);
    for (let j = 0; j < jobs.length; j++) this.estimate[j] = jobs[j].estimate ?? NaN;
  }

  observe(job: number, runTime: number): void {
    this.fallback.observe(job, runTime);
  }

  predict(job: number): number {
    const e = this.estimate[job];
    return Number.isNaN(e) ? this.fallback.predict(job) : e;
  }
}
