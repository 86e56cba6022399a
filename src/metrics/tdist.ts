/**
 * Student-t distribution: CDF through the regularized incomplete beta function
 * and quantiles by bisection on the CDF (monotone, so bisection always converges).
 * Accurate to ~1e-10 relative, plenty for confidence intervals.
 */

/** Below this, ln Γ is shifted up by the recurrence Γ(x+1) = x Γ(x) before Stirling's series. */
const STIRLING_MIN_X = 15;

/**
 * ln Γ(x) for x > 0: Stirling's series with Bernoulli terms up to B10
 * (truncation error < 1e-16 for x >= 15), smaller x shifted up by recurrence.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  let shift = 0;
  while (x < STIRLING_MIN_X) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

const CF_MAX_ITER = 500;
const CF_EPS = 1e-15;
const CF_TINY = 1e-300;

/** Continued fraction for I_x(a, b) (modified Lentz; Numerical Recipes §6.4). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < CF_TINY) d = CF_TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= CF_MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < CF_TINY) d = CF_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < CF_TINY) c = CF_TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < CF_TINY) d = CF_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < CF_TINY) c = CF_TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < CF_EPS) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b), 0 <= x <= 1, a, b > 0. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast for x < (a+1)/(a+b+2); use symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with `df` > 0 degrees of freedom. */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const t2 = t * t;
  // Near 0 use P(|T| < t) = I_{t²/(df+t²)}(1/2, df/2): the other form would
  // compute 1 − x with x ≈ 1 and lose every digit of a small |t|.
  if (t2 < df) {
    const central = 0.5 * incompleteBeta(t2 / (df + t2), 0.5, df / 2);
    return t > 0 ? 0.5 + central : 0.5 - central;
  }
  const tail = 0.5 * incompleteBeta(df / (df + t2), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

const BISECT_ITER = 200;

/** The p-quantile of Student's t with `df` degrees of freedom (e.g. tQuantile(0.975, 4) = 2.776). */
export function tQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < BISECT_ITER && hi - lo > 1e-13 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
