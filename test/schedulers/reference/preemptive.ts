import type { SimContext } from '../../../src/sim/scheduler';

/** Relative tolerance: a running job is only displaced by a STRICTLY more urgent one. */
export const KEY_TOLERANCE = 1e-9;

/**
 * Reference for the engine shared by the preemptive priority policies (SRTF, LAS,
 * Tiresias, Gittins): the rule of src/schedulers/preemptive.ts written as directly as
 * possible, with no incremental state and no shortcuts. (It replaces the first reference,
 * which encoded a bug: a blocked job preempted running jobs worst first until it fitted,
 * so a small victim that could have stayed beside it was stopped and left GPUs idle.)
 *
 * At every call: key every waiting and running job; the priority order merges the
 * waiting jobs (key, index) with the running jobs (key, index), a waiting job first only
 * if the running job's key is strictly larger (beyond the tolerance).
 * - One pool (ctx.pooled): walk the order over the whole capacity and keep every job that
 *   still fits (totals); preempt the running jobs left out, start the waiting jobs kept.
 * - Otherwise walk the order on the real cluster: a running job stays running; one
 *   preempted earlier in this call restarts if it fits; a waiting job starts if it fits,
 *   else it holds the running jobs after it in the order (strictly less urgent), worst
 *   first, until it fits (if it never does, all are given back), gives back, most urgent
 *   first, each one it can do without; the ones still held are preempted and it starts.
 */
export class PriorityPreemption {
  private preempted = new Uint8Array(0);

  reset(jobCount: number): void {
    this.preempted = new Uint8Array(jobCount);
  }

  run(ctx: SimContext, keys: Float64Array, key: (j: number) => number): void {
    const waiting: number[] = [];
    for (let i = 0; i < ctx.waitingCount; i++) waiting.push(ctx.waitingAt(i));
    if (waiting.length === 0) return;
    const running: number[] = [];
    for (let i = 0; i < ctx.runningCount; i++) running.push(ctx.runningAt(i));
    for (const j of waiting) keys[j] = key(j);
    for (const j of running) keys[j] = key(j);
    const byKey = (a: number, b: number): number => keys[a] - keys[b] || a - b;
    waiting.sort(byKey);
    running.sort(byKey);
    const bound = (k: number): number => k + KEY_TOLERANCE * Math.max(1, Math.abs(k));

    // The merged priority order; `wasRunning` marks the running jobs.
    const order: Array<{ job: number; wasRunning: boolean }> = [];
    let a = 0;
    let b = 0;
    while (a < waiting.length || b < running.length) {
      if (a < waiting.length && (b === running.length || keys[running[b]] > bound(keys[waiting[a]])))
        order.push({ job: waiting[a++], wasRunning: false });
      else order.push({ job: running[b++], wasRunning: true });
    }
    if (ctx.pooled) this.greedy(ctx, order);
    else this.walk(ctx, order);
  }

  private greedy(ctx: SimContext, order: Array<{ job: number; wasRunning: boolean }>): void {
    let gpus = ctx.totalGpus;
    let cpus = ctx.totalCpus + 1e-6;
    let mem = ctx.totalMemMiB + 1e-6;
    const keep = new Set<number>();
    for (const { job: j } of order) {
      const job = ctx.jobs[j];
      if (job.gpus <= gpus && job.cpus <= cpus && job.memMiB <= mem) {
        keep.add(j);
        gpus -= job.gpus;
        cpus -= job.cpus;
        mem -= job.memMiB;
      }
    }
    for (const { job: j, wasRunning } of order) if (wasRunning && !keep.has(j)) ctx.preempt(j);
    for (const { job: j, wasRunning } of order) if (!wasRunning && keep.has(j)) ctx.tryStart(j);
  }

  private walk(ctx: SimContext, order: Array<{ job: number; wasRunning: boolean }>): void {
    const preempted = this.preempted;
    const victims: number[] = [];
    for (let p = 0; p < order.length; p++) {
      const { job: j, wasRunning } = order[p];
      if (wasRunning) {
        if (preempted[j]) ctx.tryStart(j);
        continue;
      }
      if (ctx.tryStart(j)) continue;
      // Running jobs after it in the order, worst first.
      const candidates: number[] = [];
      for (let k = order.length - 1; k > p; k--) {
        const e = order[k];
        if (e.wasRunning && !preempted[e.job]) candidates.push(e.job);
      }
      // Totals first, as the engine does: both must make the same holds, since a hold and its
      // unhold can move the simulator's fractional CPU / memory sums by a rounding error.
      let gpus = ctx.freeGpus;
      let cpus = ctx.freeCpus;
      let mem = ctx.freeMemMiB;
      for (const v of candidates) {
        const vj = ctx.jobs[v];
        gpus += vj.gpus > 0 ? vj.gpus : vj.gpuShare > 0 ? 1 : 0;
        cpus += vj.cpus;
        mem += vj.memMiB;
      }
      const job = ctx.jobs[j];
      if (gpus < job.gpus || cpus < job.cpus - 1e-6 || mem < job.memMiB - 1e-6) continue;
      const held: number[] = [];
      let fits = false;
      for (const v of candidates) {
        ctx.hold(v);
        held.push(v);
        if (ctx.fits(j)) {
          fits = true;
          break;
        }
      }
      if (!fits) {
        for (const v of held) ctx.unhold(v);
        continue;
      }
      const given = new Set<number>();
      for (let t = held.length - 1; t >= 0; t--) {
        ctx.unhold(held[t]);
        if (ctx.fits(j)) given.add(held[t]);
        else ctx.hold(held[t]);
      }
      for (const v of held.filter((x) => !given.has(x))) {
        ctx.preempt(v);
        preempted[v] = 1;
        victims.push(v);
      }
      if (!ctx.tryStart(j)) throw new Error(`reference engine: job ${j} did not fit after its preemptions`);
    }
    for (const v of victims) preempted[v] = 0;
  }
}
