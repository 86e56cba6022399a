import { simulate, type SimOptions } from '../../src/sim/simulator';
import { uniformCluster, type ClusterSpec } from '../../src/cluster/spec';
import type { Scheduler } from '../../src/sim/scheduler';
import type { SimResult } from '../../src/sim/result';
import { makeJob, type Job, type JobFields } from '../../src/workload/job';

/** Helpers for the hand-computed micro-trace tests. */

export function job(id: string, submit: number, duration: number, gpus: number, extra: Partial<JobFields> = {}): Job {
  return makeJob({ id, submit, duration, gpus, ...extra });
}

/** `count` nodes with `gpus` GPUs each (CPU / memory as given, default none). */
export function cluster(count: number, gpus: number, cpus = 0, memMiB = 0): ClusterSpec {
  return uniformCluster('t', count, { gpus, cpus, memMiB });
}

/** Runs with invariant checks on; returns the result plus plain start/finish arrays. */
export function run(
  jobs: Job[],
  c: ClusterSpec,
  s: Scheduler,
  opts: SimOptions = {},
): SimResult & { s: number[]; f: number[] } {
  const r = simulate(jobs, c, s, { debug: true, ...opts });
  return Object.assign(r, { s: [...r.start], f: [...r.finish] });
}
