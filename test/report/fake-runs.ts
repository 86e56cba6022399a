import { JobStatus, type SimResult } from '../../src/sim/result';
import { makeJob, type Job } from '../../src/workload/job';
import { Rng } from '../../src/util/rng';

/** Random jobs: Poisson arrivals, log-uniform durations, 1–8 GPUs. */
export function randomJobs(n: number, seed: number, meanGap = 60): Job[] {
  const rng = new Rng(seed);
  const jobs: Job[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rng.exponential(meanGap);
    const duration = Math.round(Math.exp(Math.log(5) + rng.random() * Math.log(20000)));
    const gpus = [1, 1, 1, 2, 4, 8][rng.int(0, 6)];
    jobs.push(
      makeJob({
        id: `j${i}`,
        submit: t,
        duration,
        gpus,
        cpus: gpus * 4,
        memMiB: gpus * 8192,
        group: `u${rng.int(0, 8)}`,
      }),
    );
  }
  return jobs;
}

/**
 * Strict-FIFO gang scheduling on `gpus` GPUs: a stand-in for the real simulator
 * so that report tests have realistic-looking results. Jobs wider than the
 * cluster are rejected.
 */
export function fifoRun(policy: string, jobs: Job[], gpus: number): SimResult {
  const n = jobs.length;
  const start = new Float64Array(n).fill(NaN);
  const finish = new Float64Array(n).fill(NaN);
  const status = new Uint8Array(n);
  const running: { end: number; gpus: number }[] = [];
  let prevStart = 0;
  let finished = 0;
  let rejected = 0;
  for (let i = 0; i < n; i++) {
    const j = jobs[i];
    if (j.gpus > gpus) {
      status[i] = JobStatus.Rejected;
      rejected++;
      continue;
    }
    let t = Math.max(j.submit, prevStart);
    for (;;) {
      for (let k = running.length - 1; k >= 0; k--) if (running[k].end <= t) running.splice(k, 1);
      const used = running.reduce((s, r) => s + r.gpus, 0);
      if (gpus - used >= j.gpus) break;
      t = Math.min(...running.map((r) => r.end));
    }
    start[i] = t;
    finish[i] = t + j.duration;
    prevStart = t;
    running.push({ end: finish[i], gpus: j.gpus });
    status[i] = JobStatus.Finished;
    finished++;
  }
  const ev: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (status[i] !== JobStatus.Finished) continue;
    ev.push([start[i], jobs[i].gpus], [finish[i], -jobs[i].gpus]);
  }
  ev.sort((a, b) => a[0] - b[0]);
  const time: number[] = [];
  const used: number[] = [];
  let u = 0;
  for (const [t, d] of ev) {
    u += d;
    if (time.length > 0 && time[time.length - 1] === t) used[used.length - 1] = u;
    else {
      time.push(t);
      used.push(u);
    }
  }
  const endTime = time.length ? time[time.length - 1] : 0;
  return {
    policy,
    jobs,
    start,
    finish,
    status,
    preemptions: new Int32Array(n),
    capacity: { gpus, cpus: gpus * 4, memMiB: gpus * 8192 },
    timeline: {
      time: Float64Array.from(time),
      gpus: Float64Array.from(used),
      cpus: Float64Array.from(used, (g) => g * 4),
      memMiB: Float64Array.from(used, (g) => g * 8192),
    },
    endTime,
    events: ev.length + n,
    counts: { jobs: n, finished, rejected, unfinished: n - finished - rejected },
  };
}
