/**
 * SenseTime Helios job logs (`HeliosData` data.zip → `data/<cluster>/cluster_log.csv`):
 * `job_id, user, vc, gpu_num, cpu_num, node_num, state, submit_time, start_time,
 * end_time, duration, queue`, times "YYYY-MM-DD HH:MM:SS" (read as UTC, see datetime.ts),
 * duration = end − start and queue = start − submit in seconds.
 *
 * - id: job_id; group: vc (the `group` option filters by VC); status: state
 *   (COMPLETED, CANCELLED, FAILED, TIMEOUT, NODE_FAIL).
 * - submit: submit_time in seconds since the earliest submit_time among usable rows.
 * - duration: the `duration` column when present and non-empty, else end − start.
 * - gpus: gpu_num (0 for CPU jobs, which are kept); cpus: cpu_num. node_num, user
 *   and queue are not used.
 * - A row with an empty start_time (the job never started) is not a job: recorded in
 *   `source.skipped` (always), never silently dropped.
 */
import { TraceError } from '../../util/errors';
import { CsvRecord, CsvTable, fieldText, intField, numberField, parseNumber, textField } from '../csv';
import { MAX_YEAR, MIN_YEAR, parseDateTimeUtc } from '../datetime';
import { Workload, makeJob } from '../job';
import { LoadOptions, NotAJob, WorkloadBuilder } from './common';

function timeField(file: string, r: CsvRecord, col: number, name: string): number {
  const s = textField(file, r, col, name);
  const t = parseDateTimeUtc(s);
  if (Number.isNaN(t))
    throw new TraceError(
      file,
      r.line,
      name,
      `not a "YYYY-MM-DD HH:MM:SS" time in years ${MIN_YEAR}-${MAX_YEAR} (${JSON.stringify(s)})`,
    );
  return t;
}

export function loadHelios(file: string, opts: LoadOptions = {}): Workload {
  const t = CsvTable.read(file);
  const c = {
    id: t.column('job_id'),
    vc: t.column('vc'),
    gpus: t.column('gpu_num'),
    cpus: t.column('cpu_num'),
    state: t.column('state'),
    submit: t.column('submit_time'),
    start: t.column('start_time'),
    end: t.column('end_time'),
    duration: t.optionalColumn('duration'),
  };
  const b = new WorkloadBuilder('helios', file, t.sha256, opts);
  for (const r of t.records) {
    b.row(r.line, () => {
      const id = textField(file, r, c.id, 'job_id');
      const group = textField(file, r, c.vc, 'vc');
      const gpus = intField(file, r, c.gpus, 'gpu_num');
      if (gpus < 0) throw new TraceError(file, r.line, 'gpu_num', `negative (${gpus})`);
      const cpus = numberField(file, r, c.cpus, 'cpu_num');
      if (cpus < 0) throw new TraceError(file, r.line, 'cpu_num', `negative (${cpus})`);
      const status = textField(file, r, c.state, 'state');
      const submit = timeField(file, r, c.submit, 'submit_time');
      if (fieldText(file, r, c.start, 'start_time').trim() === '')
        return new NotAJob('never started (empty start_time)');
      const durText = c.duration >= 0 && c.duration < r.fields.length ? r.fields[c.duration].trim() : '';
      let duration: number;
      if (durText !== '') {
        duration = parseNumber(file, r.line, 'duration', durText);
        if (duration < 0) throw new TraceError(file, r.line, 'duration', `negative duration (${duration})`);
      } else {
        const start = timeField(file, r, c.start, 'start_time');
        const end = timeField(file, r, c.end, 'end_time');
        duration = end - start;
        if (duration < 0)
          throw new TraceError(file, r.line, 'end_time', `before start_time: negative duration (${duration})`);
      }
      return makeJob({ id, submit, duration, gpus, cpus, group, status, file, line: r.line });
    });
  }
  return b.build('min');
}
