/**
 * Alibaba GPU cluster trace 2023 ("openb", Weng et al., ATC'23):
 * `openb_pod_list_*.csv` (pods) and `openb_node_list_*.csv` (nodes).
 *
 * Pod → Job:
 * - id: `name`; submit: `creation_time` (s, already relative to the trace start).
 * - duration: `deletion_time − scheduled_time`. A negative difference is a TraceError
 *   on `deletion_time`.
 * - cpus: `cpu_milli / 1000`; memMiB: `memory_mib`.
 * - GPUs: `num_gpu` whole GPUs, except `num_gpu == 1 && gpu_milli < 1000`, which is a
 *   GPU share: gpus = 0, gpuShare = gpu_milli / 1000 (`gpu_milli == 0` there is a TraceError).
 * - gpuType: `gpu_spec` verbatim ('|'-separated alternatives, empty → no constraint);
 *   see `gpuTypeAllows` in ../gpuType for the matching rule.
 * - group: `qos` (LS, BE, Burstable, Guaranteed); status: `pod_phase`.
 *
 * Censoring, as the dataset README describes it:
 * - `Running` pods were still running when collection stopped; their deletion_time
 *   is the end of the window, so their duration is a LOWER BOUND (right-censored).
 *   They are kept as jobs with status 'Running' so callers can tell them apart.
 * - Pods with an empty `scheduled_time` (the `Pending` pods) never started and have
 *   no duration. They are not jobs: each one is recorded in `source.skipped` with a
 *   reason starting "unscheduled pod" (always, with or without skipInvalid), so
 *   they are counted, never silently dropped.
 */
import { TraceError } from '../../util/errors';
import { CsvTable, fieldText, intField, numberField, textField } from '../csv';
import { Workload, makeJob } from '../job';
import { LoadOptions, NotAJob, WorkloadBuilder } from './common';

export const UNSCHEDULED_REASON = 'unscheduled pod (empty scheduled_time): never started, no duration';

export function loadAlibaba(file: string, opts: LoadOptions = {}): Workload {
  const t = CsvTable.read(file);
  const c = {
    name: t.column('name'),
    cpu: t.column('cpu_milli'),
    mem: t.column('memory_mib'),
    numGpu: t.column('num_gpu'),
    gpuMilli: t.column('gpu_milli'),
    spec: t.column('gpu_spec'),
    qos: t.column('qos'),
    phase: t.column('pod_phase'),
    created: t.column('creation_time'),
    deleted: t.column('deletion_time'),
    scheduled: t.column('scheduled_time'),
  };
  const b = new WorkloadBuilder('openb', file, t.sha256, opts);
  for (const r of t.records) {
    b.row(r.line, () => {
      const id = textField(file, r, c.name, 'name');
      const submit = numberField(file, r, c.created, 'creation_time');
      const cpuMilli = numberField(file, r, c.cpu, 'cpu_milli');
      if (cpuMilli < 0) throw new TraceError(file, r.line, 'cpu_milli', `negative (${cpuMilli})`);
      const memMiB = numberField(file, r, c.mem, 'memory_mib');
      if (memMiB < 0) throw new TraceError(file, r.line, 'memory_mib', `negative (${memMiB})`);
      const numGpu = intField(file, r, c.numGpu, 'num_gpu');
      if (numGpu < 0) throw new TraceError(file, r.line, 'num_gpu', `negative (${numGpu})`);
      const gpuMilli = numberField(file, r, c.gpuMilli, 'gpu_milli');
      let gpus = numGpu;
      let gpuShare = 0;
      if (numGpu === 1 && gpuMilli < 1000) {
        if (!(gpuMilli > 0))
          throw new TraceError(file, r.line, 'gpu_milli', `must be in (0, 1000] for num_gpu 1 (${gpuMilli})`);
        gpus = 0;
        gpuShare = gpuMilli / 1000;
      }
      const gpuType = fieldText(file, r, c.spec, 'gpu_spec').trim();
      const group = textField(file, r, c.qos, 'qos');
      const status = textField(file, r, c.phase, 'pod_phase');
      const deleted = numberField(file, r, c.deleted, 'deletion_time');
      if (fieldText(file, r, c.scheduled, 'scheduled_time').trim() === '') return new NotAJob(UNSCHEDULED_REASON);
      const scheduled = numberField(file, r, c.scheduled, 'scheduled_time');
      const duration = deleted - scheduled;
      if (duration < 0)
        throw new TraceError(file, r.line, 'deletion_time', `before scheduled_time: negative duration (${duration})`);
      return makeJob({
        id,
        submit,
        duration,
        gpus,
        gpuShare,
        cpus: cpuMilli / 1000,
        memMiB,
        ...(gpuType ? { gpuType } : {}),
        group,
        status,
        file,
        line: r.line,
      });
    });
  }
  return b.build(0);
}
