/**
 * The learning agents `lepton train` knows, one entry each. This table is the only place the runner
 * (experiment/train.ts), the checkpoint loader, `lepton train --help` and the DeepRM report learn about
 * an algorithm: adding an agent = its file in agents/ + one entry here, and the type checker rejects an
 * entry that misses a piece (AgentEntry has no optional field the runner needs).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Agent, TrainLogger } from '../agents/types';
import type { Env } from '../env/types';
import type { EnvRecipe } from '../env/recipe';
import { trainReinforce, reinforceTrainBackend, REINFORCE_DEFAULTS } from '../agents/reinforce';
import type { TrainBackend } from '../nn/backend';
import { trainA2c, A2C_DEFAULTS } from '../agents/a2c';
import { trainPpo, PPO_DEFAULTS } from '../agents/ppo';
import { trainA3c, a3cRoundsOf, A3C_DEFAULTS } from '../agents/a3c';
import { onPolicyTrainBackend } from '../agents/onPolicy';
import { trainDqn, resolveDqnConfig, DqnAgent } from '../agents/dqn';
import { trainQLearning, resolveQLearningConfig, QLearningAgent } from '../agents/qlearning';
import { loadPolicyAgent, type PolicyAgent } from '../agents/fastpath';
import { Rng } from '../util/rng';
import type { TrainTask } from './task';

type Config = Record<string, unknown>;
type Counts = Record<string, number>;

/** What the runner passes to a training loop. */
export interface AgentTrainOptions {
  seed: number;
  /** Where the loop keeps its checkpoint (none: a throw-away run, e.g. the untrained policy). */
  checkpointDir?: string;
  /** Continue from the checkpoint in checkpointDir. */
  resume: boolean;
  /** Called after each reported iteration (1-based); returning false stops a segmented loop. */
  onIteration: (iteration: number, metrics: Parameters<TrainLogger>[1]) => boolean;
  /** The training env as data (TrainTask.trainEnvRecipe), for loops that build envs in worker threads. */
  envRecipe?: EnvRecipe;
}

/**
 * Segmented loops stop at every evaluation point (through onIteration) after writing their
 * checkpoint, and the next segment resumes from it; whole loops run to the end and are evaluated once.
 */
export type AgentTraining =
  | {
      mode: 'segmented';
      /** Evaluate the untrained policy (a run of 0 iterations) as iteration 0 of the curve. */
      evalUntrained: boolean;
      train: (makeEnv: () => Env, cfg: Config, o: AgentTrainOptions) => Promise<PolicyAgent>;
    }
  | {
      mode: 'whole';
      /** Whether --resume can continue a run (false: the loop keeps no training state). */
      resumable: boolean;
      /** Runs the loop; returns the agent and the number of iterations done. */
      train: (makeEnv: () => Env, cfg: Config, o: AgentTrainOptions) => Promise<{ agent: Agent; iterations: number }>;
    };

export interface AgentEntry {
  /** Name in reports and tables. */
  label: string;
  /** What one reported iteration is (for --help). */
  iterationUnit: string;
  /** The algorithm's own hyperparameters and defaults: the keys a --config file may set. */
  defaults: () => Config;
  /** What `lepton train` sets on top of `defaults` for a task (run length, batching). */
  taskDefaults: (task: TrainTask) => Config;
  /** Settings derived once the overrides are in (e.g. ε schedules from totalSteps); identity if none. */
  derive: (cfg: Config, overrides: Config) => Config;
  /** Reported iterations of a run with this config. */
  iterationsOf: (cfg: Counts) => number;
  /** The config with its run length set to `iterations`. */
  withIterations: (cfg: Config, iterations: number) => Config;
  training: AgentTraining;
  /** Who computes gradients for this config: 'fused' (src/nn/ kernels) or 'tfjs' (recorded in the manifest). */
  trainBackend: (cfg: Config) => TrainBackend;
  /** Whether `dir` holds a trained agent of this algorithm (`algo`: the checkpoint's, if any). */
  owns: (dir: string, algo: string | undefined) => boolean;
  load: (dir: string, seed: number) => Promise<Agent>;
}

