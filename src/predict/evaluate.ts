import type { Job } from '../workload/job';
import { predictionAccuracy, type PredictionAccuracy } from './accuracy';
import { makePredictor } from './registry';
import { replayPredictions, unqueuedFinish } from './replay';

/** One row of a prediction-accuracy table. */
export interface PredictorScore extends PredictionAccuracy {
  predictor: string;
  /** Jobs predicted before any job had finished (the cold-start prior or an estimate). */
  coldStart: number;
}

/**
 * Every predictor on one job list, under the no-queueing protocol: a job's run time becomes
 * known at submit + duration (the earliest it could finish; queueing would only delay learning,
 * so this is the predictors' best case on the trace). Predictions are made at submit time from
 * the jobs known by then (replayPredictions) and scored against the true durations.
 */
export function scorePredictors(jobs: readonly Job[], predictors: readonly string[]): PredictorScore[] {
  const learnAt = unqueuedFinish(jobs);
  const truth = Float64Array.from(jobs, (j) => j.duration);
  let firstLearn = Infinity;
  for (const t of learnAt) firstLearn = Math.min(firstLearn, t);
  let cold = 0;
  for (const j of jobs) if (j.submit < firstLearn) cold++;
  return predictors.map((name) => {
    const pred = replayPredictions(jobs, makePredictor(name), learnAt);
    return { predictor: name, coldStart: cold, ...predictionAccuracy(pred, truth) };
  });
}
