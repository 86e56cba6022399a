import type { SimContext } from '../../../src/sim/scheduler';
import { cannotFit, ensureInt32 } from './common';

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
 */
export class PriorityPreemption {
  private order = new Int32Array(64);
  private victims = new Int32Array(64);
  private gone = new Uint8Array(0);

  reset(jobCount: number): void {
    this.gone = new Uint8Array(jobCount);
  }

  /**
   * `key(j)` is evaluated once per active job per call and written into `keys`
   * (a per-job scratch array the policy owns, so it can also read the keys back).
   */
  run(ctx: SimContext, keys: Float64Array, key: (j: number) => number): void {
    const jobs = ctx.jobs;
    const w = ctx.waitingCount;
    if (w === 0) return;
    const order = (this.order = ensureInt32(this.order, w));
    for (let i = 0; i < w; i++) {
      const j = ctx.waitingAt(i);
      order[i] = j;
      keys[j] = key(j);
    }
    order.subarray(0, w).sort((a, b) => keys[a] - keys[b] || a - b);
    // Start jobs in priority order while they fit: victims are only needed (and the running
    // jobs only keyed and sorted) once some job does not fit, which on a lightly loaded
    // cluster is rare.
    let i = 0;
    while (i < w && !cannotFit(ctx, jobs[order[i]]) && ctx.tryStart(order[i])) i++;
    if (i === w) return;

    // Victims worst first: largest key, then largest index. Jobs started above are more
    // urgent than every job still to place, so they can never become eligible.
    const r = ctx.runningCount;
    const victims = (this.victims = ensureInt32(this.victims, r));
    for (let v = 0; v < r; v++) {
      const j = ctx.runningAt(v);
      victims[v] = j;
      keys[j] = key(j);
    }
    victims.subarray(0, r).sort((a, b) => keys[b] - keys[a] || b - a);

    // Eligible victims for the current waiting job are victims[0..lim): those strictly
    // worse than it. Waiting jobs come in increasing key, so lim only shrinks; the
    // totals of eligible, not-yet-preempted victims are kept incrementally.
    const gone = this.gone;
    let lim = r;
    let totGpus = 0;
    let totShare = 0;
    let totCpu = 0;
    let totMem = 0;
    for (let v = 0; v < r; v++) {
      const vj = jobs[victims[v]];
      totGpus += vj.gpus;
      totShare += vj.gpus > 0 ? vj.gpus : vj.gpuShare;
      totCpu += vj.cpus;
      totMem += vj.memMiB;
    }
    let preempted = 0;
    for (; i < w; i++) {
      const j = order[i];
      const job = jobs[j];
      const bound = keys[j] + KEY_TOLERANCE * Math.max(1, Math.abs(keys[j]));
      while (lim > 0 && !(keys[victims[lim - 1]] > bound)) {
        const v = victims[--lim];
        if (gone[v]) continue;
        const vj = jobs[v];
        totGpus -= vj.gpus;
        totShare -= vj.gpus > 0 ? vj.gpus : vj.gpuShare;
        totCpu -= vj.cpus;
        totMem -= vj.memMiB;
      }
      if (!cannotFit(ctx, job) && ctx.tryStart(j)) continue;
      if (lim === 0) continue;
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
        const vj = jobs[v];
        totGpus -= vj.gpus;
        totShare -= vj.gpus > 0 ? vj.gpus : vj.gpuShare;
        totCpu -= vj.cpus;
        totMem -= vj.memMiB;
        if (ctx.fits(j)) break;
      }
      ctx.tryStart(j);
    }
    if (preempted > 0) for (let v = 0; v < r; v++) gone[victims[v]] = 0;
  }
}
