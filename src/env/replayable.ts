/**
 * Exact snapshots of an environment in the middle of an episode, without asking the env to
 * serialise itself: an episode is a pure function of (the state the env carries between
 * episodes, the reset seed, the actions taken since), so recording those three and replaying
 * them on a fresh env restores it exactly. Training loops use this to checkpoint mid-episode
 * (issue 7: kill-and-resume must equal an uninterrupted run).
 *
 * Why replay and not per-env serialisation: every env (DeepRM, cluster, RLScheduler, toys)
 * gets exact resume for free, and an env that is not a pure function of those inputs is
 * caught — the snapshot keeps a hash of the current observation and action mask, and
 * `restore` refuses a replay that does not reproduce it.
 * Cost: one Int32 per step of the current episode; replay time ∝ episode length.
 */
import type { Env, ResetResult, StepResult } from './types';

/** A recorded env position (JSON-able but for `actions`, which checkpoints store as an array). */
export interface EnvSnapshot {
  /** env.saveCarriedState() taken just before the current episode's reset (null: none). */
  carried: unknown;
  /** Seed of the current episode's reset. */
  seed: number;
  /** Actions taken since that reset. */
  actions: Int32Array;
  /** FNV-1a hash of the current observation and action mask (checked after a replay). */
  check: number;
}

/** FNV-1a over the bytes of the observation and the mask. */
export function observationHash(obs: Float32Array, mask: Uint8Array): number {
  let h = 0x811c9dc5;
  const bytes = new Uint8Array(obs.buffer, obs.byteOffset, obs.byteLength);
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  for (let i = 0; i < mask.length; i++) h = Math.imul(h ^ mask[i], 0x01000193);
  return h >>> 0;
}

export class ReplayableEnv implements Env {
  readonly observationSize: number;
  readonly numActions: number;
  readonly observationShape?: readonly number[];
  private log = new Int32Array(256);
  private n = 0;
  private seed = 0;
  private carried: unknown = null;
  private last: ResetResult | null = null;

  constructor(readonly inner: Env) {
    this.observationSize = inner.observationSize;
    this.numActions = inner.numActions;
    this.observationShape = inner.observationShape;
  }

  reset(seed = 0): ResetResult {
    this.carried = this.inner.saveCarriedState?.() ?? null;
    this.seed = seed;
    this.n = 0;
    const r = this.inner.reset(seed);
    this.last = r;
    return r;
  }

  step(action: number): StepResult {
    if (this.n === this.log.length) {
      const grown = new Int32Array(this.log.length * 2);
      grown.set(this.log);
      this.log = grown;
    }
    this.log[this.n++] = action;
    const r = this.inner.step(action);
    this.last = r;
    return r;
  }

  saveCarriedState(): unknown {
    return this.inner.saveCarriedState?.();
  }

  loadCarriedState(state: unknown): void {
    this.inner.loadCarriedState?.(state);
  }

  /** Where the env is now (copies the action log). */
  snapshot(): EnvSnapshot {
    if (!this.last) throw new Error('ReplayableEnv.snapshot: the env was never reset');
    return {
      carried: this.carried,
      seed: this.seed,
      actions: this.log.slice(0, this.n),
      check: observationHash(this.last.observation, this.last.info.actionMask),
    };
  }

  /**
   * Brings the env to `s` by replay and returns its current observation and mask. Throws if
   * the replay ends an episode early or does not reproduce the recorded observation: the env
   * is then not a pure function of (carried state, seed, actions), and exact resume is impossible.
   */
  restore(s: EnvSnapshot): ResetResult {
    if (s.carried !== null && s.carried !== undefined) {
      if (!this.inner.loadCarriedState)
        throw new Error('ReplayableEnv.restore: the snapshot holds carried state but the env cannot load it');
      this.inner.loadCarriedState(s.carried);
    }
    let r: ResetResult = this.reset(s.seed);
    for (let k = 0; k < s.actions.length; k++) {
      const st = this.step(s.actions[k]);
      if ((st.terminated || st.truncated) && k < s.actions.length - 1)
        throw new Error(
          `ReplayableEnv.restore: the replayed episode ended after ${k + 1} of ${s.actions.length} actions`,
        );
      r = st;
    }
    if (observationHash(r.observation, r.info.actionMask) !== s.check)
      throw new Error(
        'ReplayableEnv.restore: replaying the recorded actions does not reproduce the saved observation ' +
          '(the env is not a pure function of its carried state, seed and actions)',
      );
    return r;
  }
}
