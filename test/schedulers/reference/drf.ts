import type { Scheduler, SimContext } from '../../../src/sim/scheduler';
import { ensureInt32, gpuAmount, minWholeGpus, tryStartFast } from '../../../src/schedulers/common';

/**
 * Dominant Resource Fairness across groups (Ghodsi et al., "Dominant Resource Fairness:
 * Fair Allocation of Multiple Resource Types", NSDI'11). A group is job.group (user,
 * queue or Philly virtual cluster). A group's dominant share is the largest of its
 * running jobs' summed GPU, CPU and memory demands, each divided by the cluster total
 * (resources with total 0 ignored). Repeatedly pick the group with the lowest dominant
 * share that still has waiting jobs (ties: the group whose next job arrived first) and
 * start its oldest waiting job (FIFO within a group); if that job does not fit, the group
 * is passed over for the rest of this decision point (it keeps its place in its own
 * queue: no skipping within a group) and the next-lowest group is tried. Non-preemptive,
 * so shares converge only as jobs finish, as in the progressive-filling form of DRF.
 */
export function drf(): Scheduler {
  let groupOf = new Int32Array(0);
  let groupCount = 0;
  let share = new Float64Array(0);
  let usedG = new Float64Array(0);
  let usedC = new Float64Array(0);
  let usedM = new Float64Array(0);
  let head = new Int32Array(0);
  let tail = new Int32Array(0);
  let next = new Int32Array(0);
  let blocked = new Uint8Array(0);
  let touched: Int32Array = new Int32Array(16);
  let bound = 0; // see minWholeGpus: below it nothing can start
  return {
    name: 'drf',
    preemptive: false,
    reset(jobs) {
      bound = minWholeGpus(jobs);
      const ids = new Map<string, number>();
      groupOf = new Int32Array(jobs.length);
      for (let j = 0; j < jobs.length; j++) {
        let g = ids.get(jobs[j].group);
        if (g === undefined) ids.set(jobs[j].group, (g = ids.size));
        groupOf[j] = g;
      }
      groupCount = ids.size;
      share = new Float64Array(groupCount);
      usedG = new Float64Array(groupCount);
      usedC = new Float64Array(groupCount);
      usedM = new Float64Array(groupCount);
      head = new Int32Array(groupCount).fill(-1);
      tail = new Int32Array(groupCount).fill(-1);
      blocked = new Uint8Array(groupCount);
      next = new Int32Array(jobs.length);
    },
    schedule(ctx: SimContext) {
      if (ctx.freeGpus < bound) return;
      const w = ctx.waitingCount;
      if (w === 0) return;
      const jobs = ctx.jobs;
      const tg = ctx.totalGpus;
      const tc = ctx.totalCpus;
      const tm = ctx.totalMemMiB;
      usedG.fill(0);
      usedC.fill(0);
      usedM.fill(0);
      for (let i = 0; i < ctx.runningCount; i++) {
        const j = ctx.runningAt(i);
        const g = groupOf[j];
        usedG[g] += gpuAmount(jobs[j]);
        usedC[g] += jobs[j].cpus;
        usedM[g] += jobs[j].memMiB;
      }
      const dominant = (g: number): number =>
        Math.max(tg > 0 ? usedG[g] / tg : 0, tc > 0 ? usedC[g] / tc : 0, tm > 0 ? usedM[g] / tm : 0);
      // Per-group FIFO lists of waiting jobs (linked through `next`).
      touched = ensureInt32(touched, groupCount);
      let nt = 0;
      for (let i = 0; i < w; i++) {
        const j = ctx.waitingAt(i);
        const g = groupOf[j];
        next[j] = -1;
        if (head[g] < 0) {
          head[g] = j;
          touched[nt++] = g;
          share[g] = dominant(g);
          blocked[g] = 0;
        } else next[tail[g]] = j;
        tail[g] = j;
      }
      for (;;) {
        let best = -1;
        for (let t = 0; t < nt; t++) {
          const g = touched[t];
          if (blocked[g] || head[g] < 0) continue;
          if (best < 0 || share[g] < share[best] || (share[g] === share[best] && head[g] < head[best])) best = g;
        }
        if (best < 0) break;
        const j = head[best];
        if (tryStartFast(ctx, j)) {
          usedG[best] += gpuAmount(jobs[j]);
          usedC[best] += jobs[j].cpus;
          usedM[best] += jobs[j].memMiB;
          share[best] = dominant(best);
          head[best] = next[j];
        } else blocked[best] = 1;
      }
      for (let t = 0; t < nt; t++) head[touched[t]] = -1;
    },
  };
}
