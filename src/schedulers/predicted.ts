import { makePredictor, PREDICTOR_NAMES } from '../predict/registry';
import { PredictionTracker } from '../predict/tracker';

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
