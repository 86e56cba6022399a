import { JobStatus, type SimResult } from '../../src/sim/result';
import { makeJob, type JobFields } from '../../src/workload/job';

/** One hand-written job outcome for a test SimResult. */
export interface Outcome extends JobFields {
  start?: number;
  finish?: number;
  state: JobStatus;
  preemptions?: number;
}

/** Builds a SimResult directly from typed arrays (no simulator involved). */
export function buildResult(
  outcomes: Outcome[],
  capacity: { gpus: number; cpus: number; memMiB: number },
  timeline: { time: number[]; gpus: number[]; cpus: number[]; memMiB: number[] },
  policy = 'test',
  endTime = NaN,
): SimResult {
  const n = outcomes.length;
  const status = Uint8Array.from(outcomes, (o) => o.state);
  let finished = 0;
  let rejected = 0;
  for (const s of status) {
    if (s === JobStatus.Finished) finished++;
    else if (s === JobStatus.Rejected) rejected++;
  }
  return {
    policy,
    jobs: outcomes.map((o) => makeJob(o)),
    start: Float64Array.from(outcomes, (o) => o.start ?? NaN),
    finish: Float64Array.from(outcomes, (o) => o.finish ?? NaN),
    status,
    preemptions: Int32Array.from(outcomes, (o) => o.preemptions ?? 0),
    capacity,
    timeline: {
      time: Float64Array.from(timeline.time),
      gpus: Float64Array.from(timeline.gpus),
      cpus: Float64Array.from(timeline.cpus),
      memMiB: Float64Array.from(timeline.memMiB),
    },
    endTime,
    events: 0,
    counts: { jobs: n, finished, rejected, unfinished: n - finished - rejected },
  };
}

/**
 * Six jobs on a 4-GPU / 8-CPU / 100-MiB cluster (hand-computed values in
 * test/metrics/summary.test.ts):
 *   a: submit 0, dur 10, 2 GPU, runs [0,10]           group u1
 *   b: submit 0, dur 20, 2 GPU, runs [0,20]           group u2
 *   c: submit 5, dur 5,  4 GPU, runs [20,25], 1 preemption, group u1
 *   d: submit 10, dur 0, CPU only, runs [10,10]      group u2
 *   e: submit 12, dur 30, 4 GPU, rejected
 *   f: submit 20, dur 100, 1 GPU, started 25, still running at the end (2 preemptions)
 */
export function sixJobs(): SimResult {
  return buildResult(
    [
      {
        id: 'a',
        submit: 0,
        duration: 10,
        gpus: 2,
        cpus: 2,
        memMiB: 10,
        group: 'u1',
        start: 0,
        finish: 10,
        state: JobStatus.Finished,
      },
      {
        id: 'b',
        submit: 0,
        duration: 20,
        gpus: 2,
        cpus: 2,
        memMiB: 20,
        group: 'u2',
        start: 0,
        finish: 20,
        state: JobStatus.Finished,
      },
      {
        id: 'c',
        submit: 5,
        duration: 5,
        gpus: 4,
        cpus: 4,
        memMiB: 40,
        group: 'u1',
        start: 20,
        finish: 25,
        state: JobStatus.Finished,
        preemptions: 1,
      },
      {
        id: 'd',
        submit: 10,
        duration: 0,
        gpus: 0,
        cpus: 1,
        memMiB: 5,
        group: 'u2',
        start: 10,
        finish: 10,
        state: JobStatus.Finished,
      },
      { id: 'e', submit: 12, duration: 30, gpus: 4, cpus: 1, memMiB: 1, group: 'u1', state: JobStatus.Rejected },
      {
        id: 'f',
        submit: 20,
        duration: 100,
        gpus: 1,
        cpus: 1,
        memMiB: 10,
        group: 'u3',
        start: 25,
        state: JobStatus.Running,
        preemptions: 2,
      },
    ],
    { gpus: 4, cpus: 8, memMiB: 100 },
    {
      // a zero-length segment at t = 10 holds job d (duration 0)
      time: [0, 10, 10, 20, 25],
      gpus: [4, 2, 2, 4, 1],
      cpus: [4, 3, 2, 4, 1],
      memMiB: [30, 25, 20, 40, 10],
    },
    'six',
    50,
  );
}
