import type { Scheduler, SimContext } from '../sim/scheduler';
import { cannotFit, ClassBlocks, demandClasses, gpuAmount, minWholeGpus } from './common';
import { JobLists } from './lists';

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
 *
 * Speed on long queues: a job's size depends only on its demand class (demandClasses), so
 * the waiting jobs are kept in one arrival-ordered list per class and the classes are
 * walked largest first: a call costs O(classes + starts), not O(queue × starts).
 */
export function bestfit(): Scheduler {
  let bound = 0; // see minWholeGpus: below it nothing can start
  let classOf: Int32Array = new Int32Array(0);
  let bySize = new Int32Array(0); // demand classes, largest normalised size first
  let size = new Float64Array(0);
  const lists = new JobLists();
  const blocks = new ClassBlocks();
  return {
    name: 'bestfit',
    preemptive: false,
    placement: 'best-fit',
    reset(jobs) {
      bound = minWholeGpus(jobs);
      const classes = demandClasses(jobs);
      classOf = classes.classOf;
      lists.reset(classOf, classes.count);
      blocks.reset(classes.count);
      bySize = new Int32Array(0); // sized at the first call, when the cluster totals are known
    },
    schedule(ctx: SimContext) {
      lists.sync(ctx);
      if (ctx.freeGpus < bound) return;
      const jobs = ctx.jobs;
      const head = lists.head;
      const classCount = head.length;
      if (bySize.length !== classCount) {
        // A job's size only depends on its demand class (and the fixed cluster totals).
        const tg = ctx.totalGpus > 0 ? 1 / ctx.totalGpus : 0;
        const tc = ctx.totalCpus > 0 ? 1 / ctx.totalCpus : 0;
        const tm = ctx.totalMemMiB > 0 ? 1 / ctx.totalMemMiB : 0;
        size = new Float64Array(classCount);
        for (let j = jobs.length - 1; j >= 0; j--) {
          const job = jobs[j];
          size[classOf[j]] = gpuAmount(job) * tg + job.cpus * tc + job.memMiB * tm;
        }
        bySize = new Int32Array(classCount);
        for (let c = 0; c < classCount; c++) bySize[c] = c;
        bySize.sort((a, b) => size[b] - size[a] || a - b);
      }
      // Walk the classes from the largest size down. Among classes of equal size the
      // earliest waiting job goes first; a class whose oldest job does not fit is done
      // for this call (resources only shrink), so each class is passed over once.
      blocks.next();
      for (let p = 0; p < classCount && ctx.freeGpus >= bound;) {
        let e = p + 1;
        while (e < classCount && size[bySize[e]] === size[bySize[p]]) e++;
        for (;;) {
          let best = -1;
          for (let k = p; k < e; k++) {
            const c = bySize[k];
            if (head[c] >= 0 && !blocks.blocked(c) && (best < 0 || head[c] < head[best])) best = c;
          }
          if (best < 0) break;
          const j = head[best];
          if (cannotFit(ctx, jobs[j]) || !ctx.tryStart(j)) blocks.block(best);
          else lists.remove(j);
        }
        p = e;
      }
    },
  };
}
