/**
 * Jain's fairness index J(x) = (Σ x_i)² / (n Σ x_i²) over the finite values:
 * 1 when all are equal, 1/n when one value takes everything. Convention: all
 * values 0 -> 1 (equal), no values -> NaN. Values must be >= 0.
 */
export function jainIndex(values: ArrayLike<number>): number {
  let n = 0;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    s += v;
    s2 += v * v;
  }
  if (n === 0) return NaN;
  if (s2 === 0) return 1;
  return (s * s) / (n * s2);
}

/**
 * Mean of `values[i]` per group over the given indices (NaN values skipped),
 * groups in order of first appearance. Returns the group names and means.
 */
export function groupMeans(
  values: ArrayLike<number>,
  groupOf: (i: number) => string,
  indices: ArrayLike<number>,
): { groups: string[]; means: Float64Array } {
  const slot = new Map<string, number>();
  const sums: number[] = [];
  const counts: number[] = [];
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const g = groupOf(i);
    let s = slot.get(g);
    if (s === undefined) {
      s = sums.length;
      slot.set(g, s);
      sums.push(0);
      counts.push(0);
    }
    sums[s] += v;
    counts[s]++;
  }
  const means = new Float64Array(sums.length);
  for (let s = 0; s < sums.length; s++) means[s] = sums[s] / counts[s];
  return { groups: [...slot.keys()], means };
}
