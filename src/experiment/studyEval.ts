/**
 * Scoring one run of a job sequence for the cluster study: the five study metrics (mean JCT,
 * p95 queueing delay, mean bounded slowdown, GPU utilisation, preemptions) with block-bootstrap
 * intervals over the job windows of the run (metrics/blockBootstrap.ts).
 */
import type { ClusterSpec } from '../cluster/spec';
import {
  blockBootstrapCI,
  meanStat,
  pairedBlockBootstrapCI,
  quantileStat,
  type BlockBootstrapOptions,
} from '../metrics/blockBootstrap';
import { boundedSlowdowns, jobCompletionTimes, queueingDelays } from '../metrics/perjob';
import { summarize } from '../metrics/summary';
import { utilisation } from '../metrics/utilisation';
import type { Interval } from '../metrics/ci';
import type { Scheduler } from '../sim/scheduler';
import type { SimResult } from '../sim/result';
import { simulate } from '../sim/simulator';
import { Rng } from '../util/rng';
import type { Job } from '../workload/job';

/** The metrics that get a job-window interval. */
export const INTERVAL_METRICS = ['jctMean', 'queueP95', 'bsldMean'] as const;
export type IntervalMetric = (typeof INTERVAL_METRICS)[number];

/** Point values of the study metrics of one run. */
export interface StudyMetrics {
  jobs: number;
  finished: number;
  rejected: number;
  jctMean: number;
  queueP95: number;
  bsldMean: number;
  /** GPU utilisation over the makespan (drain tail included). */
  utilGpu: number;
  /** GPU utilisation over the submit window [0, split length / scale): the load the policy
   * sustains while jobs arrive, without the drain tail of the last long jobs. */
  utilWindow: number;
  preemptTotal: number;
}

/** Per-job series (submit order) behind the interval metrics. */
export interface PerJob {
  jct: Float64Array;
  queue: Float64Array;
  bsld: Float64Array;
}

export interface ScoredRun {
  metrics: StudyMetrics;
  perJob: PerJob;
}

export function runJobs(jobs: readonly Job[], cluster: ClusterSpec, scheduler: Scheduler, seed: number): SimResult {
  // Jobs larger than the VC can never run there: rejected and counted, as with --skip-invalid.
  return simulate(jobs, cluster, scheduler, { oversize: 'reject', seed });
}

/** Scores a run; `windowEnd` is the end of the submit window (scaled split length). */
export function scoreRun(r: SimResult, windowEnd: number): ScoredRun {
  const s = summarize(r);
  return {
    metrics: {
      jobs: s.jobs,
      finished: s.finished,
      rejected: s.rejected,
      jctMean: s.jctMean,
      queueP95: s.queueP95,
      bsldMean: s.bsldMean,
      utilGpu: s.utilGpu,
      utilWindow: utilisation(r, 'gpus', 0, windowEnd),
      preemptTotal: s.preemptTotal,
    },
    perJob: { jct: jobCompletionTimes(r), queue: queueingDelays(r), bsld: boundedSlowdowns(r) },
  };
}

const STATS = { jctMean: meanStat, queueP95: quantileStat(0.95), bsldMean: meanStat } as const;
const SERIES: Record<IntervalMetric, keyof PerJob> = { jctMean: 'jct', queueP95: 'queue', bsldMean: 'bsld' };

/** Rounded interval for JSON (4 significant digits are more than the data support). */
export interface CI {
  lo: number;
  hi: number;
}

const sig = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);
const asCI = (i: Interval): CI => ({ lo: sig(i.lo), hi: sig(i.hi) });

/** Block-bootstrap 95 % intervals of the interval metrics (one fixed RNG seed per metric). */
export function jobWindowIntervals(p: PerJob, seed: number, opts: BlockBootstrapOptions): Record<IntervalMetric, CI> {
  const out = {} as Record<IntervalMetric, CI>;
  INTERVAL_METRICS.forEach((m, k) => {
    out[m] = asCI(blockBootstrapCI(p[SERIES[m]], STATS[m], new Rng(seed + k), opts));
  });
  return out;
}

/** Paired block-bootstrap interval of metric(a) − metric(b) on the same jobs. */
export function pairedDifference(
  a: PerJob,
  b: PerJob,
  metric: IntervalMetric,
  seed: number,
  opts: BlockBootstrapOptions,
): CI & { estimate: number } {
  const i = pairedBlockBootstrapCI(a[SERIES[metric]], b[SERIES[metric]], STATS[metric], new Rng(seed), opts);
  return { estimate: sig(i.estimate), ...asCI(i) };
}

/** Element-wise mean of per-job series over several runs (training seeds) of the same jobs. */
export function meanPerJob(runs: readonly PerJob[]): PerJob {
  const n = runs[0].jct.length;
  const avg = (key: keyof PerJob): Float64Array => {
    const out = new Float64Array(n);
    for (const r of runs) for (let i = 0; i < n; i++) out[i] += r[key][i] / runs.length;
    return out;
  };
  return { jct: avg('jct'), queue: avg('queue'), bsld: avg('bsld') };
}
