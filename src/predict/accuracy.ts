/**
 * How good duration predictions are, on the measures scheduling cares about: absolute error
 * (MAE, seconds), the typical factor off (median |ln((p + 1) / (d + 1))|: 0.69 = a factor of 2),
 * and ranking quality, which is what SJF-like policies actually use: Spearman's rho and
 * Kendall's tau-b between predicted and true durations (ties handled; tau-b in O(n log n) by
 * Knight's algorithm, as scipy.stats.kendalltau).
 */
export interface PredictionAccuracy {
  jobs: number;
  mae: number;
  medianAbsLogError: number;
  /** Share of jobs predicted within a factor of 2 (|log error| <= ln 2). */
  withinFactor2: number;
  spearman: number;
  kendallTauB: number;
}

export function predictionAccuracy(pred: ArrayLike<number>, truth: ArrayLike<number>): PredictionAccuracy {
  const n = truth.length;
  if (pred.length !== n) throw new Error('predictionAccuracy: length mismatch');
  let abs = 0;
  let within = 0;
  const logErr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    abs += Math.abs(pred[i] - truth[i]);
    logErr[i] = Math.abs(Math.log((pred[i] + 1) / (truth[i] + 1)));
    if (logErr[i] <= Math.LN2 + 1e-12) within++;
  }
  logErr.sort();
  const median = n === 0 ? NaN : n % 2 ? logErr[(n - 1) / 2] : (logErr[n / 2 - 1] + logErr[n / 2]) / 2;
  return {
    jobs: n,
    mae: n ? abs / n : NaN,
    medianAbsLogError: median,
    withinFactor2: n ? within / n : NaN,
    spearman: spearman(pred, truth),
    kendallTauB: kendallTauB(pred, truth),
  };
}

/** Average ranks (1-based; ties share the mean of their ranks). */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const r = new Float64Array(n);
  for (let i = 0; i < n;) {
    let k = i;
    while (k + 1 < n && x[idx[k + 1]] === x[idx[i]]) k++;
    const avg = (i + k) / 2 + 1;
    for (let m = i; m <= k; m++) r[idx[m]] = avg;
    i = k + 1;
  }
  return r;
}

/** Spearman's rho: Pearson correlation of the average ranks; NaN if either side is constant. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const n = rx.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += rx[i];
    my += ry[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const a = rx[i] - mx;
    const b = ry[i] - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Pairs tied within runs of equal values of `key` over the order `idx` (Σ t(t−1)/2). */
function tiedPairs(idx: Int32Array, same: (a: number, b: number) => boolean): number {
  let total = 0;
  for (let i = 0; i < idx.length;) {
    let k = i + 1;
    while (k < idx.length && same(idx[i], idx[k])) k++;
    const t = k - i;
    total += (t * (t - 1)) / 2;
    i = k;
  }
  return total;
}

/** Kendall's tau-b; NaN if either side is constant. */
export function kendallTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  // Order by (x, y); discordant pairs are then the strict inversions of y.
  const idx = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
  const xTies = tiedPairs(idx, (a, b) => x[a] === x[b]);
  const jointTies = tiedPairs(idx, (a, b) => x[a] === x[b] && y[a] === y[b]);
  const byY = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => y[a] - y[b]);
  const yTies = tiedPairs(byY, (a, b) => y[a] === y[b]);
  // Dense rank of y, then count earlier elements with a larger y (Fenwick tree).
  const rank = new Int32Array(n);
  let d = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && y[byY[i]] !== y[byY[i - 1]]) d++;
    rank[byY[i]] = d + 1;
  }
  const tree = new Float64Array(d + 2);
  let discordant = 0;
  for (let i = 0; i < n; i++) {
    const r = rank[idx[i]];
    let le = 0; // earlier elements with rank <= r
    for (let k = r; k > 0; k -= k & -k) le += tree[k];
    discordant += i - le;
    for (let k = r; k <= d + 1; k += k & -k) tree[k]++;
  }
  const total = (n * (n - 1)) / 2;
  const num = total - xTies - yTies + jointTies - 2 * discordant;
  const den = Math.sqrt(total - xTies) * Math.sqrt(total - yTies);
  return den > 0 ? num / den : NaN;
}
