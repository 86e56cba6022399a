/**
 * Event core: the EventQueue heap alone, then the whole Simulator on a synthetic
 * stream of single-GPU jobs on a big uniform cluster (FIFO, first-fit).
 *
 * One "event" of the queue = one push + one pop. The simulator's events are the
 * ones it counts itself (arrivals + completions, SimResult.events).
 */
import { EventQueue, simulate, uniformCluster, makeScheduler, makeJob, Rng, type ClusterSpec, type Job } from 'lepton';
import { anySelected, runCases, type BenchCase, type BenchOptions, type SuiteOutcome } from './harness';

export const EVENT_CORE_SUITE = 'event-core';

export interface EventCoreSizes {
  /** Events pushed then popped by one fill+drain op. */
  fillDrain: number;
  /** Steady queue size of the hold model (pending completions in a busy cluster). */
  holdSize: number;
  /** Pop+push pairs per hold op. */
  holdSteps: number;
  /** Jobs in the synthetic simulator stream. */
  simJobs: number;
  /** Nodes × 8 GPUs in the synthetic cluster. */
  simNodes: number;
}

export function eventCoreSizes(quick: boolean): EventCoreSizes {
  return quick
    ? { fillDrain: 20_000, holdSize: 10_000, holdSteps: 20_000, simJobs: 20_000, simNodes: 512 }
    : { fillDrain: 100_000, holdSize: 10_000, holdSteps: 100_000, simJobs: 100_000, simNodes: 512 };
}

/** Offered load of the synthetic stream (busy GPU-seconds / available GPU-seconds). */
export const SYNTH_LOAD = 0.9;
/** Mean job duration (s), exponential. */
export const SYNTH_MEAN_DURATION = 3600;

/**
 * `n` single-GPU jobs, Poisson arrivals at `load` of `gpus` GPUs, exponential durations.
 * Durations are rounded to whole seconds so completions coincide sometimes, like traces.
 */
export function syntheticSingleGpuJobs(
  n: number,
  gpus: number,
  seed = 42,
  load = SYNTH_LOAD,
  meanDuration = SYNTH_MEAN_DURATION,
): Job[] {
  const rng = new Rng(seed);
  const meanGap = meanDuration / (load * gpus);
  const jobs: Job[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rng.exponential(meanGap);
    jobs.push(
      makeJob({
        id: `synth-${i}`,
        submit: Math.round(t),
        duration: Math.max(1, Math.round(rng.exponential(meanDuration))),
        gpus: 1,
      }),
    );
  }
  return jobs;
}

export function syntheticCluster(nodes: number): ClusterSpec {
  return uniformCluster('synthetic', nodes, { gpus: 8, cpus: 64, memMiB: 512 * 1024 });
}

function eventCoreCaseNames(sz: EventCoreSizes): string[] {
  return [
    `EventQueue fill+drain ${sz.fillDrain}`,
    `EventQueue hold size ${sz.holdSize}`,
    `simulate FIFO ${sz.simJobs} 1-GPU jobs on ${sz.simNodes * 8} GPUs`,
  ];
}

export async function eventCoreSuite(opts: BenchOptions): Promise<SuiteOutcome> {
  const sz = eventCoreSizes(opts.quick);
  const names = eventCoreCaseNames(sz);
  if (!anySelected(opts, EVENT_CORE_SUITE, names))
    return { suite: EVENT_CORE_SUITE, skipped: 'no case matches --filter', results: [] };
  const rng = new Rng(7);

  // Fill + drain: random times (with ties, as in real traces), pushed then all popped.
  const times = new Float64Array(sz.fillDrain);
  for (let i = 0; i < times.length; i++) times[i] = Math.floor(rng.random() * 1e6);
  const fdQueue = new EventQueue(1024); // grows during the first op, then reused
  let sink = 0;

  // Hold model: queue held at holdSize; each step pops the earliest and pushes it back later.
  const incr = new Float64Array(4096);
  for (let i = 0; i < incr.length; i++) incr[i] = Math.round(rng.exponential(3600));
  const hold = new EventQueue(sz.holdSize);
  for (let i = 0; i < sz.holdSize; i++) hold.push(incr[i % incr.length] + i, 0, i, 0);

  const jobs = syntheticSingleGpuJobs(sz.simJobs, sz.simNodes * 8);
  const cluster = syntheticCluster(sz.simNodes);
  const probe = simulate(jobs, cluster, makeScheduler('fifo'));
  if (probe.counts.finished !== jobs.length)
    throw new Error(`synthetic replay finished ${probe.counts.finished}/${jobs.length} jobs`);

  const cases: BenchCase[] = [
    {
      name: names[0],
      fn: () => {
        const q = fdQueue;
        for (let i = 0; i < times.length; i++) q.push(times[i], 0, i, 0);
        while (q.size > 0) {
          sink += q.peekJob();
          q.pop();
        }
        q.clear();
      },
      perOp: sz.fillDrain,
      unit: 'events',
      info: { events: sz.fillDrain },
    },
    {
      name: names[1],
      fn: () => {
        const q = hold;
        const m = incr.length - 1;
        for (let i = 0; i < sz.holdSteps; i++) {
          const t = q.peekTime();
          const j = q.peekJob();
          q.pop();
          q.push(t + incr[(i + j) & m], 0, j, 0);
        }
      },
      perOp: sz.holdSteps,
      unit: 'events',
      info: { queueSize: sz.holdSize, steps: sz.holdSteps },
    },
    {
      name: names[2],
      fn: () => {
        sink += simulate(jobs, cluster, makeScheduler('fifo')).events;
      },
      perOp: probe.events,
      unit: 'events',
      info: { jobs: sz.simJobs, gpus: sz.simNodes * 8, nodes: sz.simNodes, load: SYNTH_LOAD, events: probe.events },
    },
  ];
  const results = await runCases(EVENT_CORE_SUITE, cases, opts);
  if (sink === -1) console.log('unreachable'); // keeps `sink` observable
  return { suite: EVENT_CORE_SUITE, results };
}
