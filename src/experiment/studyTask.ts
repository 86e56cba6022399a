/**
 * The training task of one study cell: ClusterEnv on a trace group's own cluster, episodes
 * drawn from the TRAINING split only (windows of consecutive jobs, arrivals scaled to the
 * study's contended load), validation on the VALIDATION split (one run of the whole split).
 * The test split is never given to the task: the study evaluates trained agents on it
 * afterwards, so nothing during training can look at it.
 */
import { agentScheduler } from '../agents/agentScheduler';
import type { Agent } from '../agents/types';
import type { ClusterSpec } from '../cluster/spec';
import { clusterTotals } from '../cluster/spec';
import { ClusterEnv } from '../env/clusterEnv';
import type { ObservationEncoder } from '../env/observation';
import type { RewardName } from '../env/rewards';
import type { DurationSource } from '../predict/source';
import type { Env, ResetResult, StepResult } from '../env/types';
import type { Job } from '../workload/job';
import { runJobs, scoreRun } from './studyEval';
import type { HeldOutEval, TrainTask } from './task';

export interface StudyTaskSetting {
  cluster: ClusterSpec;
  /** Training episodes (already scaled and rebased). */
  episodes: readonly (readonly Job[])[];
  /** The validation split (scaled and rebased). */
  validation: readonly Job[];
  window: number;
  reward: RewardName;
  maxSteps: number;
  encoder: ObservationEncoder;
  /** Durations the observation believes: predictions, or `oracle` for an oracle-labelled observation. */
  durations: DurationSource;
  /**
   * Constant factor on every reward. The 'jct' reward of a contended VC is −(jobs in system) × hours,
   * O(100) per decision; scaling keeps value targets O(1) and leaves the optimal policy unchanged.
   */
  rewardScale: number;
  /** What the manifest records about the setting. */
  describe: Record<string, unknown>;
}

/** Greedy agent on `jobs`: mean JCT (h) as the validation score (lower is better). */
export function validateOn(
  agent: Agent,
  jobs: readonly Job[],
  s: Pick<StudyTaskSetting, 'cluster' | 'window' | 'encoder' | 'durations'>,
): HeldOutEval {
  const end = jobs.reduce((m, j) => Math.max(m, j.submit), 0);
  const maxNodeGpus = clusterTotals(s.cluster).maxNodeGpus;
  const sched = agentScheduler(agent, s.window, maxNodeGpus, `agent:${agent.name}`, s.encoder, s.durations);
  const m = scoreRun(runJobs(jobs, s.cluster, sched, 0), end).metrics;
  // HeldOutEval's field is named meanSlowdown (the DeepRM tasks' score); here it carries the
  // study's criterion, mean JCT in hours; the details say so.
  return {
    meanSlowdown: m.jctMean / 3600,
    details: { jctMeanHours: m.jctMean / 3600, bsldMean: m.bsldMean, unfinished: m.jobs - m.finished - m.rejected },
  };
}

/** An Env whose rewards are multiplied by a constant (episodeReward in info too). */
class ScaledRewardEnv implements Env {
  readonly observationSize: number;
  readonly numActions: number;
  constructor(
    private readonly inner: Env,
    private readonly scale: number,
  ) {
    this.observationSize = inner.observationSize;
    this.numActions = inner.numActions;
  }
  reset(seed?: number): ResetResult {
    return this.inner.reset(seed);
  }
  step(action: number): StepResult {
    const r = this.inner.step(action);
    r.reward *= this.scale;
    if (typeof r.info.episodeReward === 'number') r.info.episodeReward *= this.scale;
    return r;
  }
}

export function makeStudyTask(s: StudyTaskSetting): TrainTask {
  if (s.episodes.length === 0) throw new RangeError('study task: no training episodes');
  const n = s.episodes.length;
  return {
    env: 'cluster',
    setting: {
      ...s.describe,
      window: s.window,
      reward: s.reward,
      rewardScale: s.rewardScale,
      maxSteps: s.maxSteps,
      observation: s.encoder.name,
      durations: s.durations,
    },
    numTrainSets: n,
    makeTrainEnv: () =>
      new ScaledRewardEnv(
        new ClusterEnv({
          cluster: s.cluster,
          jobsForSeed: (seed) => s.episodes[((seed % n) + n) % n],
          window: s.window,
          reward: s.reward,
          maxSteps: s.maxSteps,
          encoder: s.encoder,
          durations: s.durations,
        }),
        s.rewardScale,
      ),
    stochasticEval: false,
    validate: (agent) => validateOn(agent, s.validation, s),
    evaluate: () => {
      throw new Error('study task: the test split is evaluated by the study after training, never by the trainer');
    },
  };
}
