/**
 * Pollux (OSDI'21) / Sia (SOSP'23) workload CSVs: `name, time, application,
 * num_replicas, batch_size` (160 jobs over ~8 h per file).
 *
 * - id: `name`; submit: `time` (s from the workload start); group: `application`.
 * - gpus: `num_replicas` (the generator's initial configuration, not a recorded size).
 * - batch_size is not used.
 *
 * DURATIONS ARE NOT IN THE FILE, and this loader does not have the Pollux/Sia
 * throughput profiles that define them in those simulators. Instead it uses a
 * crude, documented model built on how the files were generated (dataset README):
 * the generators sampled Philly jobs (`philly_jobs_pollux.csv`, dropping jobs
 * shorter than 60 s or with >= 1000 GPU-hours) and mapped each job's GPU-time
 * bucket to an application: < 1 GPU-h → cifar10/ncf, 1–10 → deepspeech2/bert,
 * 10–100 → yolov3, >= 100 → imagenet. We give every job of an application the
 * MEAN GPU-time of its bucket, measured on that same filtered Philly table
 * (55,508 / 13,807 / 3,575 / 1,538 jobs; means 0.2976 / 2.6129 / 33.2509 /
 * 318.3713 GPU-h), and assume perfect scaling on the initial replicas:
 *
 *     duration = POLLUX_REFERENCE_GPU_SECONDS[application] / num_replicas
 *
 * So durations are bucket-level only (no per-job variation) and ignore the
 * models' real throughput and scaling. Good for smoke tests and arrival patterns,
 * not for comparing JCTs with the Pollux/Sia papers. Override the table with
 * `opts.gpuSeconds`.
 */
import { TraceError } from '../../util/errors';
import { CsvTable, intField, numberField, textField } from '../csv';
import { Workload, makeJob } from '../job';
import { LoadOptions, WorkloadBuilder } from './common';

/** GPU-seconds of work per job, by application (see the module comment for the derivation). */
export const POLLUX_REFERENCE_GPU_SECONDS: Readonly<Record<string, number>> = {
  cifar10: 1071, // 0.2976 GPU-h: mean of Philly jobs with < 1 GPU-h
  ncf: 1071, // same bucket as cifar10
  deepspeech2: 9407, // 2.6129 GPU-h: mean of the 1–10 GPU-h bucket
  bert: 9407, // same bucket as deepspeech2
  yolov3: 119703, // 33.2509 GPU-h: mean of the 10–100 GPU-h bucket
  imagenet: 1146137, // 318.3713 GPU-h: mean of the 100–1000 GPU-h bucket
};

export interface PolluxLoadOptions extends LoadOptions {
  /** Replaces POLLUX_REFERENCE_GPU_SECONDS (GPU-seconds per job, by application). */
  gpuSeconds?: Readonly<Record<string, number>>;
}

export function loadPollux(file: string, opts: PolluxLoadOptions = {}): Workload {
  const table = opts.gpuSeconds ?? POLLUX_REFERENCE_GPU_SECONDS;
  const t = CsvTable.read(file);
  const cName = t.column('name');
  const cTime = t.column('time');
  const cApp = t.column('application');
  const cRep = t.column('num_replicas');
  const b = new WorkloadBuilder('pollux', file, t.sha256, opts);
  for (const r of t.records) {
    b.row(r.line, () => {
      const id = textField(file, r, cName, 'name');
      const submit = numberField(file, r, cTime, 'time');
      if (submit < 0) throw new TraceError(file, r.line, 'time', `negative submit time (${submit})`);
      const app = textField(file, r, cApp, 'application');
      const gpus = intField(file, r, cRep, 'num_replicas');
      if (gpus < 1) throw new TraceError(file, r.line, 'num_replicas', `must be >= 1 (${gpus})`);
      const work = table[app];
      if (work === undefined)
        throw new TraceError(
          file,
          r.line,
          'application',
          `no reference duration for ${JSON.stringify(app)} (known: ${Object.keys(table).join(', ')})`,
        );
      return makeJob({ id, submit, duration: work / gpus, gpus, group: app, file, line: r.line });
    });
  }
  return b.build(0);
}
