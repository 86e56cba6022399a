import { JobStatus, type SimResult } from '../sim/result';
import { jainIndex, groupMeans } from './fairness';
import { finishTimeFairness } from './ftf';
import { jobSpan } from './makespan';
import { DEFAULT_TAU, boundedSlowdowns, isFinished, jobCompletionTimes, queueingDelays, slowdowns } from './perjob';
import { preemptionStats } from './preemptions';
import { mean, max, quantileSorted } from './quantile';
import { utilisation } from './utilisation';
import { resolveWindow, type JobWindow } from './window';

/** One column of a summary: key, unit and meaning (docs/metrics.md has the formulas). */
export interface SummaryColumn {
  readonly key: string;
  readonly unit: string;
  readonly description: string;
}

/** Column order of summary.csv and of the report table. */
export const SUMMARY_COLUMNS = [
  { key: 'jobs', unit: 'count', description: 'jobs in the window' },
  { key: 'finished', unit: 'count', description: 'jobs that finished' },
  { key: 'rejected', unit: 'count', description: 'jobs the scheduler rejected' },
  { key: 'unfinished', unit: 'count', description: 'jobs neither finished nor rejected when the run ended' },
  { key: 'jctMean', unit: 's', description: 'mean job completion time (finish − submit)' },
  { key: 'jctP50', unit: 's', description: 'median JCT' },
  { key: 'jctP95', unit: 's', description: '95th percentile JCT' },
  { key: 'jctP99', unit: 's', description: '99th percentile JCT' },
  { key: 'jctMax', unit: 's', description: 'largest JCT' },
  { key: 'queueMean', unit: 's', description: 'mean queueing delay (first start − submit)' },
  { key: 'queueP50', unit: 's', description: 'median queueing delay' },
  { key: 'queueP95', unit: 's', description: '95th percentile queueing delay' },
  { key: 'queueP99', unit: 's', description: '99th percentile queueing delay' },
  { key: 'slowdownMean', unit: 'ratio', description: 'mean slowdown JCT / duration (duration > 0 only)' },
  { key: 'slowdownP50', unit: 'ratio', description: 'median slowdown' },
  { key: 'slowdownP95', unit: 'ratio', description: '95th percentile slowdown' },
  { key: 'slowdownP99', unit: 'ratio', description: '99th percentile slowdown' },
  { key: 'slowdownExcluded', unit: 'count', description: 'finished jobs with duration 0, left out of slowdown' },
  { key: 'bsldMean', unit: 'ratio', description: 'mean bounded slowdown max(1, JCT / max(duration, tau))' },
  { key: 'bsldP50', unit: 'ratio', description: 'median bounded slowdown' },
  { key: 'bsldP95', unit: 'ratio', description: '95th percentile bounded slowdown' },
  { key: 'bsldP99', unit: 'ratio', description: '99th percentile bounded slowdown' },
  { key: 'makespan', unit: 's', description: 'last finish − first submit' },
  { key: 'utilGpu', unit: 'fraction', description: 'time-weighted GPU utilisation over the makespan' },
  { key: 'utilCpu', unit: 'fraction', description: 'time-weighted CPU utilisation over the makespan' },
  { key: 'utilMem', unit: 'fraction', description: 'time-weighted memory utilisation over the makespan' },
  { key: 'jainJobs', unit: 'index', description: "Jain's index over per-job bounded slowdown" },
  { key: 'jainGroups', unit: 'index', description: "Jain's index over per-group mean bounded slowdown" },
  { key: 'groups', unit: 'count', description: 'groups (users / queues) with a finished job' },
  { key: 'ftfMean', unit: 'ratio', description: 'mean finish-time fairness rho (Themis)' },
  { key: 'ftfMax', unit: 'ratio', description: 'largest finish-time fairness rho' },
  { key: 'ftfUnfair', unit: 'fraction', description: 'share of jobs with rho > 1' },
  { key: 'preemptMean', unit: 'count', description: 'mean preemptions per finished job' },
  { key: 'preemptMax', unit: 'count', description: 'most preemptions of one finished job' },
  { key: 'preemptTotal', unit: 'count', description: 'preemptions of all jobs in the window' },
  { key: 'windowFrom', unit: 'index', description: 'first job index in the window' },
  { key: 'windowTo', unit: 'index', description: 'one past the last job index in the window' },
  { key: 'tau', unit: 's', description: 'bounded-slowdown threshold' },
] as const satisfies readonly SummaryColumn[];