const onPolicyLoad = (dir: string, seed: number): Promise<Agent> => loadPolicyAgent(dir, seed);
const rolloutsOf = (c: Counts): number => Math.max(1, Math.floor(c.totalSteps / (c.numEnvs * c.numSteps)));
const unchanged = (cfg: Config): Config => cfg;
const tfjsOnly = (): TrainBackend => 'tfjs';

/**
 * The value-based agents (DQN, Q-learning) train in one call over `totalSteps` env steps and report
 * every `logEvery` steps: one reported iteration is `logEvery` steps, and a run is resumable from its
 * checkpoint. `run` is the algorithm's loop; its 0-based reports reach the runner 1-based.
 */
const loggedSteps = {
  iterationUnit: 'logEvery env steps',
  iterationsOf: (c: Counts): number => Math.ceil(c.totalSteps / c.logEvery),
  withIterations: (cfg: Config, n: number): Config => ({ ...cfg, totalSteps: n * (cfg.logEvery as number) }),
};
function loggedStepsTraining(
  run: (
    makeEnv: () => Env,
    cfg: Config,
    o: Pick<AgentTrainOptions, 'seed' | 'checkpointDir' | 'resume'> & { onIteration: TrainLogger },
  ) => Promise<{ agent: Agent; steps: number }>,
): AgentTraining {
  return {
    mode: 'whole',
    resumable: true,
    train: async (makeEnv, cfg, o) => {
      const res = await run(makeEnv, cfg, {
        seed: o.seed,
        checkpointDir: o.checkpointDir,
        resume: o.resume,
        onIteration: (it, m) => {
          o.onIteration(it + 1, m);
        },
      });
      return { agent: res.agent, iterations: Math.ceil(res.steps / (cfg.logEvery as number)) };
    },
  };
}

