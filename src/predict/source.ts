import type { SimContext } from '../sim/scheduler';
import type { Job, JobView } from '../workload/job';
import { isPredictorName, makePredictor, PREDICTOR_NAMES, type PredictorName } from './registry';
import { PredictionTracker } from './tracker';
import { UsageError } from '../util/errors';

/**
 * Where an environment or a deployed agent gets the job durations its observation and reward
 * need: a predictor (by name; the default `history`) or `oracle` — the true durations, an
 * ORACLE setting that reports must label as such.
 */
export type DurationSource = PredictorName | 'oracle';
export const DEFAULT_DURATION_SOURCE: DurationSource = 'history';
export const DURATION_SOURCES: readonly DurationSource[] = [...PREDICTOR_NAMES, 'oracle'];

export function isDurationSource(s: unknown): s is DurationSource {
  return s === 'oracle' || (typeof s === 'string' && isPredictorName(s));
}

export function checkDurationSource(s: unknown, where: string): DurationSource {
  if (!isDurationSource(s))
    throw new UsageError(
      `${where}: durations must be one of ${DURATION_SOURCES.join(', ')} (got ${JSON.stringify(s)})`,
    );
  return s;
}

/**
 * Per-job believed durations (`values[j]`, s) for one run. With a predictor they are made at
 * each job's arrival from finished jobs only (PredictionTracker); with `oracle` they are the
 * true durations, known from the start. `update` must be called at every decision point.
 */
export class DurationBelief {
  readonly source: DurationSource;
  private readonly tracker?: PredictionTracker;
  values: Float64Array = new Float64Array(0);

  constructor(source: DurationSource = DEFAULT_DURATION_SOURCE) {
    this.source = source;
    if (source !== 'oracle') this.tracker = new PredictionTracker(makePredictor(source));
  }

  get oracle(): boolean {
    return this.source === 'oracle';
  }

  /** Start of a run with a predictor: job views only. */
  reset(jobs: readonly JobView[]): void {
    if (!this.tracker) throw new Error('DurationBelief: the oracle source needs resetOracle(jobs with durations)');
    this.tracker.reset(jobs);
    this.values = this.tracker.predicted;
  }

  /** Start of a run of the ORACLE source: the true durations. */
  resetOracle(jobs: readonly Job[]): void {
    if (this.tracker) return this.reset(jobs);
    this.values = new Float64Array(jobs.length);
    for (let j = 0; j < jobs.length; j++) this.values[j] = jobs[j].duration;
  }

  update(ctx: SimContext): void {
    this.tracker?.update(ctx);
  }
}
