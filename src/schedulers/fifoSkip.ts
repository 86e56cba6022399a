import type { Scheduler, SimContext } from '../sim/scheduler';
import { cannotFit, demandClasses, minWholeGpus } from './common';
import { IntHeap, JobLists } from './lists';

/**
 * FIFO with first-fit skipping: scan the waiting queue in arrival order and start every
 * job that fits; a job that does not fit is skipped instead of blocking the queue.
 * Non-preemptive. This is the "fit job first in FIFO order" (fjf) baseline of the
 * Tiresias simulator (Gu et al., NSDI'19) and the first-fit list scheduling of HPC
 * schedulers; it trades FIFO's fairness for utilisation (large jobs may starve).
 *
 * Speed on long queues: the waiting jobs are kept in one arrival-ordered list per demand
 * class (see demandClasses) and the scan merges the lists' heads by arrival. Once a job
 * does not fit, no later job of its class can (resources only shrink within the call), so
 * the whole list is skipped: a call costs O((starts + classes) log classes), not O(queue).
 */
export function fifoSkip(): Scheduler {
  let bound = 0;
  const lists = new JobLists();
  const heads = new IntHeap();
  return {
    name: 'fifo-skip',
    preemptive: false,
    reset(jobs) {
      bound = minWholeGpus(jobs);
      const classes = demandClasses(jobs);
      lists.reset(classes.classOf, classes.count);
    },
    schedule(ctx: SimContext) {
      lists.sync(ctx);
      if (ctx.freeGpus < bound) return;
      heads.clear();
      for (let k = 0; k < lists.nonEmptyCount; k++) {
        const c = lists.nonEmpty[k];
        heads.push(c, lists.head[c]);
      }
      while (heads.size > 0 && ctx.freeGpus >= bound) {
        const c = heads.pop();
        const j = lists.head[c];
        if (cannotFit(ctx, ctx.jobs[j]) || !ctx.tryStart(j)) continue; // the class is done for this call
        lists.remove(j);
        if (lists.head[c] >= 0) heads.push(c, lists.head[c]);
      }
    },
  };
}
