import type { SimContext } from '../sim/scheduler';
import type { JobView } from '../workload/job';
import { UsageError } from '../util/errors';

/**
 * Small helpers shared by the heuristic policies: cheap "cannot fit" pre-checks,
 * GPU amounts, sorting job indices by a key, and option parsing.
 */

/** Slack for CPU / memory comparisons (the simulator's accounting tolerance). */
const EPS = 1e-6;

/** GPUs a job occupies: whole GPUs, its fractional share, or 0 for a CPU-only job. */
export function gpuAmount(job: JobView): number {
  return job.gpus > 0 ? job.gpus : job.gpuShare;
}

/**
 * True when the job certainly cannot start now, judged from cluster totals alone
 * (necessary conditions only). Lets policies skip the placement search for most of
 * a long queue when the cluster is full.
 */
export function cannotFit(ctx: SimContext, job: JobView): boolean {
  return job.gpus > ctx.freeGpus || job.cpus > ctx.freeCpus + EPS || job.memMiB > ctx.freeMemMiB + EPS;
}

/**
 * The fewest whole GPUs any job of the run needs, when EVERY job needs whole GPUs; else 0.
 * While ctx.freeGpus is below it nothing can start, so non-preemptive policies can return
 * (or stop scanning) at once — the common case on a loaded cluster with a long queue.
 */
export function minWholeGpus(jobs: readonly JobView[]): number {
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

/**
 * Demand classes: jobs with the same (gpus, gpuShare, cpus, memMiB, gpuType) have the
 * same demand in the simulator, so at any moment they either all fit or none does. Within
 * one decision point of a policy that does not preempt, resources only shrink, so once a
 * job of a class fails to fit, every later job of that class would fail too: the policy
 * may skip them without asking the placement. This is exact for every demand and
 * placement (fitting is "some node / GPU has enough free", which shrinking cannot make true).
 */
export function demandClasses(jobs: readonly JobView[]): { classOf: Int32Array; count: number } {
  const ids = new Map<string, number>();
  const classOf = new Int32Array(jobs.length);
  for (let j = 0; j < jobs.length; j++) {
    const job = jobs[j];
    const k = `${job.gpus}|${job.gpuShare}|${job.cpus}|${job.memMiB}|${job.gpuType ?? ''}`;
    let c = ids.get(k);
    if (c === undefined) ids.set(k, (c = ids.size));
    classOf[j] = c;
  }
  return { classOf, count: ids.size };
}

/**
 * Marks demand classes that failed to fit in the current pass; `next()` starts a new pass
 * in O(1) (stamps instead of clearing).
 */
export class ClassBlocks {
  private stamp = new Int32Array(0);
  private pass = 1;

  reset(classCount: number): void {
    this.stamp = new Int32Array(classCount);
    this.pass = 1;
  }
  next(): void {
    this.pass++;
  }
  block(c: number): void {
    this.stamp[c] = this.pass;
  }
  blocked(c: number): boolean {
    return this.stamp[c] === this.pass;
  }
}
