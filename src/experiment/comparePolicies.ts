import type { ClusterSpec } from '../cluster/spec';
import type { PlacementName } from '../sim/placement';
import type { SimResult } from '../sim/result';
import type { Scheduler } from '../sim/scheduler';
import { simulate } from '../sim/simulator';
import { summarize, type Summary, type JobWindow } from '../metrics';
import type { Job } from '../workload/job';

export interface CompareOptions {
  /** One scheduler per policy; a fresh instance per run. */
  makeScheduler: (name: string) => Scheduler;
  policies: readonly string[];
  seed: number;
  placement?: PlacementName;
  restartOverhead?: number;
  fractional?: boolean;
  until?: number;
  oversize?: 'error' | 'reject';
  window?: JobWindow;
  /** Called before each policy runs, and with progress inside it. */
  onStart?: (policy: string, index: number) => void;
  onProgress?: (policy: string, finished: number, total: number) => void;
  onDone?: (policy: string, result: SimResult, wallSeconds: number) => void;
}

export interface PolicyRun {
  policy: string;
  result: SimResult;
  summary: Summary;
  wallSeconds: number;
}

/**
 * Runs every policy on the identical job sequence and cluster with the same seed,
 * so differences come from the policies alone.
 */
export function comparePolicies(jobs: readonly Job[], cluster: ClusterSpec, opts: CompareOptions): PolicyRun[] {
  const runs: PolicyRun[] = [];
  opts.policies.forEach((policy, i) => {
    opts.onStart?.(policy, i);
    const t0 = process.hrtime.bigint();
    const result = simulate(jobs, cluster, opts.makeScheduler(policy), {
      seed: opts.seed,
      placement: opts.placement,
      restartOverhead: opts.restartOverhead,
      fractional: opts.fractional,
      until: opts.until,
      oversize: opts.oversize,
      onProgress: opts.onProgress ? (f, t) => opts.onProgress!(policy, f, t) : undefined,
    });
    const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    opts.onDone?.(policy, result, wallSeconds);
    runs.push({ policy, result, summary: summarize(result, { window: opts.window }), wallSeconds });
  });
  return runs;
}
