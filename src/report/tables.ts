import { SUMMARY_COLUMNS, type Summary } from '../metrics/summary';
import { DEFAULT_TAU, boundedSlowdowns, jobCompletionTimes, queueingDelays, slowdowns } from '../metrics/perjob';
import type { SimResult } from '../sim/result';
import { formatCsvNumber, quoteField, writeCsv, type CsvColumn } from '../util/csv';

/** A policy's name and its summary, as the report and summary.csv take them. */
export interface PolicySummary {
  readonly policy: string;
  readonly summary: Summary;
}

/** summary.csv: one row per policy; headers carry the unit, e.g. "jctMean_s". */
export function summaryCsv(rows: readonly PolicySummary[]): string {
  const columns: CsvColumn[] = [
    'policy',
    ...SUMMARY_COLUMNS.map((c) => ({ key: c.key, header: `${c.key}_${c.unit}` })),
  ];
  return writeCsv(
    rows.map((r) => ({ policy: r.policy, ...r.summary })),
    columns,
  );
}

/** Columns of jobs.csv (times in s; status names from JobStatus). */
export const JOB_COLUMNS = [
  'policy',
  'id',
  'group',
  'submit',
  'duration',
  'gpus',
  'gpuShare',
  'cpus',
  'memMiB',
  'status',
  'start',
  'finish',
  'jct',
  'queue',
  'slowdown',
  'bsld',
  'preemptions',
] as const;

const STATUS_NAMES = ['pending', 'waiting', 'running', 'finished', 'rejected'];

/** One row per job of one run, metrics per docs/metrics.md (empty = undefined). */
export function jobRows(r: SimResult, tau = DEFAULT_TAU): Record<(typeof JOB_COLUMNS)[number], string | number>[] {
  const jct = jobCompletionTimes(r);
  const queue = queueingDelays(r);
  const sld = slowdowns(r);
  const bsld = boundedSlowdowns(r, tau);
  return r.jobs.map((j, i) => ({
    policy: r.policy,
    id: j.id,
    group: j.group,
    submit: j.submit,
    duration: j.duration,
    gpus: j.gpus,
    gpuShare: j.gpuShare,
    cpus: j.cpus,
    memMiB: j.memMiB,
    status: STATUS_NAMES[r.status[i]] ?? String(r.status[i]),
    start: r.start[i],
    finish: r.finish[i],
    jct: jct[i],
    queue: queue[i],
    slowdown: sld[i],
    bsld: bsld[i],
    preemptions: r.preemptions[i],
  }));
}

/** jobs.csv for one or more runs (rows of each run in job order). */
export function jobsCsv(results: readonly SimResult[], tau = DEFAULT_TAU): string {
  return writeCsv(
    results.flatMap((r) => jobRows(r, tau)),
    JOB_COLUMNS,
  );
}

/**
 * jobs.csv streamed: the same bytes as `jobsCsv`, emitted one run at a time and one
 * line per job, so a million-job table is never held as one string or as row objects.
 */
export function jobsCsvStream(results: readonly SimResult[], emit: (chunk: string) => void, tau = DEFAULT_TAU): void {
  emit(JOB_COLUMNS.map(quoteField).join(',') + '\n');
  const num = formatCsvNumber;
  const str = (x: string): string => quoteField(x);
  for (const r of results) {
    const jct = jobCompletionTimes(r);
    const queue = queueingDelays(r);
    const sld = slowdowns(r);
    const bsld = boundedSlowdowns(r, tau);
    const policy = str(r.policy);
    let chunk = '';
    for (let i = 0; i < r.jobs.length; i++) {
      const j = r.jobs[i];
      chunk +=
        `${policy},${str(j.id)},${str(j.group)},${num(j.submit)},${num(j.duration)},${num(j.gpus)},` +
        `${num(j.gpuShare)},${num(j.cpus)},${num(j.memMiB)},${str(STATUS_NAMES[r.status[i]] ?? String(r.status[i]))},` +
        `${num(r.start[i])},${num(r.finish[i])},${num(jct[i])},${num(queue[i])},${num(sld[i])},${num(bsld[i])},` +
        `${num(r.preemptions[i])}\n`;
      if (chunk.length >= 1 << 16) {
        emit(chunk);
        chunk = '';
      }
    }
    if (chunk) emit(chunk);
  }
}
