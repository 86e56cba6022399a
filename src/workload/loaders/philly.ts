/**
 * Microsoft Philly 2017 job table as derived by the Pollux/Sia authors
 * (`philly/philly_jobs_pollux.csv`: timestamp, duration, num_gpus, gpu_time, cluster).
 *
 * - submit: `timestamp` ("YYYY-MM-DD HH:MM:SS", cluster local time, read as UTC)
 *   in seconds since the EARLIEST timestamp in the file (2017-09-04 10:30:41 for
 *   the shared file). Rows are not time sorted; the result is.
 * - duration: `duration` (s, summed over scheduling attempts; no queueing).
 * - gpus: `num_gpus` (whole GPUs, >= 1). `gpu_time` is not read (= duration × gpus).
 * - group: `cluster` (the Philly virtual cluster, VC); `group` filters by VC.
 * - id: `philly-<line>` (the table has no job id). No status, CPU or memory.
 */
import { TraceError } from '../../util/errors';
import { CsvTable, intField, numberField, textField } from '../csv';
import { MAX_YEAR, MIN_YEAR, parseDateTimeUtc } from '../datetime';
import { Workload, makeJob } from '../job';
import { LoadOptions, WorkloadBuilder } from './common';

export function loadPhilly(file: string, opts: LoadOptions = {}): Workload {
  const t = CsvTable.read(file);
  const cTime = t.column('timestamp');
  const cDur = t.column('duration');
  const cGpus = t.column('num_gpus');
  const cVc = t.column('cluster');
  // Pass 1 (streamed): the earliest valid timestamp, so jobs are built already rebased on it.
  let origin = Infinity;
  for (const r of t.records) {
    const f = r.fields;
    const v = !r.error && cTime < f.length ? parseDateTimeUtc(f[cTime].trim()) : NaN;
    if (v < origin) origin = v;
  }
  if (!Number.isFinite(origin)) origin = 0;
  const b = new WorkloadBuilder('philly', file, t.sha256, opts);
  for (const r of t.records) {
    b.row(r.line, () => {
      const f = r.fields;
      const submit = (!r.error && cTime < f.length ? parseDateTimeUtc(f[cTime].trim()) : NaN) - origin;
      if (Number.isNaN(submit)) {
        const ts = textField(file, r, cTime, 'timestamp');
        throw new TraceError(
          file,
          r.line,
          'timestamp',
          `not a "YYYY-MM-DD HH:MM:SS" time in years ${MIN_YEAR}-${MAX_YEAR} (${JSON.stringify(ts)})`,
        );
      }
      const duration = numberField(file, r, cDur, 'duration');
      if (duration < 0) throw new TraceError(file, r.line, 'duration', `negative duration (${duration})`);
      const gpus = intField(file, r, cGpus, 'num_gpus');
      if (gpus < 1) throw new TraceError(file, r.line, 'num_gpus', `must be >= 1 (${gpus})`);
      const group = textField(file, r, cVc, 'cluster');
      return makeJob({ id: `philly-${r.line}`, submit, duration, gpus, group, file, line: r.line });
    });
  }
  return b.build(0);
}
