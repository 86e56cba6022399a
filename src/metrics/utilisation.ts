import type { SimResult } from '../sim/result';

/** Which timeline series to read. */
export type Resource = 'gpus' | 'cpus' | 'memMiB';

/**
 * Integral of the piecewise-constant usage u(t) over [t0, t1] (resource·s).
 * Segment i holds value[i] on [time[i], time[i+1]); the last segment extends
 * to +∞ and usage before time[0] is 0.
 */
export function integrateStep(time: ArrayLike<number>, value: ArrayLike<number>, t0: number, t1: number): number {
  let area = 0;
  const n = time.length;
  for (let i = 0; i < n; i++) {
    const a = Math.max(time[i], t0);
    const b = Math.min(i + 1 < n ? time[i + 1] : Infinity, t1);
    if (b > a) area += value[i] * (b - a);
  }
  return area;
}

/**
 * Time-weighted utilisation U = (1 / (t1 − t0)) ∫_{t0}^{t1} u(t) dt / capacity,
 * dimensionless in [0, 1] when the simulator respects capacity. NaN when the
 * interval is empty or not finite, or the capacity is 0 (nothing to use).
 */
export function utilisation(r: SimResult, resource: Resource, t0: number, t1: number): number {
  const cap = r.capacity[resource];
  if (!(cap > 0) || !(t1 > t0) || !Number.isFinite(t0) || !Number.isFinite(t1)) return NaN;
  return integrateStep(r.timeline.time, r.timeline[resource], t0, t1) / ((t1 - t0) * cap);
}
