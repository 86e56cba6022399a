import type { SimContext } from '../sim/scheduler';

/**
 * Observation of a cluster decision point: a window of the first K waiting jobs
 * (in arrival order) plus cluster state, as a flat Float32Array.
 *
 * Per job slot (JOB_FEATURES values): present, GPUs / largest node, log of the believed
 * remaining run time, log-wait, fits-now. Cluster: free-GPU fraction, running jobs / GPUs, log
 * queue length beyond the window. The believed durations are the caller's `durations` array:
 * predictions made at submit time (src/predict/) unless the env is explicitly set to `oracle`
 * (DeepRM's image shows true durations; a real scheduler does not know them).
 */
export const JOB_FEATURES = 5;
export const CLUSTER_FEATURES = 3;

/** log1p scaled so that ~1 week maps to ~1. */
const LOG_SCALE = 1 / Math.log1p(7 * 24 * 3600);

export function observationSize(window: number): number {
  return window * JOB_FEATURES + CLUSTER_FEATURES;
}

/**
 * Fills `obs` and `mask` (length window + 1: one action per slot, last = wait) and
 * `slots` (job index per slot, -1 = empty). Returns the number of filled slots.
 * `durations` false leaves the log-duration feature 0 (noDurationEncoder); otherwise it holds the
 * believed duration per job (predicted, or true in an oracle env).
 */
export function encodeDecision(
  ctx: SimContext,
  window: number,
  maxNodeGpus: number,
  obs: Float32Array,
  mask: Uint8Array,
  slots: Int32Array,
  durations: Float64Array | false,
): number {
  obs.fill(0);
  mask.fill(0);
  let filled = 0;
  // The first `window` waiting jobs of the snapshot; the rest are only counted (waitingNow),
  // so a step costs O(window + jobs started at this instant), not O(queue).
  const n = ctx.waitingCount;
  for (let i = 0; i < n && filled < window; i++) {
    const j = ctx.waitingAt(i);
    if (!ctx.isWaiting(j)) continue;
    const job = ctx.jobs[j];
    const o = filled * JOB_FEATURES;
    const fits = ctx.fits(j);
    obs[o] = 1;
    obs[o + 1] = (job.gpus > 0 ? job.gpus : job.gpuShare) / Math.max(1, maxNodeGpus);
    if (durations) obs[o + 2] = Math.log1p(Math.max(0, durations[j] - ctx.executed(j))) * LOG_SCALE;
    obs[o + 3] = Math.log1p(ctx.now - job.submit) * LOG_SCALE;
    obs[o + 4] = fits ? 1 : 0;
    mask[filled] = fits ? 1 : 0;
    slots[filled++] = j;
  }
  const beyond = Math.max(0, ctx.waitingNow - filled);
  for (let s = filled; s < window; s++) slots[s] = -1;
  const c = window * JOB_FEATURES;
  obs[c] = ctx.totalGpus > 0 ? ctx.freeGpus / ctx.totalGpus : 0;
  obs[c + 1] = ctx.runningCount / Math.max(1, ctx.totalGpus);
  obs[c + 2] = Math.log1p(beyond) / Math.log1p(1e5);
  mask[window] = 1;
  return filled;
}

/**
 * A pluggable observation: how a decision point becomes a vector, a mask and the
 * job index behind each slot action. ClusterEnv and agentScheduler take one, so an agent
 * trained on an encoding is deployed with the same encoding.
 */
export interface ObservationEncoder {
  readonly name: string;
  size(window: number): number;
  encode(
    ctx: SimContext,
    window: number,
    maxNodeGpus: number,
    obs: Float32Array,
    mask: Uint8Array,
    slots: Int32Array,
    /** Believed duration (s) per job index (predicted, or true for an oracle env). */
    durations: Float64Array,
  ): number;
}

/** The default encoder above: K job slots × JOB_FEATURES + CLUSTER_FEATURES. */
export const windowEncoder: ObservationEncoder = { name: 'window', size: observationSize, encode: encodeDecision };
