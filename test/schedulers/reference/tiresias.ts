import type { Scheduler, SimContext } from '../../../src/sim/scheduler';
import { UsageError } from '../../../src/util/errors';
import { numberOption } from '../../../src/schedulers/common';
import { PriorityPreemption } from './preemptive';

/** Every Tiresias hyperparameter, defaulted in one place. */
export const TIRESIAS_DEFAULTS = {
  /** Attained GPU-seconds at which a job moves down to the next queue (ascending); K = length + 1 queues. */
  thresholds: [3600] as readonly number[],
  /**
   * PROMOTE knob: a job below the top queue that has waited (since its last promotion)
   * at least promoteKnob × the time it ran (since that promotion) goes back to queue 0.
   * 0 disables promotion (the default of the Tiresias simulator, solve_starvation = 0).
   */
  promoteKnob: 0,
  /** Seconds between re-evaluations while jobs wait (queue moves are seen at ticks). */
  tickInterval: 60,
};

/**
 * Tiresias' discretised two-dimensional LAS (2D-LAS; Gu et al., "Tiresias: A GPU Cluster
 * Manager for Distributed Deep Learning", NSDI'19, §4.2). A job's attained service is
 * two-dimensional, GPUs × time run (ctx.attained). Jobs sit in K priority queues: queue q
 * holds jobs whose attained service since their last promotion lies in
 * [thresholds[q-1], thresholds[q]); new jobs enter queue 0 and are demoted as they run.
 * Queues are served in order, FIFO (arrival order) within a queue; a running job is
 * preempted only by a waiting job of a strictly higher queue (preemptive.ts), never by
 * one of its own queue, so discretisation removes LAS's time-slicing among peers.
 * Starvation avoidance: a waiting job of a lower queue whose waiting time since its last
 * promotion reaches promoteKnob × its run time since then is promoted to queue 0 with its
 * counters reset (as in the authors' simulator, dlas_sim_jobs). Queue moves and
 * promotions are noticed at decision points: arrivals, completions and ticks.
 * Options: thresholds (number[]), promoteKnob, tickInterval — see TIRESIAS_DEFAULTS.
 */
export function tiresias(opts?: Record<string, unknown>): Scheduler {
  const thresholds = thresholdsOption(opts?.thresholds ?? TIRESIAS_DEFAULTS.thresholds);
  const promoteKnob = numberOption(opts, 'promoteKnob', TIRESIAS_DEFAULTS.promoteKnob);
  const tickInterval = numberOption(opts, 'tickInterval', TIRESIAS_DEFAULTS.tickInterval);
  const engine = new PriorityPreemption();
  let keys = new Float64Array(0);
  // Counters at the last promotion (0 for never promoted).
  let attainedAt = new Float64Array(0);
  let executedAt = new Float64Array(0);
  let pendingAt = new Float64Array(0);

  const queueOf = (ctx: SimContext, j: number): number => {
    const a = ctx.attained(j) - attainedAt[j];
    let q = 0;
    while (q < thresholds.length && a >= thresholds[q]) q++;
    return q;
  };

  return {
    name: 'tiresias',
    preemptive: true,
    tickInterval,
    reset(jobs) {
      const n = jobs.length;
      keys = new Float64Array(n);
      attainedAt = new Float64Array(n);
      executedAt = new Float64Array(n);
      pendingAt = new Float64Array(n);
      engine.reset(n);
    },
    schedule(ctx: SimContext) {
      if (promoteKnob > 0) {
        for (let i = 0; i < ctx.waitingCount; i++) {
          const j = ctx.waitingAt(i);
          const executed = ctx.executed(j);
          const ran = executed - executedAt[j];
          if (ran <= 0 || queueOf(ctx, j) === 0) continue;
          const pending = ctx.now - ctx.jobs[j].submit - executed;
          if (pending - pendingAt[j] >= promoteKnob * ran) {
            attainedAt[j] = ctx.attained(j);
            executedAt[j] = executed;
            pendingAt[j] = pending;
          }
        }
      }
      engine.run(ctx, keys, (j) => queueOf(ctx, j));
    },
  };
}

function thresholdsOption(v: unknown): readonly number[] {
  if (
    !Array.isArray(v) ||
    v.some((x, i) => typeof x !== 'number' || !(x > 0) || !Number.isFinite(x) || (i > 0 && x <= v[i - 1]))
  )
    throw new UsageError(
      `tiresias thresholds must be an ascending list of positive GPU-seconds (got ${JSON.stringify(v)})`,
    );
  return v as number[];
}
