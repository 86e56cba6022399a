import type { SimContext } from '../sim/scheduler';
import type { JobView } from '../workload/job';
import type { DurationPredictor } from './predictor';

/**
 * Feeds a predictor from a running simulation, the way a real cluster would: at every
 * decision point it first learns from the jobs that finished since the last one (their run
 * time is `ctx.executed`), then predicts every job that has arrived since. A job's prediction
 * is made once, at its arrival decision point (= its submit time), and kept: it uses only the
 * jobs finished by then. `predicted[j]` is NaN for a job not seen yet.
 */
export class PredictionTracker {
  readonly predictor: DurationPredictor;
  predicted: Float64Array = new Float64Array(0);
  private consumed = 0;
  private seen = -1;

  constructor(predictor: DurationPredictor) {
    this.predictor = predictor;
  }

  reset(jobs: readonly JobView[]): void {
    this.predictor.reset(jobs);
    this.predicted = new Float64Array(jobs.length).fill(NaN);
    this.consumed = 0;
    this.seen = -1;
  }

  /** Call at the start of every decision point, before reading `predicted`. */
  update(ctx: SimContext): void {
    const p = this.predictor;
    const done = ctx.finishedCount;
    for (; this.consumed < done; this.consumed++) {
      const j = ctx.finishedAt(this.consumed);
      p.observe(j, ctx.executed(j));
    }
    // Arrivals are the tail of the waiting snapshot (index order) above `seen`; a job
    // preempted and requeued has a lower index and keeps its prediction.
    const w = ctx.waitingCount;
    let first = w;
    while (first > 0 && ctx.waitingAt(first - 1) > this.seen) first--;
    for (let i = first; i < w; i++) {
      const j = ctx.waitingAt(i);
      this.predicted[j] = p.predict(j);
    }
    if (first < w) this.seen = ctx.waitingAt(w - 1);
  }
}
