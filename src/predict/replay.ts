import type { Job } from '../workload/job';
import type { DurationPredictor } from './predictor';

/**
 * Offline replay of what a predictor would have said about each job at its submit time, given
 * when each job's run time became known (`learnAt[j]`, e.g. its finish time in a schedule, or
 * submit + duration when nothing queues). Exactly the online protocol of PredictionTracker:
 * jobs learned at or before a submit instant are observed before that job is predicted
 * (completions before arrivals at the same instant), each with its true duration — except a
 * job submitted at that same instant (zero duration): it is predicted together with the other
 * arrivals of the instant and learned right after them. Jobs are taken in submit order (ties by
 * index); returns the prediction per job index.
 */
export function replayPredictions(
  jobs: readonly Job[],
  predictor: DurationPredictor,
  learnAt: Float64Array,
): Float64Array {
  const n = jobs.length;
  predictor.reset(jobs);
  const bySubmit = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => jobs[a].submit - jobs[b].submit || a - b);
  const byLearn = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => learnAt[a] - learnAt[b] || a - b);
  const out = new Float64Array(n);
  const deferred: number[] = [];
  let k = 0;
  for (let i = 0; i < n;) {
    const t = jobs[bySubmit[i]].submit;
    for (; k < n && learnAt[byLearn[k]] <= t; k++) {
      const d = byLearn[k];
      if (jobs[d].submit < t) predictor.observe(d, jobs[d].duration);
      else deferred.push(d); // arrives at t too: not known before its own arrival
    }
    for (; i < n && jobs[bySubmit[i]].submit === t; i++) out[bySubmit[i]] = predictor.predict(bySubmit[i]);
    for (const d of deferred) predictor.observe(d, jobs[d].duration);
    deferred.length = 0;
  }
  return out;
}

/** learnAt for the no-queueing protocol: each job's run time is known at submit + duration. */
export function unqueuedFinish(jobs: readonly Job[]): Float64Array {
  return Float64Array.from(jobs, (j) => j.submit + j.duration);
}
