/**
 * What a training run needs from an environment family (DeepRM job sets, cluster workloads):
 * training envs, and evaluation on validation and held-out splits that training never sees.
 */
import type { Agent } from '../agents/types';
import type { Env } from '../env/types';
import type { EnvRecipe } from '../env/recipe';

export const ENV_KINDS = ['deeprm', 'cluster', 'rlsched'] as const;
export type EnvKind = (typeof ENV_KINDS)[number];

/** Held-out evaluation of an agent on a task (mean slowdown, lower is better). */
export interface HeldOutEval {
  meanSlowdown: number;
  /** Extra numbers for the manifest (CI bounds, unscheduled jobs, …). */
  details: Record<string, number>;
}

/** What the runner needs from an environment family. */
export interface TrainTask {
  env: EnvKind;
  /** Resolved setting (for the manifest and for `lepton evaluate`). */
  setting: Record<string, unknown>;
  /** Number of training job sets / workloads; reset(seed) plays set seed mod this. */
  numTrainSets: number;
  /** A fresh env over the TRAINING job sets only. */
  makeTrainEnv(): Env;
  /**
   * The same training env as data, for agents that build envs in worker threads (A3C); absent
   * when the family has no such factory yet (those agents then refuse the task).
   */
  trainEnvRecipe?: EnvRecipe;
  /** False when `evaluate(agent, false)` is meaningless (the agent cannot sample there). */
  stochasticEval?: boolean;
  /** Evaluation on the HELD-OUT job sets. `greedy` false = the agent samples. */
  evaluate(agent: Agent, greedy: boolean): HeldOutEval;
  /** Evaluation on VALIDATION job sets (disjoint from both), for model selection; optional. */
  validate?(agent: Agent, greedy: boolean): HeldOutEval;
}

/** Which split the periodic evaluation uses (curve columns val_* or eval_*). */
export type EvalSplit = 'validation' | 'heldout';
