/**
 * The environment contract, Gymnasium-shaped.
 *
 * For speed, `observation` and `info.actionMask` are buffers owned by the env and
 * overwritten by the next `reset`/`step`: copy them if you keep them.
 */
export interface StepInfo {
  /** 1 = the action is legal now, 0 = masked. Always present, length = numActions. */
  actionMask: Uint8Array;
  [key: string]: unknown;
}

export interface ResetResult {
  observation: Float32Array;
  info: StepInfo;
}

export interface StepResult {
  observation: Float32Array;
  reward: number;
  /** The episode reached a terminal state of the MDP. */
  terminated: boolean;
  /** The episode was cut (step cap, time limit) without reaching a terminal state. */
  truncated: boolean;
  info: StepInfo;
}

export interface Env {
  /** Length of the flat observation vector. */
  readonly observationSize: number;
  /** Optional shape of the observation (e.g. [rows, cols] for an image). */
  readonly observationShape?: readonly number[];
  readonly numActions: number;
  reset(seed?: number): ResetResult;
  step(action: number): StepResult;
  /**
   * State the env carries from one episode to the next (e.g. DeepRM's colour RNG),
   * JSON-able, so a resumed training run continues exactly. Omitted = none.
   */
  saveCarriedState?(): unknown;
  loadCarriedState?(state: unknown): void;
}

/**
 * N environments stepped together. Observations are batched into one
 * Float32Array (numEnvs × observationSize) so an agent does one forward pass.
 * Finished sub-environments reset automatically; `terminated`/`truncated` report
 * the step that ended, and `observations` already holds the new episode's first one.
 */
export interface VecEnv {
  readonly numEnvs: number;
  readonly observationSize: number;
  readonly numActions: number;
  readonly observations: Float32Array;
  /** numEnvs × numActions. */
  readonly actionMasks: Uint8Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /**
   * For rows whose episode just ended: the last observation / mask of that episode
   * (before the automatic reset), so truncated episodes can be bootstrapped. Optional.
   */
  readonly finalObservations?: Float32Array;
  readonly finalActionMasks?: Uint8Array;
  reset(seed?: number): void;
  step(actions: Int32Array): void;
}

/** Builds VecEnv from env factories (the simple synchronous form). */
export class SyncVecEnv implements VecEnv {
  readonly numEnvs: number;
  readonly observationSize: number;
  readonly numActions: number;
  readonly observations: Float32Array;
  readonly actionMasks: Uint8Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly finalObservations: Float32Array;
  readonly finalActionMasks: Uint8Array;
  private readonly envs: Env[];
  private episode = 0;
  private baseSeed = 0;

  constructor(envs: Env[]) {
    if (envs.length === 0) throw new Error('SyncVecEnv needs at least one env');
    this.envs = envs;
    this.numEnvs = envs.length;
    this.observationSize = envs[0].observationSize;
    this.numActions = envs[0].numActions;
    this.observations = new Float32Array(this.numEnvs * this.observationSize);
    this.actionMasks = new Uint8Array(this.numEnvs * this.numActions);
    this.rewards = new Float32Array(this.numEnvs);
    this.terminated = new Uint8Array(this.numEnvs);
    this.truncated = new Uint8Array(this.numEnvs);
    this.finalObservations = new Float32Array(this.numEnvs * this.observationSize);
    this.finalActionMasks = new Uint8Array(this.numEnvs * this.numActions);
  }

  private write(i: number, obs: Float32Array, mask: Uint8Array): void {
    this.observations.set(obs, i * this.observationSize);
    this.actionMasks.set(mask, i * this.numActions);
  }

  reset(seed = 0): void {
    this.baseSeed = seed;
    this.episode = 0;
    for (let i = 0; i < this.numEnvs; i++) {
      const r = this.envs[i].reset(seed + i);
      this.write(i, r.observation, r.info.actionMask);
    }
    this.episode = this.numEnvs;
  }

  /** The seeds of the automatic resets so far (for checkpoints; see `resume`). */
  resetCounter(): { baseSeed: number; episode: number } {
    return { baseSeed: this.baseSeed, episode: this.episode };
  }

  /**
   * Continue a saved run: the reset counter as `resetCounter()` returned it, and each env's
   * current observation and mask (its envs already restored, e.g. by ReplayableEnv.restore).
   */
  resume(counter: { baseSeed: number; episode: number }, current: readonly ResetResult[]): void {
    if (current.length !== this.numEnvs)
      throw new Error(`SyncVecEnv.resume: ${current.length} env states for ${this.numEnvs} envs`);
    this.baseSeed = counter.baseSeed;
    this.episode = counter.episode;
    current.forEach((r, i) => this.write(i, r.observation, r.info.actionMask));
  }

  step(actions: Int32Array): void {
    for (let i = 0; i < this.numEnvs; i++) {
      const r = this.envs[i].step(actions[i]);
      this.rewards[i] = r.reward;
      this.terminated[i] = r.terminated ? 1 : 0;
      this.truncated[i] = r.truncated ? 1 : 0;
      if (r.terminated || r.truncated) {
        this.finalObservations.set(r.observation, i * this.observationSize);
        this.finalActionMasks.set(r.info.actionMask, i * this.numActions);
        const n = this.envs[i].reset(this.baseSeed + this.episode++);
        this.write(i, n.observation, n.info.actionMask);
      } else this.write(i, r.observation, r.info.actionMask);
    }
  }
}
