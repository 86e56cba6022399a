/**
 * `lepton evaluate --jobs JOBS.json`: a trained agent beside DeepRM's heuristics on the
 * SAME job sets. The agent runs greedily and (policy-gradient agents) by sampling; SJF,
 * Packer, Random, Tetris* run through src/deeprm's replay. Per policy: the pooled mean
 * slowdown (true division, the spec's definition) with a 95 % bootstrap CI over job
 * sets, and its ratio to SJF with a paired CI (same resampled job sets).
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { PolicyAgent } from '../agents/fastpath';
import type { Agent } from '../agents/types';
import { derived, type JobsFile } from '../deeprm/params';
import { writeCsv } from '../util/csv';
import { UsageError } from '../util/errors';
import { Rng } from '../util/rng';
import {
  evaluateDeeprmAgent,
  evaluateDeeprmHeuristics,
  pooledMean,
  pooledMeanCI,
  statusCounts,
  type DeepRMPolicyEval,
} from './deeprmTask';
import { writeFileAtomic } from '../util/atomic';
import type { OutputSet } from '../util/atomic';

export interface DeepRMComparisonRow {
  policy: string;
  mean_slowdown: number;
  ci_lo: number;
  ci_hi: number;
  /** pooled(policy) / pooled(SJF), with a paired bootstrap CI (NaN without SJF). */
  ratio_to_sjf: number;
  ratio_ci_lo: number;
  ratio_ci_hi: number;
  /** Mean of floor-divided slowdowns (what DeepRM's Python 2 code printed). */
  mean_slowdown_floor: number;
  jobs_counted: number;
  unscheduled: number;
  dropped: number;
  truncated_episodes: number;
  job_sets: number;
  wall_seconds: number;
}

export const DEEPRM_SUMMARY_COLUMNS = [
  'policy',
  'mean_slowdown',
  'ci_lo',
  'ci_hi',
  'ratio_to_sjf',
  'ratio_ci_lo',
  'ratio_ci_hi',
  'mean_slowdown_floor',
  'jobs_counted',
  'unscheduled',
  'dropped',
  'truncated_episodes',
  'job_sets',
  'wall_seconds',
] as const;

export const DEEPRM_JOB_COLUMNS = ['policy', 'id', 'ex', 'enter', 'start', 'finish', 'slowdown', 'status'] as const;

/** Network input size of a neural agent (undefined for tabular agents). */
export function agentInputSize(agent: Agent): number | undefined {
  const a = agent as unknown as { policy?: { spec: { inputSize: number } }; net?: { spec: { inputSize: number } } };
  return a.policy?.spec.inputSize ?? a.net?.spec.inputSize;
}

export interface DeepRMComparison {
  evals: DeepRMPolicyEval[];
  rows: DeepRMComparisonRow[];
}

/**
 * Runs the agent (greedy, and sampling if it can) and the heuristics on `file`.
 * `sampleSeed` seeds the agent's sampling so the stochastic evaluation is reproducible.
 */
export function compareOnDeeprm(
  agent: Agent,
  file: JobsFile,
  heuristics: string[],
  opts: { stochastic: boolean; sampleSeed: number },
): DeepRMComparison {
  const inputSize = agentInputSize(agent);
  const d = derived(file.params);
  const obsSize = d.imageHeight * d.imageWidth;
  if (inputSize !== undefined && inputSize !== obsSize)
    throw new UsageError(
      `the agent expects observations of ${inputSize} values but these job sets give ${obsSize} (num_nw ${file.params.numNw}, time_horizon ${file.params.timeHorizon}): train and evaluate with the same DeepRM parameters`,
    );
  const name = `agent:${agent.name}`;
  const evals: DeepRMPolicyEval[] = [evaluateDeeprmAgent(agent, file, true, name)];
  if (opts.stochastic && agent instanceof PolicyAgent) {
    agent.rng = new Rng(opts.sampleSeed);
    evals.push(evaluateDeeprmAgent(agent, file, false, `${name}:sample`));
  }
  if (heuristics.length > 0) evals.push(...evaluateDeeprmHeuristics(file, heuristics));
  const sjf = evals.find((e) => e.policy === 'sjf');
  const rows = evals.map((e): DeepRMComparisonRow => {
    const ci = pooledMeanCI(e);
    const ratio = sjf ? pooledMeanCI(e, sjf) : undefined;
    const c = statusCounts(e);
    let floorSum = 0;
    for (const j of e.jobs) if (j.status === 'done') floorSum += Math.floor(j.slowdown);
    let truncated = 0;
    for (let i = 0; i < e.exTruncated.length; i++) truncated += e.exTruncated[i];
    return {
      policy: e.policy,
      mean_slowdown: pooledMean(e),
      ci_lo: ci.lo,
      ci_hi: ci.hi,
      ratio_to_sjf: ratio?.estimate ?? NaN,
      ratio_ci_lo: ratio?.lo ?? NaN,
      ratio_ci_hi: ratio?.hi ?? NaN,
      mean_slowdown_floor: c.done > 0 ? floorSum / c.done : NaN,
      jobs_counted: c.done,
      unscheduled: c.unscheduled,
      dropped: c.dropped,
      truncated_episodes: truncated,
      job_sets: e.exSum.length,
      wall_seconds: e.wallSeconds,
    };
  });
  return { evals, rows };
}

/** Writes DIR/summary.csv and DIR/jobs.csv (the manifest is written by the caller). */
export function writeDeeprmComparison(
  dir: string | OutputSet,
  cmp: DeepRMComparison,
): { summary: string; jobs: string } {
  const summary = writeCsv(cmp.rows as unknown as Record<string, unknown>[], [...DEEPRM_SUMMARY_COLUMNS]);
  const jobs = writeCsv(
    cmp.evals.flatMap((e) => e.jobs.map((j) => ({ policy: e.policy, ...j }))),
    [...DEEPRM_JOB_COLUMNS],
  );
  if (typeof dir !== 'string') return { summary: dir.write('summary.csv', summary), jobs: dir.write('jobs.csv', jobs) };
  mkdirSync(dir, { recursive: true });
  const files = { summary: path.join(dir, 'summary.csv'), jobs: path.join(dir, 'jobs.csv') };
  writeFileAtomic(files.summary, summary);
  writeFileAtomic(files.jobs, jobs);
  return files;
}
