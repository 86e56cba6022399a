import type { SimContext } from '../sim/scheduler';
import type { Job } from '../workload/job';
import { cannotFit, ClassBlocks, demandClasses, ensureInt32, minWholeGpus } from './common';

/** Relative tolerance: a running job is only displaced by a STRICTLY more urgent one. */
export const KEY_TOLERANCE = 1e-9;

/**
 * The engine shared by the preemptive priority policies (SRTF, LAS, Tiresias, Gittins).
 * The policy gives every active (waiting or running) job a key, lower = more urgent,
 * ties broken by job index. One call of `run`:
 *   1. walks the waiting jobs in priority order and starts each one that fits;
 *   2. when one does not fit, and running jobs with a strictly worse key hold enough
 *      resources in total, preempts those worst-first until it fits, then starts it.
 * So the running set becomes the greedy prefix of the priority order that fits (exactly
 * so when capacity is one pool; with several nodes placement may leave holes), and a
 * job is never displaced by one of equal priority, which rules out flip-flopping.
 *
 * Victims preempted in a call are not restarted in the same call (they are not in the
 * waiting snapshot); they are reconsidered at the next decision point. Progress is
 * guaranteed: after a call either something runs or the cluster is empty and the most
 * urgent waiting job has started (every admitted job fits the empty cluster).
 *
 * Speed on long queues (same decisions as a full sort and scan at every call):
 * - A waiting job's key does not change while it waits (its attained service and
 *   remaining work are frozen), so with `staticKeys` the waiting jobs stay in a sorted
 *   array across calls: arrivals and last call's victims are inserted, started jobs
 *   dropped. Without it (keys that move while waiting) the array is rebuilt each call.
 * - Running jobs are only keyed when some waiting job does not fit, and only sorted when
 *   some running job is strictly worse than the first such waiting job (else no job can
 *   preempt anything in this call); with integral demands only those worse ones are sorted.
 * - Once no running job is worse than the current waiting job, no later one can preempt
 *   either, and resources only shrink: the rest of the queue is a first-fit pass that
 *   skips every job whose demand class already failed (see demandClasses) and stops when
 *   fewer GPUs are idle than any job needs (minWholeGpus).
 */
export class PriorityPreemption {
  private q = new Int32Array(64); // waiting jobs by (key, index); q[0..len)
  private len = 0;
  private seen = -1; // highest job index taken in from the waiting snapshot
  private victimsLast: number[] = []; // preempted by the last call: waiting, not yet in q
  private victims = new Int32Array(64);
  /** Every job's GPU, CPU and memory demands are integers (whole GPUs, no shares). */
  private integral = false;
  private gone = new Uint8Array(0);
  private classOf = new Int32Array(0);
  private readonly blocks = new ClassBlocks();
  private bound = 0;

  reset(jobs: readonly Job[]): void {
    const n = jobs.length;
    this.gone = new Uint8Array(n);
    let cpus = 0;
    let mem = 0;
    this.integral = jobs.every((job) => {
      cpus += job.cpus;
      mem += job.memMiB;
      return job.gpuShare === 0 && Number.isInteger(job.cpus) && Number.isInteger(job.memMiB);
    });
    this.integral &&= cpus <= Number.MAX_SAFE_INTEGER && mem <= Number.MAX_SAFE_INTEGER;
    const classes = demandClasses(jobs);
    this.classOf = classes.classOf;
    this.blocks.reset(classes.count);
    this.bound = minWholeGpus(jobs);
    this.len = 0;
    this.seen = -1;
    this.victimsLast.length = 0;
  }

  /**
   * `key(j)` is evaluated for each job entering the waiting order (every waiting job per
   * call when keys are not static) and for running jobs when victims are needed, and
   * written into `keys` (a per-job scratch array the policy owns).
   */
  run(ctx: SimContext, keys: Float64Array, key: (j: number) => number, staticKeys = true): void {
    const w = ctx.waitingCount;
    if (w === 0) {
      this.len = 0;
      this.victimsLast.length = 0;
      return;
    }
    if (!staticKeys || !this.takeIn(ctx, keys, key)) this.rebuild(ctx, keys, key);
    const jobs = ctx.jobs;
    const q = this.q;
    const len = this.len;

    // Start jobs in priority order while they fit.
    let i = 0;
    while (i < len && !cannotFit(ctx, jobs[q[i]]) && ctx.tryStart(q[i])) i++;
    if (i < len) i = this.preemptFor(ctx, keys, key, i);
    if (i < len) i = this.firstFit(ctx, i);
    // Drop the started jobs from the walked part of the order.
    let out = 0;
    for (let k = 0; k < i; k++) if (ctx.isWaiting(q[k])) q[out++] = q[k];
    if (out < i) q.copyWithin(out, i, len);
    this.len = len - (i - out);
  }

  /** Takes in new arrivals and last call's victims; false if the order lost track of the queue. */
  private takeIn(ctx: SimContext, keys: Float64Array, key: (j: number) => number): boolean {
    const w = ctx.waitingCount;
    let first = w;
    while (first > 0 && ctx.waitingAt(first - 1) > this.seen) first--;
    if (first < w) this.seen = ctx.waitingAt(w - 1);
    for (let i = first; i < w; i++) this.insert(ctx.waitingAt(i), keys, key);
    for (const j of this.victimsLast) if (ctx.isWaiting(j)) this.insert(j, keys, key);
    this.victimsLast.length = 0;
    return this.len === w;
  }

