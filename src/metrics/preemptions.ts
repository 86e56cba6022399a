import type { SimResult } from '../sim/result';

/** Preemption counts of the given jobs: mean and max per job, and the total. */
export function preemptionStats(
  r: SimResult,
  indices: ArrayLike<number>,
): { mean: number; max: number; total: number } {
  const n = indices.length;
  let total = 0;
  let max = 0;
  for (let k = 0; k < n; k++) {
    const p = r.preemptions[indices[k]];
    total += p;
    if (p > max) max = p;
  }
  return n === 0 ? { mean: NaN, max: NaN, total: 0 } : { mean: total / n, max, total };
}
