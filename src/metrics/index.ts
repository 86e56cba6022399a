/** What other layers import from metrics/ (formulas: docs/metrics.md); knip (knip.jsonc) flags a name nobody imports. */
export { summarize, SUMMARY_COLUMNS } from './summary';
export type { Summary } from './summary';
export { resolveWindow, trimmedWindow } from './window';
export type { JobWindow } from './window';
export { DEFAULT_TAU, isFinished, jobCompletionTimes, queueingDelays, slowdowns, boundedSlowdowns } from './perjob';
export { makespan } from './makespan';
export { utilisation } from './utilisation';
export { jainIndex } from './fairness';
export { finishTimeFairness } from './ftf';
export { preemptionStats } from './preemptions';
export { quantileSorted, mean } from './quantile';
export {
  confidenceInterval,
  bootstrapCI,
  seedInterval,
  SEED_INTERVAL_DEFAULTS,
  SEED_INTERVAL_METHOD,
  SEED_BOUND_SUFFIX,
} from './ci';