  private insert(j: number, keys: Float64Array, key: (j: number) => number): void {
    const kj = (keys[j] = key(j));
    const q = (this.q = ensureInt32(this.q, this.len + 1));
    let lo = 0;
    let hi = this.len;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = q[mid];
      if (keys[m] < kj || (keys[m] === kj && m < j)) lo = mid + 1;
      else hi = mid;
    }
    q.copyWithin(lo + 1, lo, this.len);
    q[lo] = j;
    this.len++;
  }

  /** The whole waiting snapshot, keyed and sorted (the order of a from-scratch call). */
  private rebuild(ctx: SimContext, keys: Float64Array, key: (j: number) => number): void {
    const w = ctx.waitingCount;
    const q = (this.q = ensureInt32(this.q, w));
    for (let i = 0; i < w; i++) {
      const j = ctx.waitingAt(i);
      q[i] = j;
      keys[j] = key(j);
    }
    q.subarray(0, w).sort((a, b) => keys[a] - keys[b] || a - b);
    this.len = w;
    this.seen = Math.max(this.seen, ctx.waitingAt(w - 1));
    this.victimsLast.length = 0;
  }

  /**
   * From the first waiting job that did not fit (q[i]): preempt strictly worse running
   * jobs where that makes room. Returns where the first-fit rest begins (no running job
   * is worse than q[at]), or len if the walk ended here.
   */
  private preemptFor(ctx: SimContext, keys: Float64Array, key: (j: number) => number, i: number): number {
    const jobs = ctx.jobs;
    const q = this.q;
    const len = this.len;
    // Key the running jobs; find the worst (largest key, then largest index).
    const r = ctx.runningCount;
    let worst = -1;
    for (let v = 0; v < r; v++) {
      const j = ctx.runningAt(v);
      const k = (keys[j] = key(j));
      if (worst < 0 || k > keys[worst] || (k === keys[worst] && j > worst)) worst = j;
    }
    const boundOf = (k: number): number => k + KEY_TOLERANCE * Math.max(1, Math.abs(k));
    if (worst < 0 || !(keys[worst] > boundOf(keys[q[i]]))) return i;

    // Victims worst first: largest key, then largest index. Jobs started above are more
    // urgent than every job still to place, so they can never become eligible. With
    // integral demands the totals below are exact integer sums, so only the victims
    // eligible for q[i] need sorting (the others would only be subtracted again at once);
    // otherwise all are sorted, to add and subtract in the same floating-point order.
    const victims = (this.victims = ensureInt32(this.victims, r));
    const firstBound = boundOf(keys[q[i]]);
    let count = 0;
    for (let v = 0; v < r; v++) {
      const j = ctx.runningAt(v);
      if (!this.integral || keys[j] > firstBound) victims[count++] = j;
    }
    victims.subarray(0, count).sort((a, b) => keys[b] - keys[a] || b - a);

    // Eligible victims for the current waiting job are victims[0..lim): those strictly
    // worse than it. Waiting jobs come in increasing key, so lim only shrinks; the
    // totals of eligible, not-yet-preempted victims are kept incrementally.
    const gone = this.gone;
    let lim = count;
    let totGpus = 0;
    let totShare = 0;
    let totCpu = 0;
    let totMem = 0;
    for (let v = 0; v < count; v++) {
      const vj = jobs[victims[v]];
      totGpus += vj.gpus;
      totShare += vj.gpus > 0 ? vj.gpus : vj.gpuShare;
      totCpu += vj.cpus;
      totMem += vj.memMiB;
    }
    let preempted = 0;
    for (; i < len; i++) {
      const j = q[i];
      const job = jobs[j];
      const bound = boundOf(keys[j]);
      while (lim > 0 && !(keys[victims[lim - 1]] > bound)) {
        const v = victims[--lim];
        if (gone[v]) continue;
        const vj = jobs[v];
        totGpus -= vj.gpus;
        totShare -= vj.gpus > 0 ? vj.gpus : vj.gpuShare;
        totCpu -= vj.cpus;
        totMem -= vj.memMiB;
      }
      if (lim === 0) break; // no preemption from here on: first-fit for the rest
      if (!cannotFit(ctx, job) && ctx.tryStart(j)) continue;
      // Could the eligible victims make room, judging by totals? (Whole-GPU jobs only count
      // victims' whole GPUs; a share counts any GPU amount.)
      const gpuOk = job.gpus > 0 ? ctx.freeGpus + totGpus >= job.gpus : ctx.freeGpus + totShare >= job.gpuShare;
      if (!gpuOk || ctx.freeCpus + totCpu < job.cpus - 1e-6 || ctx.freeMemMiB + totMem < job.memMiB - 1e-6) continue;
      for (let k = 0; k < lim; k++) {
        const v = victims[k];
        if (gone[v]) continue;
        ctx.preempt(v);
        gone[v] = 1;
        preempted++;
        this.victimsLast.push(v);
        const vj = jobs[v];
        totGpus -= vj.gpus;
        totShare -= vj.gpus > 0 ? vj.gpus : vj.gpuShare;
        totCpu -= vj.cpus;
        totMem -= vj.memMiB;
        if (!cannotFit(ctx, job) && ctx.fits(j)) break; // totals first: placement only when they allow it
      }
      ctx.tryStart(j);
    }
    if (preempted > 0) for (let v = 0; v < count; v++) gone[victims[v]] = 0;
    return i;
  }

  /** No more preemption in this call: start, in order, every job from q[i] on that fits. */
  private firstFit(ctx: SimContext, i: number): number {
    const jobs = ctx.jobs;
    const q = this.q;
    const classOf = this.classOf;
    const blocks = this.blocks;
    blocks.next();
    for (; i < this.len; i++) {
      if (ctx.freeGpus < this.bound) return i; // nothing can start any more
      const j = q[i];
      const c = classOf[j];
      if (blocks.blocked(c)) continue;
      if (cannotFit(ctx, jobs[j]) || !ctx.tryStart(j)) blocks.block(c);
    }
    return i;
  }
}
