import type { BlindScheduler, SimContext } from '../sim/scheduler';
import { makePredictor, type PredictorName } from '../predict/registry';
import { PredictionTracker } from '../predict/tracker';
import { LAS_TICK } from './las';
import { PriorityPreemption } from './preemptive';

/**
 * The parameters of a learned priority function, in the order of a parameter vector (the
 * policy search in agents/priorityEs.ts works on that vector). All zero is LAS exactly.
 */
export const PRIORITY_PARAMS = ['offset', 'gpus', 'predicted', 'waited'] as const;
export type PriorityParam = (typeof PRIORITY_PARAMS)[number];
export type PriorityWeights = Record<PriorityParam, number>;

/** The weights under which the learned priority IS least attained service (key = attained). */
export const LAS_WEIGHTS: Readonly<PriorityWeights> = { offset: 0, gpus: 0, predicted: 0, waited: 0 };

/** Every setting of the learned priority scheduler apart from its weights, defaulted in one place. */
export const LEARNED_PRIORITY_DEFAULTS = {
  /** Submit-time duration predictor of the `predicted` feature (src/predict/; never the true duration). */
  predictor: 'history' as PredictorName,
  /** Seconds between re-evaluations while jobs wait: LAS's, so that LAS lies inside the class. */
  tickInterval: LAS_TICK,
  /** GPU-seconds per unit of `offset` (one GPU-hour) and seconds per unit of time features (one hour). */
  unit: 3600,
};

/** Floor (s) on the predicted duration before its logarithm (a prediction of 0 s is not informative). */
const MIN_PREDICTED = 60;

export function weightsFromVector(v: readonly number[]): PriorityWeights {
  if (v.length !== PRIORITY_PARAMS.length)
    throw new Error(`expected ${PRIORITY_PARAMS.length} weights, got ${v.length}`);
  return Object.fromEntries(PRIORITY_PARAMS.map((k, i) => [k, v[i]])) as PriorityWeights;
}

export function weightsToVector(w: Readonly<PriorityWeights>): number[] {
  return PRIORITY_PARAMS.map((k) => w[k]);
}

/**
 * A PARAMETRIC preemptive priority policy whose weights are learned (agents/priorityEs.ts) rather
 * than chosen by hand. It drives the same greedy-prefix preemptive engine as LAS (preemptive.ts),
 * so it gets the same free preemption, and it reads only what a real scheduler has: attained
 * GPU-service, GPUs requested, waiting time and a submit-time duration PREDICTION (not an oracle).
 * The key of job j (lower = more urgent) is
 *
 *   key(j) = (attained_j + unit · max(0, offset)) · exp( gpus · log2(max(1, g_j))
 *                                                      + predicted · ln(max(p̂_j, 60 s) / unit)
 *                                                      + waited · ln(1 + w_j / unit) )
 *
 * with attained in GPU-seconds, g_j the GPUs requested, p̂_j the prediction made at submit time
 * and w_j = now − submit − executed the time spent waiting so far. Why this form: a
 * multiplicative modulation of attained service keeps LAS as the point of all-zero weights (key =
 * attained, the very same numbers, so the very same schedule), the offset lets fresh jobs
 * (attained 0) be told apart by the other features (e.g. small or predicted-short first), and the
 * logarithms put GPUs, hours and waits on comparable scales for the search. With waited ≠ 0 the
 * keys of waiting jobs move, so the engine re-sorts the queue at every call (staticKeys false).
 */
export function learnedPriority(
  weights: Readonly<PriorityWeights> = LAS_WEIGHTS,
  opts: Partial<typeof LEARNED_PRIORITY_DEFAULTS> = {},
  name = 'learned-priority',
): BlindScheduler {
  const o = { ...LEARNED_PRIORITY_DEFAULTS, ...opts };
  for (const k of PRIORITY_PARAMS)
    if (!Number.isFinite(weights[k])) throw new Error(`learned-priority: weight ${k} is not finite`);
  const offset = o.unit * Math.max(0, weights.offset);
  const { gpus: wg, predicted: wp, waited: ww } = weights;
  const usesPrediction = wp !== 0;
  const engine = new PriorityPreemption();
  const tracker = new PredictionTracker(makePredictor(o.predictor));
  let keys = new Float64Array(0);
  // Static part of the exponent (GPUs, prediction): fixed once the job has arrived.
  let base = new Float64Array(0);
  let known = new Uint8Array(0);
  const key = (ctx: SimContext, j: number): number => {
    if (!known[j]) {
      const p = usesPrediction ? Math.log(Math.max(tracker.predicted[j], MIN_PREDICTED) / o.unit) : 0;
      base[j] = wg * Math.log2(Math.max(1, ctx.jobs[j].gpus)) + wp * p;
      known[j] = 1;
    }
    let e = base[j];
    if (ww !== 0) e += ww * Math.log1p(Math.max(0, ctx.now - ctx.jobs[j].submit - ctx.executed(j)) / o.unit);
    const a = ctx.attained(j) + offset;
    // exp(0) = 1 exactly: with all-zero weights the key is attained itself (LAS).
    return e === 0 ? a : a * Math.exp(e);
  };
  return {
    name,
    preemptive: true,
    tickInterval: o.tickInterval,
    reset(jobs) {
      keys = new Float64Array(jobs.length);
      base = new Float64Array(jobs.length);
      known = new Uint8Array(jobs.length);
      engine.reset(jobs);
      tracker.reset(jobs);
    },
    schedule(ctx) {
      if (usesPrediction) tracker.update(ctx);
      engine.run(ctx, keys, (j) => key(ctx, j), ww === 0);
    },
  };
}
