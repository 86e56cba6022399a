/**
 * Quantiles of an ascending-sorted sample by linear interpolation between
 * order statistics: Hyndman & Fan type 7, the default of numpy.quantile,
 * R's quantile() and Excel PERCENTILE.INC.
 *   h = (n - 1) q,  Q(q) = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])
 * (0-based x). Empty sample -> NaN.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || !(q >= 0 && q <= 1)) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const frac = h - lo;
  // Written as a + f (b - a) and with an explicit f = 0 case so that equal
  // neighbours and q = 0 / 1 return stored values exactly.
  return frac === 0 ? sorted[lo] : sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

/** Arithmetic mean; NaN for an empty sample. */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i];
  return s / n;
}

/** Largest value; NaN for an empty sample. */
export function max(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (values[i] > m) m = values[i];
  return m;
}