export const AGENTS = {
  pg: {
    label: 'DeepRM PG (REINFORCE)',
    iterationUnit: 'updates',
    defaults: () => ({ ...REINFORCE_DEFAULTS }),
    // DeepRM's pg_re.main() except rolloutsPerJobSet 10 (20 in pg_re), to halve the time per
    // iteration on 2 cores; the job sets are the task's training sets.
    taskDefaults: (task) => ({
      numJobSets: task.numTrainSets,
      rolloutsPerJobSet: 10,
      jobSetsPerBatch: 10,
      iterations: 300,
    }),
    derive: unchanged,
    iterationsOf: (c) => c.iterations,
    withIterations: (cfg, iterations) => ({ ...cfg, iterations }),
    training: { mode: 'segmented', evalUntrained: true, train: (makeEnv, cfg, o) => trainReinforce(makeEnv, cfg, o) },
    trainBackend: (cfg) => reinforceTrainBackend(cfg),
    owns: (_dir, algo) => algo === 'reinforce',
    load: onPolicyLoad,
  },
  a2c: {
    label: 'A2C',
    iterationUnit: 'rollouts',
    defaults: () => ({ ...A2C_DEFAULTS }),
    taskDefaults: () => ({ numEnvs: 8, numSteps: 5, totalSteps: 8 * 5 * 2000 }),
    derive: unchanged,
    iterationsOf: rolloutsOf,
    withIterations: (cfg, n) => ({ ...cfg, totalSteps: n * (cfg.numEnvs as number) * (cfg.numSteps as number) }),
    training: { mode: 'segmented', evalUntrained: false, train: (makeEnv, cfg, o) => trainA2c(makeEnv, cfg, o) },
    trainBackend: (cfg) => onPolicyTrainBackend({ ...A2C_DEFAULTS, ...cfg }),
    owns: (_dir, algo) => algo === 'a2c',
    load: onPolicyLoad,
  },
  a3c: {
    label: 'A3C',
    iterationUnit: 'rounds (one gradient per worker)',
    defaults: () => ({ ...A3C_DEFAULTS }),
    // 2 workers × 4 envs × 5 steps = A2C's 8 × 5 env steps per iteration, 2,000 iterations.
    taskDefaults: () => ({ numWorkers: 2, numEnvs: 4, numSteps: 5, totalSteps: 2 * 4 * 5 * 2000 }),
    derive: unchanged,
    iterationsOf: (c) => a3cRoundsOf({ ...A3C_DEFAULTS, ...c }),
    withIterations: (cfg, n) => ({
      ...cfg,
      totalSteps: n * (cfg.numWorkers as number) * (cfg.numEnvs as number) * (cfg.numSteps as number),
    }),
    training: { mode: 'segmented', evalUntrained: false, train: (makeEnv, cfg, o) => trainA3c(makeEnv, cfg, o) },
    trainBackend: () => 'fused',
    owns: (_dir, algo) => algo === 'a3c',
    load: onPolicyLoad,
  },
  ppo: {
    label: 'PPO',
    iterationUnit: 'rollouts',
    defaults: () => ({ ...PPO_DEFAULTS }),
    taskDefaults: () => ({ numEnvs: 4, numSteps: 128, totalSteps: 4 * 128 * 200 }),
    derive: unchanged,
    iterationsOf: rolloutsOf,
    withIterations: (cfg, n) => ({ ...cfg, totalSteps: n * (cfg.numEnvs as number) * (cfg.numSteps as number) }),
    training: { mode: 'segmented', evalUntrained: false, train: (makeEnv, cfg, o) => trainPpo(makeEnv, cfg, o) },
    trainBackend: (cfg) => onPolicyTrainBackend({ ...PPO_DEFAULTS, ...cfg }),
    owns: (_dir, algo) => algo === 'ppo',
    load: onPolicyLoad,
  },
  dqn: {
    label: 'DQN',
    ...loggedSteps,
    defaults: () => ({ ...resolveDqnConfig({}) }),
    // Checkpoint every 5 logged iterations: a killed run loses at most that much.
    taskDefaults: () => ({ totalSteps: 200_000, logEvery: 2_000, checkpointEvery: 10_000 }),
    // ε and PER β schedules follow totalSteps unless the config sets them.
    derive: (cfg, overrides) => {
      const c = { ...cfg };
      for (const k of ['epsilon', 'perBeta']) if (!(k in overrides)) delete c[k];
      return { ...resolveDqnConfig(c) };
    },
    training: loggedStepsTraining((makeEnv, cfg, o) => trainDqn(makeEnv, cfg, o)),
    trainBackend: tfjsOnly,
    owns: (_dir, algo) => algo === 'dqn',
    load: (dir, seed) => DqnAgent.load(dir, new Rng(seed)),
  },
  qlearning: {
    label: 'Q-learning',
    ...loggedSteps,
    defaults: () => ({ ...resolveQLearningConfig({}) }),
    // Checkpoint every 5 logged iterations: a killed run loses at most that much.
    taskDefaults: () => ({ totalSteps: 200_000, logEvery: 2_000, bins: 2, checkpointEvery: 10_000 }),
    // ε decays over the first half of the run unless the config sets it.
    derive: (cfg, overrides) =>
      'epsilon' in overrides
        ? cfg
        : {
            ...cfg,
            epsilon: { kind: 'linear', start: 1, end: 0.05, steps: Math.round((cfg.totalSteps as number) / 2) },
          },
    training: loggedStepsTraining((makeEnv, cfg, o) => trainQLearning(makeEnv, cfg, o)),
    trainBackend: tfjsOnly, // tabular: no network; the manifest keeps the tfjs backend as before
    // A training checkpoint (state.json, algo 'qlearning') or QLearningAgent.save's qlearning.json.
    owns: (dir, algo) => algo === 'qlearning' || existsSync(path.join(dir, 'qlearning.json')),
    load: (dir, seed) => QLearningAgent.load(dir, new Rng(seed)),
  },
} as const satisfies Record<string, AgentEntry>;

export type AgentKind = keyof typeof AGENTS;
export const AGENT_KINDS = Object.keys(AGENTS) as readonly AgentKind[];

/** The entry of an agent kind (widened to AgentEntry). */
export function agentEntry(kind: AgentKind): AgentEntry {
  return AGENTS[kind];
}

export function isAgentKind(s: string): s is AgentKind {
  return Object.hasOwn(AGENTS, s);
}