export type SummaryKey = (typeof SUMMARY_COLUMNS)[number]['key'];
/** Flat numeric record, one field per SUMMARY_COLUMNS entry; NaN = undefined (e.g. no finished job). */
export type Summary = Record<SummaryKey, number>;

export interface SummaryOptions {
  /** Steady-state job-index window [from, to); default: all jobs. */
  window?: JobWindow;
  /** Bounded-slowdown threshold τ (s). */
  tau?: number;
}

/** Mean and type-7 quantiles of the values at `indices`, NaN slots skipped. */
function tail(
  values: Float64Array,
  indices: Int32Array,
): { mean: number; p50: number; p95: number; p99: number; max: number; n: number } {
  const picked = new Float64Array(indices.length);
  let n = 0;
  for (let k = 0; k < indices.length; k++) {
    const v = values[indices[k]];
    if (!Number.isNaN(v)) picked[n++] = v;
  }
  const s = picked.subarray(0, n).sort();
  return {
    mean: mean(s),
    p50: quantileSorted(s, 0.5),
    p95: quantileSorted(s, 0.95),
    p99: quantileSorted(s, 0.99),
    max: max(s),
    n,
  };
}

/**
 * All metrics of one run. Per-job statistics use the finished jobs inside the
 * window; makespan and utilisation use the window's span. See docs/metrics.md.
 */
export function summarize(result: SimResult, opts: SummaryOptions = {}): Summary {
  const r = result;
  const tau = opts.tau ?? DEFAULT_TAU;
  const w = resolveWindow(r.jobs.length, opts.window);

  let finishedCount = 0;
  let rejected = 0;
  for (let i = w.from; i < w.to; i++) {
    if (isFinished(r, i)) finishedCount++;
    else if (r.status[i] === JobStatus.Rejected) rejected++;
  }
  const finished = new Int32Array(finishedCount);
  for (let i = w.from, k = 0; i < w.to; i++) if (isFinished(r, i)) finished[k++] = i;
  const all = new Int32Array(w.to - w.from);
  for (let k = 0; k < all.length; k++) all[k] = w.from + k;

  const jct = tail(jobCompletionTimes(r), finished);
  const queue = tail(queueingDelays(r), finished);
  const sld = tail(slowdowns(r), finished);
  const bsldPerJob = boundedSlowdowns(r, tau);
  const bsld = tail(bsldPerJob, finished);

  const span = jobSpan(r, w);
  const t0 = span.start;
  const t1 = span.end;

  const groups = groupMeans(bsldPerJob, (i) => r.jobs[i].group, finished);

  const ftfPerJob = finishTimeFairness(r);
  const ftf = tail(ftfPerJob, finished);
  let unfair = 0;
  for (let k = 0; k < finished.length; k++) if (ftfPerJob[finished[k]] > 1) unfair++;

  const finishedPre = preemptionStats(r, finished);
  const allPre = preemptionStats(r, all);

  return {
    jobs: w.to - w.from,
    finished: finishedCount,
    rejected,
    unfinished: w.to - w.from - finishedCount - rejected,
    jctMean: jct.mean,
    jctP50: jct.p50,
    jctP95: jct.p95,
    jctP99: jct.p99,
    jctMax: jct.max,
    queueMean: queue.mean,
    queueP50: queue.p50,
    queueP95: queue.p95,
    queueP99: queue.p99,
    slowdownMean: sld.mean,
    slowdownP50: sld.p50,
    slowdownP95: sld.p95,
    slowdownP99: sld.p99,
    slowdownExcluded: finishedCount - sld.n,
    bsldMean: bsld.mean,
    bsldP50: bsld.p50,
    bsldP95: bsld.p95,
    bsldP99: bsld.p99,
    makespan: t1 - t0,
    utilGpu: utilisation(r, 'gpus', t0, t1),
    utilCpu: utilisation(r, 'cpus', t0, t1),
    utilMem: utilisation(r, 'memMiB', t0, t1),
    jainJobs: jainIndex(bsld.n > 0 ? Float64Array.from(finished, (i) => bsldPerJob[i]) : []),
    jainGroups: jainIndex(groups.means),
    groups: groups.groups.length,
    ftfMean: ftf.mean,
    ftfMax: ftf.max,
    ftfUnfair: ftf.n > 0 ? unfair / ftf.n : NaN,
    preemptMean: finishedPre.mean,
    preemptMax: finishedPre.max,
    preemptTotal: allPre.total,
    windowFrom: w.from,
    windowTo: w.to,
    tau,
  };
}
