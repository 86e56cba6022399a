/**
 * What every trace loader shares: the options, per-row error handling
 * (throw, or record and skip), and the final rebase → filter → sort → limit
 * pass that keeps `rowsRead = jobs + filtered + skipped` true.
 */
import { TraceError, UsageError } from '../../util/errors';
import { Job, SkippedRow, Workload } from '../job';
import { MAX_SECONDS, fmtLimit } from '../../util/limits';

export interface LoadOptions {
  /** Record malformed rows in `source.skipped` instead of throwing TraceError. */
  skipInvalid?: boolean;
  /** Keep only jobs of these groups (VC, queue, QoS or user, per trace). */
  group?: string | string[];
  /** Keep jobs with submit >= from (s, relative to the trace's own time origin). */
  from?: number;
  /** Keep jobs with submit < to (s, same origin). */
  to?: number;
  /** Keep only the first `limit` jobs by submit time (after the other filters). */
  limit?: number;
}

/** A row that is well-formed but cannot become a job (e.g. a pod never scheduled). */
export class NotAJob {
  constructor(readonly reason: string) {}
}

export function checkLoadOptions(o: LoadOptions): void {
  if (o.group !== undefined && [o.group].flat().some((g) => g.length === 0))
    throw new UsageError('group (--vc) must not be empty');
  if (o.from !== undefined && !Number.isFinite(o.from))
    throw new UsageError(`from must be a finite number (${o.from})`);
  if (o.to !== undefined && !Number.isFinite(o.to)) throw new UsageError(`to must be a finite number (${o.to})`);
  if (o.from !== undefined && o.to !== undefined && o.to < o.from)
    throw new UsageError(`empty time window: to (${o.to}) < from (${o.from})`);
  if (o.limit !== undefined && !(Number.isInteger(o.limit) && o.limit >= 0))
    throw new UsageError(`limit must be a non-negative integer (${o.limit})`);
}

/**
 * Collects the jobs of one trace file. Use: `row()` once per input row, then
 * `build()`. Rows whose parse throws a TraceError are rethrown, or recorded in
 * `skipped` when `skipInvalid` is set; rows that return `NotAJob` are always
 * recorded in `skipped` (they are a documented property of the trace, not an
 * error) — never silently dropped.
 */
export class WorkloadBuilder {
  private readonly jobs: Job[] = [];
  private readonly skipped: SkippedRow[] = [];
  private rowsRead = 0;
  /** Line of each job id seen so far: a repeated id is an error (results are keyed by id). */
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly name: string,
    private readonly file: string,
    private readonly sha256: string,
    private readonly opts: LoadOptions,
  ) {
    checkLoadOptions(opts);
  }

  row(line: number, parse: () => Job | NotAJob): void {
    this.rowsRead++;
    let r: Job | NotAJob;
    try {
      r = parse();
    } catch (e) {
      if (e instanceof TraceError && this.opts.skipInvalid) {
        this.skipped.push({ file: this.file, line, reason: e.message });
        return;
      }
      throw e;
    }
    if (r instanceof NotAJob) {
      this.skipped.push({ file: this.file, line, reason: r.reason });
      return;
    }
    const first = this.ids.get(r.id);
    if (first !== undefined) {
      const e = new TraceError(
        this.file,
        line,
        'id',
        `duplicate job id ${JSON.stringify(r.id)} (first on line ${first})`,
      );
      if (!this.opts.skipInvalid) throw e;
      this.skipped.push({ file: this.file, line, reason: e.message });
      return;
    }
    this.ids.set(r.id, line);
    this.jobs.push(r);
  }

  /**
   * `origin` is subtracted from every submit time: 'min' = the earliest submit
   * among all parsed jobs (before any filter, so the origin does not depend on
   * the filter), or a number (0 = times are already relative).
   */
  build(origin: 'min' | number = 0): Workload {
    let t0 = 0;
    if (origin === 'min') {
      t0 = Infinity;
      for (const j of this.jobs) if (j.submit < t0) t0 = j.submit;
      if (!Number.isFinite(t0)) t0 = 0;
    } else t0 = origin;

    const groups = this.opts.group === undefined ? undefined : new Set([this.opts.group].flat());
    const from = this.opts.from ?? -Infinity;
    const to = this.opts.to ?? Infinity;
    let filtered = 0;
    const kept: Job[] = [];
    for (const j0 of this.jobs) {
      const j = t0 === 0 ? j0 : { ...j0, submit: j0.submit - t0 };
      if (j.submit > MAX_SECONDS)
        throw new TraceError(
          this.file,
          j.line ?? 0,
          'submit',
          `${j.submit} s after the trace's first job is beyond the simulator's range (${fmtLimit(MAX_SECONDS)} s)`,
        );
      if ((groups && !groups.has(j.group)) || j.submit < from || j.submit >= to) filtered++;
      else kept.push(j);
    }
    let jobs = sortStable(kept);
    if (this.opts.limit !== undefined && jobs.length > this.opts.limit) {
      filtered += jobs.length - this.opts.limit;
      jobs = jobs.slice(0, this.opts.limit);
    }
    return {
      name: this.name,
      jobs,
      source: { file: this.file, sha256: this.sha256, rowsRead: this.rowsRead, filtered, skipped: this.skipped },
    };
  }
}

/**
 * Same order as `sortBySubmit` (by submit, ties in input order), faster on big
 * traces: no pair objects, and no sort at all when the input is already sorted.
 */
export function sortStable(jobs: Job[]): Job[] {
  const n = jobs.length;
  const key = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    key[i] = jobs[i].submit;
    if (i > 0 && key[i] < key[i - 1]) sorted = false;
  }
  if (sorted) return jobs;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => key[a] - key[b] || a - b);
  const out: Job[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = jobs[idx[i]];
  return out;
}
