import type { SimContext } from '../sim/scheduler';

/**
 * Rewards for the interval [t0, t1) between two decision points, computed from the
 * jobs in the system during it (waiting + running, before the events at t1).
 * - slowdown: −Σ dt / duration_j  (DeepRM's −Σ 1/T_j per time step; over an episode = −Σ slowdown)
 * - bsld:     −Σ dt / max(duration_j, τ)  (bounded slowdown, τ = 10 s)
 * where duration_j is the BELIEVED duration (`durations[j]`: the submit-time prediction, or
 * the true one only in an env explicitly set to oracle), so the reward, like the observation,
 * uses nothing a real scheduler could not know.
 * - jct:      −Σ dt / scale  (number of jobs in the system; over an episode = −Σ JCT / scale)
 * - util:     +dt × used-GPU fraction / scale
 */
export type RewardName = 'slowdown' | 'bsld' | 'jct' | 'util';
export const REWARDS: readonly RewardName[] = ['slowdown', 'bsld', 'jct', 'util'];

const TAU = 10;
/** Seconds per reward unit for jct/util, so that rewards stay O(1) per hour. */
const SCALE = 3600;

export function intervalReward(name: RewardName, ctx: SimContext, dt: number, durations: Float64Array): number {
  if (dt <= 0) return 0;
  if (name === 'util') return ctx.totalGpus > 0 ? (dt * (ctx.totalGpus - ctx.freeGpus)) / ctx.totalGpus / SCALE : 0;
  let sum = 0;
  const add = (j: number): void => {
    const d = durations[j];
    if (name === 'slowdown') sum += d > 0 ? 1 / d : 0;
    else if (name === 'bsld') sum += 1 / Math.max(d, TAU);
    else sum += 1 / SCALE;
  };
  for (let i = 0; i < ctx.waitingCount; i++) {
    const j = ctx.waitingAt(i);
    if (ctx.isWaiting(j)) add(j);
  }
  for (let i = 0; i < ctx.runningCount; i++) add(ctx.runningAt(i));
  return -dt * sum;
}
