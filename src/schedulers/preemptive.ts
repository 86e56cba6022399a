import type { SimContext } from '../sim/scheduler';
import type { JobView } from '../workload/job';
import { cannotFit, ClassBlocks, demandClasses, ensureInt32, minWholeGpus } from './common';

/** Relative tolerance: a running job is only displaced by a STRICTLY more urgent one. */
export const KEY_TOLERANCE = 1e-9;

/**
 * The engine shared by the preemptive priority policies (SRTF, LAS, Tiresias, Gittins).
 * The policy gives every active (waiting or running) job a key, lower = more urgent.
 * The PRIORITY ORDER merges the waiting jobs (by key, then index) with the running jobs
 * (by key, then index); a waiting job comes before a running one only if the running
 * job's key is STRICTLY larger (beyond KEY_TOLERANCE), so equal priorities never swap
 * (no flip-flopping).
 *
 * One pool (ctx.pooled: a job fits iff the idle GPU / CPU / memory totals cover it — one
 * node, or GPU-only jobs on a placement that may span nodes): the running set after a call
 * is exactly the GREEDY PREFIX of the priority order that fits — walk the order over the
 * whole capacity, keep every job that still fits, skip the others. The running jobs left
 * out are preempted (once), the waiting jobs kept are started. No job that fits is left
 * waiting (work conservation), and a job is preempted only for more urgent ones.
 *
 * Several nodes with per-node demands (shares, CPU / memory, GPU models, consolidation):
 * nothing is planned on totals, the real placement decides. Walk the same order:
 *   - a running job stays running;
 *   - a waiting job starts if it fits; if not, it holds the running jobs after it in the
 *     order (all strictly less urgent) worst first until it fits (ctx.hold: a what-if), then
 *     gives back, most urgent first, every one it can do without; those still held are
 *     preempted and it starts; if holding all of them does not make it fit, nothing changes;
 *   - a job preempted earlier in the same call gets its turn like a waiting job: it restarts
 *     if it now fits elsewhere (a real preemption and restart, counted as such).
 * No running job moves, a job is preempted only for a strictly more urgent job that starts
 * in the same call, and after the call no waiting job fits the idle resources.
 *
 * Speed on long queues (same decisions as a full sort and walk at every call):
 * - A waiting job's key does not change while it waits (its attained service and
 *   remaining work are frozen), so with `staticKeys` the waiting jobs stay in a sorted
 *   array across calls: arrivals and last call's victims are inserted, started jobs
 *   dropped. Without it (keys that move while waiting) the array is rebuilt each call.
 * - Running jobs are only keyed when some waiting job does not fit, and only the ones
 *   strictly worse than that first blocked job are sorted (no other can ever be displaced).
 * - Once no running job is worse than the current waiting job, no later one can preempt
 *   either, and resources only shrink: the rest of the queue is a first-fit pass that
 *   skips every job whose demand class already failed (see demandClasses) and stops when
 *   fewer GPUs are idle than any job needs (minWholeGpus).
 */
const boundOf = (k: number): number => k + KEY_TOLERANCE * Math.max(1, Math.abs(k));

export class PriorityPreemption {
  private q: Int32Array = new Int32Array(64); // waiting jobs by (key, index); q[0..len)
  private len = 0;
  private seen = -1; // highest job index taken in from the waiting snapshot
  private victimsLast: number[] = []; // preempted by the last call: waiting, not yet in q
  private victims: Int32Array = new Int32Array(64);
  private held = new Int32Array(0);
  private starts: Int32Array = new Int32Array(64);
  private gone = new Uint8Array(0);
  private classOf: Int32Array = new Int32Array(0);
  private readonly blocks = new ClassBlocks();
  private bound = 0;

