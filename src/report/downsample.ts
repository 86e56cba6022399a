/**
 * Shrinking series for plotting: the report must stay small whatever the
 * number of jobs or timeline events.
 */

/**
 * Piecewise-constant series (value[i] on [time[i], time[i+1]), last value held,
 * 0 before time[0]) resampled on [t0, t1] into at most `maxPoints` points:
 * maxPoints − 1 equal buckets, each the time-weighted mean over its bucket
 * (so the overall average is preserved), plus a closing point at t1.
 * Series that already fit are only clipped.
 */
export function downsampleStep(
  time: ArrayLike<number>,
  value: ArrayLike<number>,
  t0: number,
  t1: number,
  maxPoints: number,
): { time: Float64Array; value: Float64Array } {
  const n = time.length;
  if (!(t1 > t0) || maxPoints < 2) return { time: new Float64Array(0), value: new Float64Array(0) };
  // index of the segment holding t0 (-1: before the first point)
  let i = -1;
  while (i + 1 < n && time[i + 1] <= t0) i++;
  let inside = 0;
  for (let k = 0; k < n; k++) if (time[k] > t0 && time[k] < t1) inside++;
  if (inside + 2 <= maxPoints) {
    const outT = [t0];
    const outV = [i >= 0 ? value[i] : 0];
    for (let k = i + 1; k < n && time[k] < t1; k++) {
      outT.push(time[k]);
      outV.push(value[k]);
    }
    outT.push(t1);
    outV.push(outV[outV.length - 1]);
    return { time: Float64Array.from(outT), value: Float64Array.from(outV) };
  }
  const buckets = maxPoints - 1;
  const width = (t1 - t0) / buckets;
  const outT = new Float64Array(buckets + 1);
  const outV = new Float64Array(buckets + 1);
  let pos = t0;
  for (let b = 0; b < buckets; b++) {
    const end = b === buckets - 1 ? t1 : t0 + (b + 1) * width;
    let area = 0;
    while (pos < end) {
      const segEnd = i + 1 < n ? time[i + 1] : Infinity;
      const stop = Math.min(segEnd, end);
      area += (i >= 0 ? value[i] : 0) * (stop - pos);
      pos = stop;
      if (stop === segEnd) i++;
    }
    outT[b] = t0 + b * width;
    outV[b] = area / (end - outT[b]);
  }
  outT[buckets] = t1;
  outV[buckets] = outV[buckets - 1];
  return { time: outT, value: outV };
}

/**
 * Empirical CDF points (x = value, y = fraction of the sample <= x) of an
 * ascending-sorted sample, thinned to at most `maxPoints` evenly spaced ranks
 * (always keeping the first and last).
 */
export function cdfPoints(sorted: ArrayLike<number>, maxPoints: number): { x: Float64Array; y: Float64Array } {
  const n = sorted.length;
  const m = Math.min(n, Math.max(2, maxPoints));
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let rank = m === 1 ? n - 1 : Math.round((k * (n - 1)) / (m - 1));
    // with ties, F(x) counts every equal value: jump to the last of them
    while (rank + 1 < n && sorted[rank + 1] === sorted[rank]) rank++;
    x[k] = sorted[rank];
    y[k] = (rank + 1) / n;
  }
  return { x, y };
}
