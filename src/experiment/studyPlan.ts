/**
 * The plan of a learned-vs-heuristic cluster study (`lepton cluster-study PLAN`): which trace
 * groups, how they are split and loaded, which agents with which budgets and seeds, and how the
 * intervals are computed. JSON, validated with zod (unknown keys are errors at any depth).
 * results/cluster/philly/plan.json is the committed study; docs/cluster-study.md explains each field.
 */
import { readJsonFile } from '../util/json';
import { UsageError } from '../util/errors';
import { validate, z } from '../util/schema';
import { AGENT_KINDS, type AgentKind } from './agents';
import { isSearchKind, SEARCH_KINDS, type SearchKind } from './searches';
import { REWARDS, type RewardName } from '../env/rewards';

export const STUDY_OBSERVATIONS = ['no-duration', 'window'] as const;
export type StudyObservation = (typeof STUDY_OBSERVATIONS)[number];
/** The observations that read true durations (agents trained on them are labelled oracle). */
export const ORACLE_OBSERVATIONS: Readonly<Record<StudyObservation, string | false>> = {
  'no-duration': false,
  window: 'true remaining times of the window jobs',
};

const agentRun = z.strictObject({
  /** Label of the run family in the table (default: the agent kind). */
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .optional(),
  /** An RL agent (agents.ts) or a searched scheduler family (searches.ts). */
  agent: z.enum([...AGENT_KINDS, ...SEARCH_KINDS] as unknown as [
    AgentKind | SearchKind,
    ...(AgentKind | SearchKind)[],
  ]),
  seeds: z
    .array(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1),
    )
    .min(1),
  /** Hyperparameter overrides on top of the agent's DEFAULTS (a `lepton train --config` agent part). */
  config: z.record(z.string(), z.unknown()).default({}),
  observation: z.enum(STUDY_OBSERVATIONS).default('no-duration'),
  reward: z.enum(REWARDS as unknown as [RewardName, ...RewardName[]]).default('jct'),
  /** Constant factor on the rewards (keeps value targets O(1); the optimal policy is unchanged). */
  rewardScale: z.number().positive().default(0.01),
  /** VCs this run family trains on (default: every study VC). */
  vcs: z.array(z.string().min(1)).optional(),
});

export const STUDY_PLAN_SCHEMA = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/),
  /** Trace kind and file (default: the kind's default file). */
  trace: z.literal('philly').default('philly'),
  traceFile: z.string().min(1).optional(),
  /** The busiest `topVcs` groups by GPU-hours among those with a node quota, plus `extraVcs`. */
  topVcs: z.number().int().min(1).max(50).default(4),
  extraVcs: z.array(z.string().min(1)).default([]),
  /** train / validation / test fractions of each VC's submit-time span. */
  split: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([0.6, 0.1, 0.3]),
  /** Contended load: arrival scale found on the VALIDATION split so that the best non-oracle
   * heuristic's GPU utilisation lies in [lo, hi] (target: their midpoint). */
  contended: z
    .strictObject({
      utilLo: z.number().gt(0).lt(1).default(0.7),
      utilHi: z.number().gt(0).lt(1).default(0.9),
      scaleMin: z.number().positive().default(1),
      scaleMax: z.number().positive().default(32),
      /** Bisection steps on log(scale). */
      iterations: z.number().int().min(1).max(40).default(10),
    })
    .default({ utilLo: 0.7, utilHi: 0.9, scaleMin: 1, scaleMax: 32, iterations: 10 }),
  /** Training episodes: windows of `episodeJobs` consecutive train-split jobs, every `episodeStride`. */
  episodeJobs: z.number().int().min(2).max(100_000).default(200),
  episodeStride: z.number().int().min(1).max(100_000).default(100),
  /** Waiting jobs the agent sees (actions: start slot k, or wait). */
  window: z.number().int().min(1).max(256).default(10),
  /** Decisions per training episode before truncation. */
  maxSteps: z.number().int().min(1).max(10_000_000).default(5000),
  /** Periodic validation every this many iterations (segmented agents; 0 = at the end only). */
  evalEvery: z.number().int().min(0).default(0),
  agents: z.array(agentRun).default([]),
  bootstrap: z
    .strictObject({
      blocks: z.number().int().min(1).default(20),
      resamples: z.number().int().min(1).max(1_000_000).default(2000),
      seed: z.number().int().min(0).default(1),
    })
    .default({ blocks: 20, resamples: 2000, seed: 1 }),
  /** Simulation seed (Random policy; sampling agents). */
  seed: z.number().int().min(0).default(1),
});

export type StudyPlan = z.output<typeof STUDY_PLAN_SCHEMA>;
export type StudyAgentRun = StudyPlan['agents'][number];

export function parseStudyPlan(data: unknown, where: string): StudyPlan {
  const p = validate(STUDY_PLAN_SCHEMA, data, where);
  const s = p.split[0] + p.split[1] + p.split[2];
  if (Math.abs(s - 1) > 1e-9) throw new UsageError(`${where}: split fractions must sum to 1 (got ${s})`);
  if (!(p.contended.utilLo < p.contended.utilHi)) throw new UsageError(`${where}: contended.utilLo must be < utilHi`);
  // A searched scheduler sees the jobs through the non-oracle scheduler view only: no observation
  // to choose (and no oracle one to label).
  for (const r of p.agents)
    if (isSearchKind(r.agent) && r.observation !== 'no-duration')
      throw new UsageError(`${where}: agent '${r.agent}' is a searched scheduler: it takes no observation`);
  return p;
}

export function readStudyPlan(file: string): StudyPlan {
  return parseStudyPlan(readJsonFile(file), file);
}

/** Name of an agent run family in tables and folders. */
export function runFamily(r: StudyAgentRun): string {
  return r.name ?? r.agent;
}
