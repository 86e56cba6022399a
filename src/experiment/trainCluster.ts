/**
 * The `--env cluster` training task: ClusterEnv over a small uniform GPU cluster, with
 * Philly-shaped synthetic workloads (embeddedDefaultWorkload: few jobs, Poisson
 * arrivals at a target load). Training workloads come from seeds
 * trainSeedBase + k (k < numTrainSets), held-out ones from heldOutSeedBase + k
 * (k < numHeldOutSets); the two ranges are checked to be disjoint.
 *
 * Held-out evaluation runs the agent as a Scheduler (agentScheduler: greedy, the same
 * observation as the env) in the plain simulator and reports the mean slowdown
 * (JCT / duration) pooled over all finished jobs of all held-out workloads.
 * A stochastic evaluation is not offered here: agentScheduler always acts greedily.
 */
import { agentScheduler } from '../agents/agentScheduler';
import type { Agent } from '../agents/types';
import { ClusterEnv } from '../env/clusterEnv';
import { REWARDS, type RewardName } from '../env/rewards';
import { clusterTotals, type ClusterSpec } from '../cluster/spec';
import { presetCluster } from '../cluster/presets';
import { simulate } from '../sim/simulator';
import { summarize } from '../metrics';
import { UsageError } from '../util/errors';
import { embeddedDefaultWorkload } from '../workload/generators';
import type { Job } from '../workload/job';
import type { HeldOutEval, TrainTask } from './task';
import { checkDurationSource, type DurationSource } from '../predict/source';

export interface ClusterSetting {
  /** presetCluster name (uniform:<nodes>x<gpus>, philly:<vc>, …). */
  cluster: string;
  /** Jobs per workload (episode). */
  jobs: number;
  /** Offered load of each workload on the cluster's GPUs. */
  targetLoad: number;
  /** Waiting jobs visible to the agent. */
  window: number;
  reward: RewardName;
  /**
   * Durations the observation and reward use: a predictor (default `history`, submit-time
   * predictions from finished jobs) or `oracle` (true durations: label the results oracle).
   */
  durations: DurationSource;
  /** Decisions per training episode before truncation. */
  maxSteps: number;
  trainSeedBase: number;
  numTrainSets: number;
  heldOutSeedBase: number;
  numHeldOutSets: number;
}

export const CLUSTER_SETTING: Readonly<ClusterSetting> = Object.freeze({
  cluster: 'uniform:4x4',
  jobs: 60,
  targetLoad: 0.8,
  window: 10,
  reward: 'slowdown' as RewardName,
  durations: 'history' as DurationSource,
  maxSteps: 5000,
  trainSeedBase: 1000,
  numTrainSets: 50,
  heldOutSeedBase: 900_000,
  numHeldOutSets: 20,
});

export function resolveClusterSetting(overrides: Record<string, unknown> = {}): ClusterSetting {
  const s: ClusterSetting = { ...CLUSTER_SETTING };
  for (const [k, v] of Object.entries(overrides)) {
    if (!(k in s)) throw new UsageError(`cluster setting: unknown key '${k}' (known: ${Object.keys(s).join(', ')})`);
    const want = typeof (CLUSTER_SETTING as unknown as Record<string, unknown>)[k];
    if (typeof v !== want) throw new UsageError(`cluster setting: '${k}' must be a ${want}`);
    (s as unknown as Record<string, unknown>)[k] = v;
  }
  if (!REWARDS.includes(s.reward)) throw new UsageError(`cluster setting: reward must be one of ${REWARDS.join(', ')}`);
  checkDurationSource(s.durations, 'cluster setting');
  const overlap =
    s.trainSeedBase < s.heldOutSeedBase + s.numHeldOutSets && s.heldOutSeedBase < s.trainSeedBase + s.numTrainSets;
  if (overlap)
    throw new UsageError('cluster setting: training and held-out seed ranges overlap (train/test separation)');
  return s;
}

/** The jobs of one workload seed (Philly shape, only job sizes that fit the cluster). */
export function clusterWorkload(s: ClusterSetting, cluster: ClusterSpec, seed: number): readonly Job[] {
  const capacityGpus = clusterTotals(cluster).gpus;
  return embeddedDefaultWorkload(seed, { jobs: s.jobs, capacityGpus, targetLoad: s.targetLoad }).workload.jobs;
}

/** Mean slowdown of `agent` pooled over the held-out workloads (greedy). */
export function evaluateClusterAgent(
  agent: Agent,
  s: ClusterSetting,
  cluster: ClusterSpec,
  heldOut: readonly (readonly Job[])[],
): HeldOutEval {
  const maxNodeGpus = clusterTotals(cluster).maxNodeGpus;
  let sum = 0;
  let n = 0;
  let unfinished = 0;
  for (const jobs of heldOut) {
    const result = simulate(
      jobs,
      cluster,
      agentScheduler(agent, s.window, maxNodeGpus, undefined, undefined, s.durations),
      { oversize: 'reject' },
    );
    const sm = summarize(result);
    const counted = sm.finished - sm.slowdownExcluded;
    sum += sm.slowdownMean * counted;
    n += counted;
    unfinished += sm.jobs - sm.finished;
  }
  return { meanSlowdown: n > 0 ? sum / n : NaN, details: { workloads: heldOut.length, jobsCounted: n, unfinished } };
}

export function makeClusterTask(overrides: Record<string, unknown> = {}): TrainTask {
  const s = resolveClusterSetting(overrides);
  const cluster = presetCluster(s.cluster);
  const train = (seed: number): readonly Job[] => {
    const k = ((seed % s.numTrainSets) + s.numTrainSets) % s.numTrainSets;
    return clusterWorkload(s, cluster, s.trainSeedBase + k);
  };
  const heldOut = Array.from({ length: s.numHeldOutSets }, (_, k) =>
    clusterWorkload(s, cluster, s.heldOutSeedBase + k),
  );
  return {
    env: 'cluster',
    setting: { ...s },
    numTrainSets: s.numTrainSets,
    makeTrainEnv: () =>
      new ClusterEnv({
        cluster,
        jobsForSeed: train,
        window: s.window,
        reward: s.reward,
        maxSteps: s.maxSteps,
        durations: s.durations,
      }),
    stochasticEval: false,
    evaluate: (agent) => evaluateClusterAgent(agent, s, cluster, heldOut),
  };
}
