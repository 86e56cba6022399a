import type { Scheduler, SimContext } from '../sim/scheduler';
import type { Rng } from '../util/rng';
import { tryStartFast, waitingInto } from './common';

/**
 * Random order: at every decision point the waiting queue is shuffled (Fisher–Yates,
 * drawing from the seeded RNG handed to reset) and every job that fits starts in that
 * order. Non-preemptive. The "no information" lower baseline used in learned-scheduler
 * papers (e.g. DeepRM, Mao et al. HotNets'16, and Decima, SIGCOMM'19). Same seed →
 * same schedule.
 */
export function random(): Scheduler {
  let rng: Rng | undefined;
  let buf = new Int32Array(64);
  return {
    name: 'random',
    preemptive: false,
    reset(_jobs, r) {
      rng = r;
    },
    schedule(ctx: SimContext) {
      const w = ctx.waitingCount;
      if (w === 0 || !rng) return;
      buf = waitingInto(ctx, buf);
      const view = buf.subarray(0, w);
      rng.shuffle(view);
      for (let i = 0; i < w; i++) tryStartFast(ctx, view[i]);
    },
  };
}
