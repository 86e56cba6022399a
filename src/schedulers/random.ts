import type { Scheduler, SimContext } from '../sim/scheduler';
import type { Rng } from '../util/rng';
import { minWholeGpus, tryStartFast, waitingInto } from './common';

/**
 * Random order: at every decision point the waiting queue is shuffled (forward
 * Fisher–Yates, drawing from the seeded RNG handed to reset, stopped early once no
 * GPU is left for any job) and every job that fits starts in that order. Non-preemptive. The "no information" lower baseline used in learned-scheduler
 * papers (e.g. DeepRM, Mao et al. HotNets'16, and Decima, SIGCOMM'19). Same seed →
 * same schedule.
 */
export function random(): Scheduler {
  let rng: Rng | undefined;
  let buf: Int32Array = new Int32Array(64);
  let bound = 0;
  return {
    name: 'random',
    preemptive: false,
    reset(jobs, r) {
      rng = r;
      bound = minWholeGpus(jobs);
    },
    schedule(ctx: SimContext) {
      const w = ctx.waitingCount;
      if (w === 0 || !rng || ctx.freeGpus < bound) return;
      buf = waitingInto(ctx, buf);
      for (let i = 0; i < w && ctx.freeGpus >= bound; i++) {
        const k = rng.int(i, w);
        const j = buf[k];
        buf[k] = buf[i];
        buf[i] = j;
        tryStartFast(ctx, j);
      }
    },
  };
}
