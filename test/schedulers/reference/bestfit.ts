import type { Scheduler, SimContext } from '../../../src/sim/scheduler';
import { cannotFit, ensureInt32, gpuAmount, minWholeGpus } from '../../../src/schedulers/common';

/**
 * Best-fit packing: among the waiting jobs that fit, repeatedly start the one that leaves
 * the least free capacity, measured as Σ_r (free_r − demand_r) / total_r over GPUs, CPUs
 * and memory (resources with total 0 ignored), ties to the earlier arrival; each job is
 * placed with the best-fit placement (the node left with the fewest idle GPUs), which is
 * what keeps per-node fragmentation low. Because the free vector is common to all
 * candidates this is "largest normalised demand first" (best-fit decreasing bin packing,
 * as in Gandiva / the fragmentation baselines of Weng et al., ATC'23 "Beware of
 * Fragmentation"); the context exposes cluster totals, not per-node free space, so the
 * per-node part of the fit is left to the placement. Non-preemptive.
 */
export function bestfit(): Scheduler {
  let cand: Int32Array = new Int32Array(64);
  let bound = 0; // see minWholeGpus: below it nothing can start
  return {
    name: 'bestfit',
    preemptive: false,
    placement: 'best-fit',
    reset(jobs) {
      bound = minWholeGpus(jobs);
    },
    schedule(ctx: SimContext) {
      if (ctx.freeGpus < bound) return;
      const jobs = ctx.jobs;
      const w = ctx.waitingCount;
      cand = ensureInt32(cand, w);
      let c = 0;
      for (let i = 0; i < w; i++) cand[c++] = ctx.waitingAt(i);
      const tg = ctx.totalGpus > 0 ? 1 / ctx.totalGpus : 0;
      const tc = ctx.totalCpus > 0 ? 1 / ctx.totalCpus : 0;
      const tm = ctx.totalMemMiB > 0 ? 1 / ctx.totalMemMiB : 0;
      for (;;) {
        let k = 0;
        let best = -1;
        let bestSize = -1;
        for (let i = 0; i < c; i++) {
          const j = cand[i];
          const job = jobs[j];
          if (cannotFit(ctx, job) || !ctx.fits(j)) continue; // resources only shrink: drop for good
          cand[k++] = j;
          const size = gpuAmount(job) * tg + job.cpus * tc + job.memMiB * tm;
          if (size > bestSize) {
            best = j;
            bestSize = size;
          }
        }
        c = k;
        if (best < 0) return;
        ctx.tryStart(best);
      }
    },
  };
}
