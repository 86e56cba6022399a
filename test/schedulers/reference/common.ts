import type { SimContext } from '../../../src/sim/scheduler';
import type { JobView as Job } from '../../../src/workload/job';
import { UsageError } from '../../../src/util/errors';

/**
 * Small helpers shared by the heuristic policies: cheap "cannot fit" pre-checks,
 * GPU amounts, sorting job indices by a key, and option parsing.
 */

/** Slack for CPU / memory comparisons (the simulator's accounting tolerance). */
const EPS = 1e-6;

/** GPUs a job occupies: whole GPUs, its fractional share, or 0 for a CPU-only job. */
export function gpuAmount(job: Job): number {
  return job.gpus > 0 ? job.gpus : job.gpuShare;
}

/**
 * True when the job certainly cannot start now, judged from cluster totals alone
 * (necessary conditions only). Lets policies skip the placement search for most of
 * a long queue when the cluster is full.
 */
export function cannotFit(ctx: SimContext, job: Job): boolean {
  return job.gpus > ctx.freeGpus || job.cpus > ctx.freeCpus + EPS || job.memMiB > ctx.freeMemMiB + EPS;
}

/**
 * The fewest whole GPUs any job of the run needs, when EVERY job needs whole GPUs; else 0.
 * While ctx.freeGpus is below it nothing can start, so non-preemptive policies can return
 * (or stop scanning) at once — the common case on a loaded cluster with a long queue.
 */
export function minWholeGpus(jobs: readonly Job[]): number {
  let m = Infinity;
  for (const j of jobs) {
    if (j.gpus === 0) return 0;
    if (j.gpus < m) m = j.gpus;
  }
  return m === Infinity ? 0 : m;
}

/** Tries to start the job, skipping the placement search when totals already rule it out. */
export function tryStartFast(ctx: SimContext, job: number): boolean {
  return !cannotFit(ctx, ctx.jobs[job]) && ctx.tryStart(job);
}

/** Copies the waiting snapshot into `out` (grown if needed) and returns it; count = ctx.waitingCount. */
export function waitingInto(ctx: SimContext, out: Int32Array): Int32Array {
  const w = ctx.waitingCount;
  if (out.length < w) out = new Int32Array(Math.max(w, out.length * 2));
  for (let i = 0; i < w; i++) out[i] = ctx.waitingAt(i);
  return out;
}

/** Sorts ids[0..count) by ascending key[id], ties by ascending job index (deterministic). */
export function sortByKey(ids: Int32Array, count: number, key: Float64Array): void {
  ids.subarray(0, count).sort((a, b) => key[a] - key[b] || a - b);
}

/** A number option: the given value if it is a finite number >= min, else the default. Throws on garbage. */
export function numberOption(opts: Record<string, unknown> | undefined, name: string, def: number, min = 0): number {
  const v = opts?.[name];
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new UsageError(`option ${name} must be a finite number >= ${min} (got ${String(v)})`);
  return v;
}

export function boolOption(opts: Record<string, unknown> | undefined, name: string, def: boolean): boolean {
  const v = opts?.[name];
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw new UsageError(`option ${name} must be a boolean (got ${String(v)})`);
  return v;
}

/** Grows a typed scratch array to at least n entries (contents not kept). */
/** `a` if it holds n values, else a larger copy (contents kept: callers grow live buffers). */
export function ensureInt32(a: Int32Array, n: number): Int32Array {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}
export function ensureFloat64(a: Float64Array, n: number): Float64Array {
  if (a.length >= n) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}
