import type { OracleScheduler, OracleSimContext } from '../sim/scheduler';
import {
  cannotFit,
  ClassBlocks,
  demandClasses,
  ensureFloat64,
  ensureInt32,
  minWholeGpus,
  numberOption,
} from './common';
import { IntHeap, JobLists } from './lists';

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
 *
 * Speed on long queues: the waiting jobs are kept in per-demand-class arrival lists, so
 * finding the candidates that fit asks the placement once per class instead of once per
 * job, and classes that do not fit are never walked.
 */
export function tetris(opts?: Record<string, unknown>): OracleScheduler {
  const m = numberOption(opts, 'srtfWeight', TETRIS_DEFAULTS.srtfWeight);
  const minRemaining = numberOption(opts, 'minRemaining', TETRIS_DEFAULTS.minRemaining, Number.MIN_VALUE);
  let cand: Int32Array = new Int32Array(64);
  let bound = 0; // see minWholeGpus: below it nothing can start
  const lists = new JobLists(); // waiting jobs by demand class, arrival order
  const blocks = new ClassBlocks();
  const heads = new IntHeap();
  let at = new Int32Array(0); // merge cursor per class
  let align = new Float64Array(0); // alignment per class (it only depends on the demand)
  let candAlign: Float64Array = new Float64Array(64);
  return {
    name: 'tetris',
    oracle: true,
    preemptive: false,
    reset(jobs) {
      bound = minWholeGpus(jobs);
      const classes = demandClasses(jobs);
      lists.reset(classes.classOf, classes.count);
      blocks.reset(classes.count);
      at = new Int32Array(classes.count);
      align = new Float64Array(classes.count);
    },
    schedule(ctx: OracleSimContext) {
      lists.sync(ctx);
      const jobs = ctx.jobs;
      const tg = ctx.totalGpus;
      const tc = ctx.totalCpus;
      const tm = ctx.totalMemMiB;
      blocks.next();
      while (ctx.freeGpus >= bound) {
        // Candidates: the waiting jobs that fit, in arrival order. Jobs of one demand class
        // fit or not together, so only each class's oldest job is asked; a class that does
        // not fit is out for the rest of the call (resources only shrink).
        // Normalised free vector; a resource the cluster lacks (total 0) does not count.
        const fg = tg > 0 ? ctx.freeGpus / tg / tg : 0;
        const fc = tc > 0 ? ctx.freeCpus / tc / tc : 0;
        const fm = tm > 0 ? ctx.freeMemMiB / tm / tm : 0;
        heads.clear();
        for (let k = 0; k < lists.nonEmptyCount; k++) {
          const cl = lists.nonEmpty[k];
          if (blocks.blocked(cl)) continue;
          const h = lists.head[cl];
          if (cannotFit(ctx, jobs[h]) || !ctx.fits(h)) blocks.block(cl);
          else {
            const job = jobs[h];
            align[cl] = (job.gpus > 0 ? job.gpus : job.gpuShare) * fg + job.cpus * fc + job.memMiB * fm;
            at[cl] = h;
            heads.push(cl, h);
          }
        }
        let c = 0;
        while (heads.size > 0) {
          const cl = heads.pop();
          const j = at[cl];
          if (c === cand.length) {
            cand = ensureInt32(cand, c + 1);
            candAlign = ensureFloat64(candAlign, c + 1);
          }
          candAlign[c] = align[cl];
          cand[c++] = j;
          const nx = lists.next[j];
          if (nx >= 0) {
            at[cl] = nx;
            heads.push(cl, nx);
          }
        }
        if (c === 0) return;
        let sumA = 0;
        let sumP = 0;
        for (let i = 0; i < c; i++) {
          const j = cand[i];
          sumA += candAlign[i];
          sumP += 1 / Math.max(ctx.remaining(j), minRemaining);
        }
        const weight = sumP > 0 ? (m * sumA) / sumP : 0; // m·ā/p̄ (the 1/c factors cancel)
        let best = -1;
        let bestScore = -Infinity;
        for (let i = 0; i < c; i++) {
          const j = cand[i];
          const score = candAlign[i] + weight / Math.max(ctx.remaining(j), minRemaining);
          if (score > bestScore || (score === bestScore && j < best)) {
            best = j;
            bestScore = score;
          }
        }
        if (ctx.tryStart(best)) lists.remove(best);
      }
    },
  };
}
