/**
 * The raw Philly `cluster_job_log` (msr-fiddle/philly-traces, `trace-data.tar.gz`):
 * one JSON array of jobs, each
 *   { status: "Pass"|"Killed"|"Failed", vc, jobid, user, submitted_time,
 *     attempts: [{ start_time, end_time, detail: [{ ip, gpus: ["gpu0", ...] }] }] }
 * with times "YYYY-MM-DD HH:MM:SS" (cluster local time; read as UTC, see datetime.ts).
 *
 * Job mapping (chosen to match `philly_jobs_pollux.csv`, derived from this log):
 * - id: jobid; group: vc; status: status; submit: submitted_time in seconds since
 *   the earliest submitted_time among the usable jobs of the file.
 * - duration: SUM over attempts of (end_time − start_time): execution only, the gaps
 *   between attempts (requeueing) excluded.
 * - gpus: number of GPUs of the FIRST attempt (Σ over its `detail` of `gpus.length`),
 *   as in the trace authors' analysis notebook.
 *
 * The trace README says a job may have no attempts, an attempt may lack start/end
 * times (logging errors), and a last attempt without end_time means the job was
 * still running at the snapshot. Such jobs, and jobs with no GPU in their first
 * attempt, are not replayable: each is recorded in `source.skipped` with the reason
 * (always, not only with skipInvalid). Missing times may be JSON null, "None" or "".
 * Structurally malformed entries (not an object, missing jobid, bad time text,
 * negative attempt) are TraceErrors unless skipInvalid.
 *
 * Line numbers: the 1-based line where the job's object starts in the file.
 * The whole file is parsed in memory (JSON.parse); the full log is a few hundred MB.
 */
import { readInput } from '../../util/fsErrors';
import { TraceError } from '../../util/errors';
import { quoteInput, sha256Hex } from '../csv';
import { MAX_YEAR, MIN_YEAR, parseDateTimeUtc } from '../datetime';
import { Workload, makeJob } from '../job';
import { LoadOptions, NotAJob, WorkloadBuilder } from './common';

/** 1-based line of the start of each element of the top-level JSON array. */
export function topLevelElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    if (depth === 1 && expectElement) {
      lines.push(line);
      expectElement = false;
    }
    if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (c === 93 || c === 125) depth--;
    else if (c === 44 /* , */ && depth === 1) expectElement = true;
  }
  return lines;
}

function missingTime(v: unknown): boolean {
  return v === null || v === undefined || v === '' || v === 'None';
}

function time(file: string, line: number, field: string, v: unknown): number {
  const t = typeof v === 'string' ? parseDateTimeUtc(v) : NaN;
  if (Number.isNaN(t))
    throw new TraceError(
      file,
      line,
      field,
      `not a "YYYY-MM-DD HH:MM:SS" time in years ${MIN_YEAR}-${MAX_YEAR} (${quoteInput(String(v))})`,
    );
  return t;
}

export function loadPhillyRaw(file: string, opts: LoadOptions = {}): Workload {
  const bytes = readInput(file);
  const text0 = bytes.toString('utf8');
  // A byte-order mark is accepted here as in every other input (JSON.parse rejects it).
  const text = text0.charCodeAt(0) === 0xfeff ? ' ' + text0.slice(1) : text0;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new TraceError(file, 1, '(json)', `not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new TraceError(file, 1, '(json)', 'expected a JSON array of jobs');
  const lines = topLevelElementLines(text);
  const b = new WorkloadBuilder('philly-raw', file, sha256Hex(bytes), opts);
  data.forEach((entry: unknown, k) => {
    const line = lines[k] ?? 1;
    b.row(line, () => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        throw new TraceError(file, line, '(job)', 'expected a JSON object');
      const j = entry as Record<string, unknown>;
      if (typeof j.jobid !== 'string' || !j.jobid) throw new TraceError(file, line, 'jobid', 'missing job id');
      if (typeof j.vc !== 'string' || !j.vc) throw new TraceError(file, line, 'vc', 'missing virtual cluster');
      const submit = time(file, line, 'submitted_time', j.submitted_time);
      if (!Array.isArray(j.attempts)) throw new TraceError(file, line, 'attempts', 'expected a list');
      const attempts = j.attempts as Record<string, unknown>[];
      if (attempts.length === 0) return new NotAJob('no scheduling attempt');
      let duration = 0;
      for (let a = 0; a < attempts.length; a++) {
        const at = attempts[a];
        if (typeof at !== 'object' || at === null)
          throw new TraceError(file, line, `attempts[${a}]`, 'expected an object');
        if (a === attempts.length - 1 && !missingTime(at.start_time) && missingTime(at.end_time))
          return new NotAJob('still running at the snapshot (last attempt has no end_time): right-censored');
        if (missingTime(at.start_time) || missingTime(at.end_time))
          return new NotAJob(`attempt ${a} has no start_time or end_time (logging error)`);
        const start = time(file, line, `attempts[${a}].start_time`, at.start_time);
        const end = time(file, line, `attempts[${a}].end_time`, at.end_time);
        if (end < start)
          throw new TraceError(
            file,
            line,
            `attempts[${a}].end_time`,
            `before start_time: negative duration (${end - start})`,
          );
        duration += end - start;
      }
      const detail = attempts[0].detail;
      if (!Array.isArray(detail)) throw new TraceError(file, line, 'attempts[0].detail', 'expected a list');
      let gpus = 0;
      for (const d of detail as Record<string, unknown>[]) {
        if (d === null || typeof d !== 'object' || !Array.isArray(d.gpus))
          throw new TraceError(file, line, 'attempts[0].detail.gpus', 'expected a list');
        gpus += d.gpus.length;
      }
      if (gpus === 0) return new NotAJob('no GPU recorded in the first attempt');
      return makeJob({
        id: j.jobid,
        submit,
        duration,
        gpus,
        group: j.vc,
        ...(typeof j.status === 'string' ? { status: j.status } : {}),
        file,
        line,
      });
    });
  });
  return b.build('min');
}
