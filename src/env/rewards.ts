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

/** A job's share of the slowdown / bsld / jct rate (what intervalReward sums), from its believed duration. */
export function rewardWeight(name: RewardName, d: number): number {
  if (name === 'slowdown') return d > 0 ? 1 / d : 0;
  if (name === 'bsld') return 1 / Math.max(d, TAU);
  if (name === 'jct') return 1 / SCALE;
  return 0;
}

/**
 * intervalReward in O(1) per step: the sum over the jobs in the system is kept up to date from
 * the arrivals (the waiting snapshot's new tail) and completions (finishedAt) of each decision
 * point, instead of walking every waiting and running job at every step (O(queue + running):
 * thousands of jobs on a Philly-sized cluster). `update` must be called at every decision
 * point, after the durations of its arrivals are known. Same value as intervalReward up to
 * rounding (the sum is reset to exactly 0 whenever the system empties).
 */
export class RewardAccumulator {
  private weight = new Float64Array(0);
  private sum = 0;
  private seen = -1;
  private consumed = 0;

  constructor(readonly name: RewardName) {}

  reset(jobs: number): void {
    this.weight = new Float64Array(jobs);
    this.sum = 0;
    this.seen = -1;
    this.consumed = 0;
  }

  update(ctx: SimContext, durations: Float64Array): void {
    if (this.name === 'util') return;
    for (const done = ctx.finishedCount; this.consumed < done; this.consumed++)
      this.sum -= this.weight[ctx.finishedAt(this.consumed)];
    const w = ctx.waitingCount;
    let first = w;
    while (first > 0 && ctx.waitingAt(first - 1) > this.seen) first--;
    for (let i = first; i < w; i++) {
      const j = ctx.waitingAt(i);
      this.weight[j] = rewardWeight(this.name, durations[j]);
      this.sum += this.weight[j];
    }
    if (first < w) this.seen = ctx.waitingAt(w - 1);
    if (ctx.waitingNow === 0 && ctx.runningCount === 0) this.sum = 0;
  }

  /** The reward of [now, now + dt): −dt × Σ weights (util: the GPU-use rate). */
  reward(ctx: SimContext, dt: number): number {
    if (dt <= 0) return 0;
    if (this.name === 'util') return intervalReward('util', ctx, dt, this.weight);
    return -dt * this.sum;
  }
}