  reset(jobs: readonly JobView[]): void {
    const n = jobs.length;
    this.gone = new Uint8Array(n);
    this.held = new Int32Array(n);
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
   * From the first waiting job that did not fit (q[i]): the walk of the merged order of the
   * waiting jobs from q[i] on and the running jobs strictly worse than q[i] (the candidates).
   * Returns where the first-fit rest begins (no candidate is left after q[at]), or len.
   */
  private preemptFor(ctx: SimContext, keys: Float64Array, key: (j: number) => number, i: number): number {
    const q = this.q;
    // Candidates, worst first (largest key, then largest index): victims[0..count). Walking
    // the order, the next candidate is victims[lim - 1]; lim only shrinks.
    const firstBound = boundOf(keys[q[i]]);
    const r = ctx.runningCount;
    const victims = (this.victims = ensureInt32(this.victims, r));
    let count = 0;
    for (let v = 0; v < r; v++) {
      const j = ctx.runningAt(v);
      const k = (keys[j] = key(j));
      if (k > firstBound) victims[count++] = j;
    }
    if (count === 0) return i;
    victims.subarray(0, count).sort((a, b) => keys[b] - keys[a] || b - a);
    return ctx.pooled ? this.greedy(ctx, keys, i, count) : this.walk(ctx, keys, i, count);
  }

  /**
   * One pool: plans the greedy prefix on totals (budget = idle resources + everything the
   * candidates hold), then preempts the candidates left out and starts the waiting jobs
   * kept, in order (by totals they fit).
   */
  private greedy(ctx: SimContext, keys: Float64Array, i: number, count: number): number {
    const jobs = ctx.jobs;
    const q = this.q;
    const len = this.len;
    const victims = this.victims;
    const gone = this.gone;
    let gpus = ctx.freeGpus;
    let cpus = ctx.freeCpus + 1e-6; // the simulator's accounting tolerance
    let mem = ctx.freeMemMiB + 1e-6;
    for (let v = 0; v < count; v++) {
      const vj = jobs[victims[v]];
      gpus += vj.gpus;
      cpus += vj.cpus;
      mem += vj.memMiB;
    }
    const starts = (this.starts = ensureInt32(this.starts, len - i));
    let started = 0;
    let lim = count;
    for (; i < len; i++) {
      const j = q[i];
      const bound = boundOf(keys[j]);
      for (; lim > 0 && !(keys[victims[lim - 1]] > bound); lim--) {
        const vj = jobs[victims[lim - 1]];
        if (vj.gpus <= gpus && vj.cpus <= cpus && vj.memMiB <= mem) {
          gpus -= vj.gpus;
          cpus -= vj.cpus;
          mem -= vj.memMiB;
        } else gone[victims[lim - 1]] = 1;
      }
      if (lim === 0) break; // every candidate is placed: first-fit for the rest
      const job = jobs[j];
      if (job.gpus <= gpus && job.cpus <= cpus && job.memMiB <= mem) {
        gpus -= job.gpus;
        cpus -= job.cpus;
        mem -= job.memMiB;
        starts[started++] = j;
      }
    }
    for (; lim > 0; lim--) {
      const vj = jobs[victims[lim - 1]];
      if (vj.gpus <= gpus && vj.cpus <= cpus && vj.memMiB <= mem) {
        gpus -= vj.gpus;
        cpus -= vj.cpus;
        mem -= vj.memMiB;
      } else gone[victims[lim - 1]] = 1;
    }
    for (let v = 0; v < count; v++) {
      const j = victims[v];
      if (!gone[j]) continue;
      gone[j] = 0;
      ctx.preempt(j);
      this.victimsLast.push(j);
    }
    // By totals each fits; a start can only fail on a floating-point hair (fractional CPUs).
    for (let k = 0; k < started; k++) ctx.tryStart(starts[k]);
    return i;
  }

  /** Several nodes: the walk with what-ifs on the real placement (see the class comment). */
  private walk(ctx: SimContext, keys: Float64Array, i: number, count: number): number {
    const jobs = ctx.jobs;
    const q = this.q;
    const len = this.len;
    const victims = this.victims;
    const gone = this.gone;
    const held = this.held;
    // Totals of the candidates still ahead and running: a necessary condition before any
    // what-if (the idle GPUs they could leave: their whole GPUs plus one per share job).
    let totGpus = 0;
    let totCpu = 0;
    let totMem = 0;
    for (let v = 0; v < count; v++) {
      const vj = jobs[victims[v]];
      totGpus += vj.gpus > 0 ? vj.gpus : vj.gpuShare > 0 ? 1 : 0;
      totCpu += vj.cpus;
      totMem += vj.memMiB;
    }
    let lim = count;
    let preempted = 0;
    for (; i < len; i++) {
      const j = q[i];
      const job = jobs[j];
      const bound = boundOf(keys[j]);
      // Candidates no longer worse than q[i] come before it: a running one stays; one
      // preempted earlier in this call gets its turn like a waiting job.
      while (lim > 0 && !(keys[victims[lim - 1]] > bound)) {
        const v = victims[--lim];
        if (gone[v]) {
          if (!cannotFit(ctx, jobs[v])) ctx.tryStart(v);
          continue;
        }
        const vj = jobs[v];
        totGpus -= vj.gpus > 0 ? vj.gpus : vj.gpuShare > 0 ? 1 : 0;
        totCpu -= vj.cpus;
        totMem -= vj.memMiB;
      }
      if (lim === 0) break; // no preemption from here on: first-fit for the rest
      if (!cannotFit(ctx, job) && ctx.tryStart(j)) continue;
      if (
        ctx.freeGpus + totGpus < job.gpus ||
        ctx.freeCpus + totCpu < job.cpus - 1e-6 ||
        ctx.freeMemMiB + totMem < job.memMiB - 1e-6
      )
        continue;
      // Hold candidates worst first until the job fits: held[0..h).
      let h = 0;
      let fits = false;
      for (let k = 0; k < lim && !fits; k++) {
        const v = victims[k];
        if (gone[v]) continue;
        ctx.hold(v);
        held[h++] = v;
        fits = !cannotFit(ctx, job) && ctx.fits(j);
      }
      if (!fits) {
        for (let t = 0; t < h; t++) ctx.unhold(held[t]);
        continue;
      }
      // Give back, most urgent first, every one it can do without; preempt the rest.
      for (let t = h - 1; t >= 0; t--) {
        ctx.unhold(held[t]);
        if (!cannotFit(ctx, job) && ctx.fits(j)) held[t] = -1;
        else ctx.hold(held[t]);
      }
      for (let t = 0; t < h; t++) {
        const v = held[t];
        if (v < 0) continue;
        ctx.preempt(v);
        gone[v] = 1;
        preempted++;
        this.victimsLast.push(v);
        const vj = jobs[v];
        totGpus -= vj.gpus > 0 ? vj.gpus : vj.gpuShare > 0 ? 1 : 0;
        totCpu -= vj.cpus;
        totMem -= vj.memMiB;
      }
      if (!ctx.tryStart(j)) throw new Error(`preemptive engine: job ${j} did not fit after its preemptions`);
    }
    if (preempted > 0) {
      // Candidates left after the last waiting job: the preempted ones get their turn.
      for (let k = lim - 1; k >= 0; k--) {
        const v = victims[k];
        if (gone[v] && !cannotFit(ctx, jobs[v])) ctx.tryStart(v);
      }
      for (let v = 0; v < count; v++) gone[victims[v]] = 0;
    }
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
