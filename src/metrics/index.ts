/** Public API of the metrics package (formulas: docs/metrics.md). */
export { summarize, SUMMARY_COLUMNS } from './summary';
export type { Summary, SummaryKey, SummaryColumn, SummaryOptions } from './summary';
export { resolveWindow, trimmedWindow } from './window';
export type { JobWindow } from './window';
export { DEFAULT_TAU, isFinished, jobCompletionTimes, queueingDelays, slowdowns, boundedSlowdowns } from './perjob';
export { makespan, jobSpan } from './makespan';
export { utilisation, integrateStep } from './utilisation';
export type { Resource } from './utilisation';
export { jainIndex, groupMeans } from './fairness';
export { finishTimeFairness, activeJobArea } from './ftf';
export { preemptionStats } from './preemptions';
export { quantileSorted, sortedCopy, mean, max } from './quantile';
export { tCdf, tQuantile, incompleteBeta, logGamma } from './tdist';
export {
  confidenceInterval,
  bootstrapCI,
  seedInterval,
  SEED_INTERVAL_DEFAULTS,
  SEED_INTERVAL_METHOD,
  SEED_BOUND_SUFFIX,
} from './ci';
export type { Interval, BootstrapOptions } from './ci';
