import type { Env, ResetResult, StepInfo, StepResult } from './types';
import { windowEncoder, type ObservationEncoder } from './observation';
import { RewardAccumulator, type RewardName } from './rewards';
import type { ClusterSpec } from '../cluster/spec';
import { clusterTotals } from '../cluster/spec';
import type { PlacementName } from '../sim/placement';
import type { Scheduler } from '../sim/scheduler';
import { Simulator } from '../sim/simulator';
import type { Job } from '../workload/job';
import { DEFAULT_DURATION_SOURCE, DurationBelief, type DurationSource } from '../predict/source';

export interface ClusterEnvConfig {
  cluster: ClusterSpec;
  /** Job sequence of an episode, from its seed (e.g. a generator or a slice of a trace). */
  jobsForSeed: (seed: number) => readonly Job[];
  /** Waiting jobs visible to the agent (actions 0..K-1 start slot k; action K waits). */
  window?: number;
  reward?: RewardName;
  /** Decisions per episode before truncation. */
  maxSteps?: number;
  placement?: PlacementName;
  /** Observation encoding (default: windowEncoder). */
  encoder?: ObservationEncoder;
  /**
   * Job durations the observation and the slowdown / bsld rewards use: a predictor name
   * (default `history`: made at submit time from finished jobs only, src/predict/) or
   * `oracle` — the true durations, which a real scheduler does not have; label results so.
   */
  durations?: DurationSource;
}

/** Placeholder policy: the environment, not a scheduler, makes the decisions. */
const DRIVEN: Scheduler = { name: 'env', preemptive: false, reset() {}, schedule() {} };

/**
 * Gymnasium-style environment over the cluster simulator. A decision point is an
 * instant with events (arrivals, completions). At a decision point the agent may start
 * any fitting job of the window (time does not move, as in DeepRM) or wait, which
 * advances the simulation to the next event and earns that interval's reward.
 * Waiting is masked when nothing runs and some window job fits.
 */
export class ClusterEnv implements Env {
  readonly observationSize: number;
  readonly numActions: number;
  readonly window: number;
  private readonly cfg: Required<Omit<ClusterEnvConfig, 'placement'>> & { placement?: PlacementName };
  private readonly encoder: ObservationEncoder;
  private readonly maxNodeGpus: number;
  private readonly obs: Float32Array;
  private readonly mask: Uint8Array;
  private readonly slots: Int32Array;
  private readonly info: StepInfo;
  private readonly belief: DurationBelief;
  private readonly rewards: RewardAccumulator;
  private sim!: Simulator;
  private steps = 0;
  private episodeReward = 0;

  constructor(cfg: ClusterEnvConfig) {
    this.cfg = {
      window: 10,
      reward: 'slowdown',
      maxSteps: 100_000,
      encoder: windowEncoder,
      durations: DEFAULT_DURATION_SOURCE,
      ...cfg,
    };
    this.belief = new DurationBelief(this.cfg.durations);
    this.rewards = new RewardAccumulator(this.cfg.reward);
    this.encoder = this.cfg.encoder;
    this.window = this.cfg.window;
    this.numActions = this.window + 1;
    this.observationSize = this.encoder.size(this.window);
    this.maxNodeGpus = clusterTotals(cfg.cluster).maxNodeGpus;
    this.obs = new Float32Array(this.observationSize);
    this.mask = new Uint8Array(this.numActions);
    this.slots = new Int32Array(this.window);
    this.info = { actionMask: this.mask, now: 0, jobIndex: -1 };
  }

  /** Believed duration per job of the current episode (what observation and reward use). */
  get believedDurations(): Float64Array {
    return this.belief.values;
  }

  /** True when observation and reward read true durations (durations: 'oracle'). */
  get oracle(): boolean {
    return this.belief.oracle;
  }

  /** The simulator of the current episode (e.g. to read its result at the end). */
  get simulator(): Simulator {
    return this.sim;
  }

  reset(seed = 0): ResetResult {
    const jobs = this.cfg.jobsForSeed(seed);
    this.sim = new Simulator(jobs, this.cfg.cluster, DRIVEN, {
      placement: this.cfg.placement,
      oversize: 'reject',
      seed,
    });
    // The env is the harness (it owns the true jobs); only the oracle source reads their durations.
    this.belief.resetOracle(jobs);
    this.rewards.reset(jobs.length);
    this.steps = 0;
    this.episodeReward = 0;
    if (!this.sim.nextDecision()) return { observation: this.encode(), info: this.info };
    return { observation: this.encode(), info: this.info };
  }

  private encode(): Float32Array {
    // Learn from completions and predict arrivals of this decision point (idempotent within it).
    this.belief.update(this.sim);
    this.rewards.update(this.sim, this.belief.values);
    this.encoder.encode(this.sim, this.window, this.maxNodeGpus, this.obs, this.mask, this.slots, this.belief.values);
    // Idling an empty cluster while a job fits is never useful and could stall an episode:
    // waiting is masked then (the same rule agentScheduler applies).
    if (this.sim.runningCount === 0) {
      let any = 0;
      for (let k = 0; k < this.window; k++) any |= this.mask[k];
      if (any) this.mask[this.window] = 0;
    }
    this.info.now = this.sim.now;
    return this.obs;
  }

  step(action: number): StepResult {
    if (!(action >= 0 && action < this.numActions) || this.mask[action] === 0)
      throw new Error(
        `ClusterEnv.step: action ${action} is masked or out of range (mask ${Array.from(this.mask).join('')})`,
      );
    this.steps++;
    let reward = 0;
    let terminated = false;
    if (action < this.window) {
      const j = this.slots[action];
      this.sim.tryStart(j);
      this.info.jobIndex = j;
    } else {
      this.info.jobIndex = -1;
      this.sim.endDecision();
      const t0 = this.sim.now;
      const t1 = this.sim.nextEventTime();
      if (t1 !== Infinity) reward = this.rewards.reward(this.sim, t1 - t0);
      terminated = !this.sim.nextDecision();
    }
    this.episodeReward += reward;
    const truncated = !terminated && this.steps >= this.cfg.maxSteps;
    const observation = this.encode();
    this.info.episodeReward = this.episodeReward;
    return { observation, reward, terminated, truncated, info: this.info };
  }
}
