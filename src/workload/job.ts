import { TraceError } from '../util/errors';
import { MAX_JOB_GPUS, MAX_RESOURCE, MAX_SECONDS, fmtLimit } from '../util/limits';

/**
 * One normalised job, whatever trace it came from. Times are seconds.
 * Demands are per job (a gang): `gpus` whole GPUs, or a fractional share of one
 * GPU in `gpuShare` (0 < share < 1, then `gpus` is 0), plus CPUs and memory.
 */
export interface Job {
  /** Stable id from the trace (or generator). */
  readonly id: string;
  readonly submit: number;
  readonly duration: number;
  readonly gpus: number;
  /** Fraction of a single GPU (Alibaba gpu_milli/1000); 0 = no sharing. */
  readonly gpuShare: number;
  readonly cpus: number;
  readonly memMiB: number;
  /** Required GPU model, if the trace constrains it. */
  readonly gpuType?: string;
  /** User, queue or virtual cluster. */
  readonly group: string;
  /** Status recorded in the trace (Pass/Killed/Running…), if any. */
  readonly status?: string;
  /** User-supplied runtime estimate (s), if the trace has one (SWF requested_time). */
  readonly estimate?: number;
  /** Where the job came from, for error messages: file and 1-based line. */
  readonly file?: string;
  readonly line?: number;
}

/**
 * What a non-oracle scheduler, predictor or agent may know about a job: everything the trace
 * records at submit time, but not its true duration (a real cluster learns it only when the job
 * finishes). Schedulers that are not labelled oracle get jobs and contexts typed with JobView, so
 * reading `duration` does not compile (test/schedulers/oracle.test.ts checks the same at run time).
 */
export type JobView = Omit<Job, 'duration'>;

export interface JobFields {
  id: string;
  submit: number;
  duration: number;
  gpus?: number;
  gpuShare?: number;
  cpus?: number;
  memMiB?: number;
  gpuType?: string;
  group?: string;
  status?: string;
  estimate?: number;
  file?: string;
  line?: number;
}

function fail(f: JobFields, field: string, reason: string): never {
  throw new TraceError(f.file ?? '<generated>', f.line ?? 0, field, reason);
}

/** Builds a validated Job; throws TraceError naming file, line and field. */
export function makeJob(f: JobFields): Job {
  const gpus = f.gpus ?? 0;
  const gpuShare = f.gpuShare ?? 0;
  const cpus = f.cpus ?? 0;
  const memMiB = f.memMiB ?? 0;
  if (!(typeof f.id === 'string' && f.id.length > 0)) fail(f, 'id', 'missing job id');
  if (!Number.isFinite(f.submit)) fail(f, 'submit', `not a finite number (${f.submit})`);
  if (!(f.submit >= 0)) fail(f, 'submit', `negative submit time (${f.submit})`);
  if (!Number.isFinite(f.duration)) fail(f, 'duration', `not a finite number (${f.duration})`);
  if (!(f.duration >= 0)) fail(f, 'duration', `negative duration (${f.duration})`);
  if (f.submit > MAX_SECONDS)
    fail(f, 'submit', `${f.submit} s is beyond the simulator's range (at most ${fmtLimit(MAX_SECONDS)} s)`);
  if (f.duration > MAX_SECONDS)
    fail(f, 'duration', `${f.duration} s is beyond the simulator's range (at most ${fmtLimit(MAX_SECONDS)} s)`);
  if (!(Number.isInteger(gpus) && gpus >= 0)) fail(f, 'gpus', `must be a non-negative integer (${gpus})`);
  if (gpus > MAX_JOB_GPUS)
    fail(f, 'gpus', `${gpus} GPUs cannot be represented by the simulator (at most ${fmtLimit(MAX_JOB_GPUS)})`);
  if (!(Number.isFinite(gpuShare) && gpuShare >= 0 && gpuShare < 1))
    fail(f, 'gpuShare', `must be in [0, 1) (${gpuShare})`);
  if (gpuShare > 0 && gpus > 0) fail(f, 'gpuShare', 'a job takes whole GPUs or a share, not both');
  if (!(Number.isFinite(cpus) && cpus >= 0)) fail(f, 'cpus', `must be a non-negative number (${cpus})`);
  if (!(Number.isFinite(memMiB) && memMiB >= 0)) fail(f, 'memMiB', `must be a non-negative number (${memMiB})`);
  if (cpus > MAX_RESOURCE || memMiB > MAX_RESOURCE)
    fail(
      f,
      cpus > MAX_RESOURCE ? 'cpus' : 'memMiB',
      `beyond the simulator's range (at most ${fmtLimit(MAX_RESOURCE)})`,
    );
  if (f.estimate !== undefined && !(Number.isFinite(f.estimate) && f.estimate >= 0 && f.estimate <= MAX_SECONDS))
    fail(f, 'estimate', `must be in [0, ${fmtLimit(MAX_SECONDS)}] s (${f.estimate})`);
  const job: Job = {
    id: f.id,
    submit: f.submit,
    duration: f.duration,
    gpus,
    gpuShare,
    cpus,
    memMiB,
    group: f.group ?? '',
    ...(f.gpuType ? { gpuType: f.gpuType } : {}),
    ...(f.status !== undefined ? { status: f.status } : {}),
    ...(f.estimate !== undefined ? { estimate: f.estimate } : {}),
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.line !== undefined ? { line: f.line } : {}),
  };
  return job;
}

/** A skipped input row, kept so that nothing is lost silently. */
export interface SkippedRow {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

/**
 * A loaded or generated job list plus its provenance. Invariant:
 * rowsRead = jobs.length + skipped.length (+ rows filtered out on purpose, counted in `filtered`).
 */
export interface Workload {
  readonly name: string;
  /** Sorted by (submit, original order). */
  readonly jobs: Job[];
  readonly source: {
    readonly file?: string;
    /** SHA-256 of the file's bytes, for manifests. */
    readonly sha256?: string;
    readonly rowsRead: number;
    /** Rows dropped by an explicit user filter (VC, time window), not errors. */
    readonly filtered: number;
    readonly skipped: SkippedRow[];
  };
}

/** Stable sort by submit time: ties keep trace order, so results are deterministic. */
export function sortBySubmit(jobs: Job[]): Job[] {
  return jobs
    .map((j, i) => [j, i] as const)
    .sort((x, y) => x[0].submit - y[0].submit || x[1] - y[1])
    .map((p) => p[0]);
}
