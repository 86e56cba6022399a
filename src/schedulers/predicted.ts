import type { BlindScheduler } from '../sim/scheduler';
import type { JobView } from '../workload/job';
import { makePredictor, PREDICTOR_NAMES } from '../predict/registry';
import { PredictionTracker } from '../predict/tracker';
import { KeyedQueue } from './keyed';

/** Predictor of the prediction-based policies unless `--policy-opt NAME.predictor=…` says otherwise. */
export const DEFAULT_PREDICTOR = 'user-estimate';

/** The `predictor` option of sjf-estimate, srtf-estimate and qssf (schema for the registry). */
export const PREDICTOR_OPTION = {
  predictor: {
    kind: 'choice',
    default: DEFAULT_PREDICTOR,
    choices: PREDICTOR_NAMES,
    help: 'duration predictor (src/predict/registry.ts): submit-time features + finished jobs only',
  },
} as const;

/** A tracker over the predictor the options name (validated by the registry's schema). */
export function trackerFromOptions(opts?: Record<string, unknown>): PredictionTracker {
  const name = typeof opts?.predictor === 'string' ? opts.predictor : DEFAULT_PREDICTOR;
  return new PredictionTracker(makePredictor(name));
}

/**
 * A non-preemptive policy that orders the waiting queue by `key(predicted duration, job)`, lower
 * first, ties by arrival, and starts every job that fits in that order (KeyedQueue: the key is read
 * once, at the job's arrival decision point, from the prediction made then). sjf-estimate and qssf
 * are this with different keys; the tracker is updated before the queue reads any prediction.
 */
export function predictedKeyScheduler(
  name: string,
  opts: Record<string, unknown> | undefined,
  key: (predicted: number, job: JobView) => number,
): BlindScheduler {
  const queue = new KeyedQueue();
  const tracker = trackerFromOptions(opts);
  return {
    name,
    preemptive: false,
    reset(jobs) {
      queue.reset(jobs);
      tracker.reset(jobs);
    },
    schedule(ctx) {
      tracker.update(ctx);
      const p = tracker.predicted;
      const jobs = ctx.jobs;
      queue.run(ctx, (j) => key(p[j], jobs[j]));
    },
  };
}
