/**
 * Time splits of one trace group (a Philly virtual cluster) for a learned-vs-heuristic study.
 *
 * The group's span [first submit, last submit] is cut by SUBMIT TIME into train / validation /
 * test at fractions (default 60 / 10 / 30 %): a job belongs to the split its submit time falls
 * in, so no job is in two splits and every test job was submitted after every training job.
 * Each split is rebased to start at 0 and its arrivals are divided by the arrival scale F
 * (F > 1 raises the offered load F-fold with durations and sizes unchanged).
 */
import type { Job } from '../workload/job';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/** Fractions of the span, in SPLIT_NAMES order; they must sum to 1. */
export const DEFAULT_SPLIT_FRACTIONS: readonly [number, number, number] = [0.6, 0.1, 0.3];

/** One split as absolute trace times [from, to) and the jobs submitted in it (trace times). */
export interface TimeSplit {
  name: SplitName;
  from: number;
  to: number;
  jobs: readonly Job[];
}

/**
 * Cuts `jobs` (one group, any order) into the three splits. The last split is closed on the
 * right so that the last job is kept.
 */
export function timeSplits(
  jobs: readonly Job[],
  fractions: readonly [number, number, number] = DEFAULT_SPLIT_FRACTIONS,
): Record<SplitName, TimeSplit> {
  if (jobs.length < 2) throw new RangeError(`a time split needs at least 2 jobs (got ${jobs.length})`);
  if (fractions.some((f) => !(f > 0)) || Math.abs(fractions[0] + fractions[1] + fractions[2] - 1) > 1e-9)
    throw new RangeError(`split fractions must be positive and sum to 1 (got ${fractions.join(', ')})`);
  const sorted = [...jobs].sort((a, b) => a.submit - b.submit);
  const t0 = sorted[0].submit;
  const t1 = sorted[sorted.length - 1].submit;
  if (!(t1 > t0)) throw new RangeError('all jobs have the same submit time: nothing to split by time');
  const cut1 = t0 + (t1 - t0) * fractions[0];
  const cut2 = t0 + (t1 - t0) * (fractions[0] + fractions[1]);
  const bounds: Record<SplitName, [number, number]> = {
    train: [t0, cut1],
    validation: [cut1, cut2],
    test: [cut2, t1],
  };
  const out = {} as Record<SplitName, TimeSplit>;
  for (const name of SPLIT_NAMES) {
    const [from, to] = bounds[name];
    const last = name === 'test';
    out[name] = {
      name,
      from,
      to,
      jobs: sorted.filter((j) => j.submit >= from && (last ? j.submit <= to : j.submit < to)),
    };
  }
  return out;
}

/** The split's jobs rebased to start at 0 with arrivals divided by `arrivalScale`. */
export function scaledSplitJobs(split: TimeSplit, arrivalScale: number): Job[] {
  if (!(arrivalScale > 0)) throw new RangeError(`arrivalScale must be > 0 (got ${arrivalScale})`);
  return split.jobs.map((j) => ({ ...j, submit: (j.submit - split.from) / arrivalScale }));
}

/**
 * Offered GPU load of a split at an arrival scale: GPU-seconds of work submitted in the split
 * divided by the GPU-seconds the cluster offers over the (scaled) split length.
 */
export function splitOfferedLoad(split: TimeSplit, capacityGpus: number, arrivalScale: number): number {
  let work = 0;
  for (const j of split.jobs) work += j.duration * (j.gpus + j.gpuShare);
  const length = (split.to - split.from) / arrivalScale;
  return length > 0 && capacityGpus > 0 ? work / (capacityGpus * length) : NaN;
}

/** GPU-hours per group (duration × GPUs), largest first: the "busiest" ranking of a trace's groups. */
export function groupsByGpuHours(jobs: readonly Job[]): { group: string; jobs: number; gpuHours: number }[] {
  const m = new Map<string, { jobs: number; gpuHours: number }>();
  for (const j of jobs) {
    const e = m.get(j.group) ?? { jobs: 0, gpuHours: 0 };
    e.jobs++;
    e.gpuHours += (j.duration * (j.gpus + j.gpuShare)) / 3600;
    m.set(j.group, e);
  }
  return [...m.entries()]
    .map(([group, e]) => ({ group, ...e }))
    .sort((a, b) => b.gpuHours - a.gpuHours || (a.group < b.group ? -1 : 1));
}

/**
 * Consecutive windows of `size` jobs (submit order) with stride `stride`, each rebased to its
 * first submit: the training episodes over a split. Fewer jobs than `size`: one window of all.
 */
export function jobWindows(jobs: readonly Job[], size: number, stride: number): Job[][] {
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`window size must be an integer >= 1 (${size})`);
  if (!(Number.isInteger(stride) && stride >= 1)) throw new RangeError(`stride must be an integer >= 1 (${stride})`);
  const out: Job[][] = [];
  const rebase = (w: readonly Job[]): Job[] => w.map((j) => ({ ...j, submit: j.submit - w[0].submit }));
  if (jobs.length <= size) return jobs.length > 0 ? [rebase(jobs)] : [];
  for (let s = 0; s + size <= jobs.length; s += stride) out.push(rebase(jobs.slice(s, s + size)));
  return out;
}
