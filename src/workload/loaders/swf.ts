/**
 * Standard Workload Format (Parallel Workloads Archive): either the raw `.swf`
 * text (18 whitespace-separated fields per line, `;` comment/header lines) or the
 * CSV conversions in `hpc-swf/` (same 18 fields, named columns).
 *
 * HPC jobs map onto GPU jobs with PROCESSORS AS GPUs: a job that held p
 * processors is a gang of p GPUs. This keeps the packing problem (and offered
 * load) of the HPC log; it does not model real GPU jobs.
 *
 * Field mapping (SWF uses -1 for "unknown"):
 * - id: job_id (field 1); submit: submit_time (2), already relative to log start.
 * - duration: run_time (4). -1 (unknown) or any other negative value is an invalid
 *   row (TraceError on run_time; use skipInvalid to skip and count such rows).
 * - gpus: allocated_procs (5); if -1, requested_procs (8); if both unknown, or < 1,
 *   an invalid row.
 * - estimate: requested_time (9) when known (>= 0), else undefined.
 * - status (11): 0 Failed, 1 Completed, 2 Partial, 3 PartialCompleted,
 *   4 PartialFailed, 5 Cancelled; -1 → undefined; other codes kept as the number.
 * - group: user_id (12) as text ('' when -1).
 * - cpus / memMiB: 0 (processor memory is per processor and mostly unknown).
 */
import { TraceError } from '../../util/errors';
import { readInput } from '../../util/fsErrors';
import { CsvTable, parseNumber, readHead, sha256Hex } from '../csv';
import { Workload, makeJob } from '../job';
import { LoadOptions, WorkloadBuilder } from './common';

/** SWF field names in order (the hpc-swf CSV header uses exactly these). */
export const SWF_FIELDS = [
  'job_id',
  'submit_time',
  'wait_time',
  'run_time',
  'allocated_procs',
  'avg_cpu_time',
  'used_memory_kb',
  'requested_procs',
  'requested_time',
  'requested_memory_kb',
  'status',
  'user_id',
  'group_id',
  'executable_id',
  'queue_id',
  'partition_id',
  'preceding_job_id',
  'think_time',
] as const;

const STATUS_NAMES: Record<number, string> = {
  0: 'Failed',
  1: 'Completed',
  2: 'Partial',
  3: 'PartialCompleted',
  4: 'PartialFailed',
  5: 'Cancelled',
};

/** Values of the fields the loader uses, as text, with their 1-based line. */
interface SwfRow {
  line: number;
  get(name: (typeof SWF_FIELDS)[number]): string;
}

function toJob(file: string, r: SwfRow) {
  const num = (name: (typeof SWF_FIELDS)[number]): number => parseNumber(file, r.line, name, r.get(name));
  const id = r.get('job_id').trim();
  if (!id) throw new TraceError(file, r.line, 'job_id', 'missing value');
  const submit = num('submit_time');
  if (submit < 0) throw new TraceError(file, r.line, 'submit_time', `negative or unknown (${submit})`);
  const duration = num('run_time');
  if (duration < 0) throw new TraceError(file, r.line, 'run_time', `negative or unknown (${duration})`);
  let procs = num('allocated_procs');
  let procField: (typeof SWF_FIELDS)[number] = 'allocated_procs';
  if (procs === -1) {
    procs = num('requested_procs');
    procField = 'requested_procs';
  }
  if (!Number.isInteger(procs) || procs < 1)
    throw new TraceError(file, r.line, procField, `processor count unknown or < 1 (${procs})`);
  const req = num('requested_time');
  const status = num('status');
  const user = num('user_id');
  return makeJob({
    id,
    submit,
    duration,
    gpus: procs,
    ...(req >= 0 ? { estimate: req } : {}),
    ...(status !== -1 ? { status: STATUS_NAMES[status] ?? String(status) } : {}),
    group: user === -1 ? '' : String(user),
    file,
    line: r.line,
  });
}

/** CSV conversion of an SWF log (header = SWF_FIELDS names). */
export function loadSwfCsv(file: string, opts: LoadOptions = {}): Workload {
  const t = CsvTable.read(file);
  const cols = new Map(SWF_FIELDS.map((f) => [f, t.column(f)]));
  const b = new WorkloadBuilder('swf', file, t.sha256, opts);
  for (const rec of t.records) {
    const row: SwfRow = {
      line: rec.line,
      get(name) {
        if (rec.error) throw rec.error;
        const c = cols.get(name)!;
        if (c >= rec.fields.length)
          throw new TraceError(file, rec.line, name, `missing value (row has ${rec.fields.length} fields)`);
        return rec.fields[c];
      },
    };
    b.row(rec.line, () => toJob(file, row));
  }
  return b.build(0);
}

/** Raw SWF text: `;` lines are comments; every other non-blank line is one job of 18 fields. */
export function loadSwfRaw(file: string, opts: LoadOptions = {}): Workload {
  const bytes = readInput(file);
  const text0 = bytes.toString('utf8');
  const lines = text0.split('\n');
  // The last line of a file cut off mid-write has no line end (see CsvTable).
  const truncated = text0.length > 0 && !text0.endsWith('\n');
  const b = new WorkloadBuilder('swf', file, sha256Hex(bytes), opts);
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].trim();
    if (text.length === 0 || text.startsWith(';')) continue;
    const line = i + 1;
    const fields = text.split(/\s+/);
    b.row(line, () => {
      if (truncated && i === lines.length - 1)
        throw new TraceError(
          file,
          line,
          '(row)',
          'the file ends inside this row without a line end (truncated file?); if the row is complete, end it with a newline',
        );
      if (fields.length > SWF_FIELDS.length)
        throw new TraceError(file, line, '(row)', `line has ${fields.length} fields, SWF has 18`);
      if (fields.length < SWF_FIELDS.length)
        throw new TraceError(
          file,
          line,
          SWF_FIELDS[fields.length],
          `missing value (line has ${fields.length} of 18 fields)`,
        );
      return toJob(file, { line, get: (name) => fields[SWF_FIELDS.indexOf(name)] });
    });
  }
  return b.build(0);
}

/** Picks the CSV or raw reader by the file's first non-comment line. */
export function loadSwf(file: string, opts: LoadOptions = {}): Workload {
  return looksLikeSwfCsv(file) ? loadSwfCsv(file, opts) : loadSwfRaw(file, opts);
}

function looksLikeSwfCsv(file: string): boolean {
  const head = readHead(file);
  return /^\uFEFF?\s*job_id\s*,/.test(head);
}
