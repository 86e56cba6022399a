import type { OracleScheduler as Scheduler, OracleSimContext as SimContext } from '../../../src/sim/scheduler';
import { cannotFit, ensureInt32, gpuAmount, minWholeGpus, numberOption } from '../../../src/schedulers/common';

/** Every Tetris hyperparameter, defaulted in one place. */
export const TETRIS_DEFAULTS = {
  /**
   * m, the weight of the shortest-remaining-time term relative to packing. The paper
   * sets ε = m·ā/p̄ so both terms have comparable scale and tunes m; 1 = equal weight.
   */
  srtfWeight: 1,
  /** Remaining times are floored at this many seconds so zero-length jobs do not dominate. */
  minRemaining: 1,
};

/**
 * Tetris multi-resource packing (Grandl et al., "Multi-Resource Packing for Cluster
 * Schedulers", SIGCOMM'14). Among waiting jobs that fit, repeatedly start the one with the
 * highest score, then re-score against the reduced free resources. Exact combination:
 *   a_j   = Σ_r (demand_jr / total_r) · (free_r / total_r)   over r ∈ {GPU, CPU, memory}
 *           with total_r > 0 (alignment = dot product of normalised demand and free vectors;
 *           GPU demand is whole GPUs or the fractional share, free GPUs are idle GPUs),
 *   p_j   = 1 / max(remaining_j, minRemaining)              (SRTF score, oracle duration),
 *   score = a_j + m · ā · p_j / p̄,
 * where ā and p̄ are the means of a and p over the current candidates, i.e. the paper's
 * a + ε·p with ε = m·ā/p̄. Ties go to the earlier arrival. Non-preemptive; the paper's
 * fairness knob (restricting to the jobs furthest below fair share) is not implemented.
 * Options: srtfWeight (m), minRemaining — see TETRIS_DEFAULTS.
 */
export function tetris(opts?: Record<string, unknown>): Scheduler {
  const m = numberOption(opts, 'srtfWeight', TETRIS_DEFAULTS.srtfWeight);
  const minRemaining = numberOption(opts, 'minRemaining', TETRIS_DEFAULTS.minRemaining, Number.MIN_VALUE);
  let cand: Int32Array = new Int32Array(64);
  let bound = 0; // see minWholeGpus: below it nothing can start
  return {
    name: 'tetris',
    oracle: true,
    preemptive: false,
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
      const tg = ctx.totalGpus;
      const tc = ctx.totalCpus;
      const tm = ctx.totalMemMiB;
      for (;;) {
        // Drop candidates that no longer fit (resources only shrink within a decision point).
        let k = 0;
        for (let i = 0; i < c; i++) {
          const j = cand[i];
          if (!cannotFit(ctx, jobs[j]) && ctx.fits(j)) cand[k++] = j;
        }
        c = k;
        if (c === 0) return;
        // Normalised free vector; a resource the cluster lacks (total 0) does not count.
        const fg = tg > 0 ? ctx.freeGpus / tg / tg : 0;
        const fc = tc > 0 ? ctx.freeCpus / tc / tc : 0;
        const fm = tm > 0 ? ctx.freeMemMiB / tm / tm : 0;
        const alignment = (j: number): number => gpuAmount(jobs[j]) * fg + jobs[j].cpus * fc + jobs[j].memMiB * fm;
        let sumA = 0;
        let sumP = 0;
        for (let i = 0; i < c; i++) {
          const j = cand[i];
          sumA += alignment(j);
          sumP += 1 / Math.max(ctx.remaining(j), minRemaining);
        }
        const weight = sumP > 0 ? (m * sumA) / sumP : 0; // m·ā/p̄ (the 1/c factors cancel)
        let best = -1;
        let bestScore = -Infinity;
        for (let i = 0; i < c; i++) {
          const j = cand[i];
          const score = alignment(j) + weight / Math.max(ctx.remaining(j), minRemaining);
          if (score > bestScore || (score === bestScore && j < best)) {
            best = j;
            bestScore = score;
          }
        }
        ctx.tryStart(best);
      }
    },
  };
}
