/**
 * Tiny environments with a known optimum, for testing the agents.
 * Both make `reset(seed)` deterministic: the same seed replays the same episode
 * data (as DeepRM's job sets do), so REINFORCE's job-set baseline is meaningful.
 */
import type { Env, ResetResult, StepResult } from '../../src/env/types';
import { Rng } from '../../src/util/rng';

/**
 * One-step contextual bandit with action masks. The observation is a one-hot
 * context out of 3 followed by the 4-entry action mask (as a DeepRM image shows
 * which slots are empty); reward(c, a) = REWARDS[c][a]; each action is legal
 * with probability 0.5 (at least one always is). The optimal policy picks the
 * best legal action.
 */
export class MaskedBandit implements Env {
  static readonly REWARDS = [
    [1.0, 0.2, 0.0, 0.5],
    [0.0, 1.0, 0.3, 0.6],
    [0.4, 0.0, 1.0, 0.2],
  ];
  readonly observationSize = 7;
  readonly numActions = 4;
  context = 0;
  private rng = new Rng(0);
  private readonly obs = new Float32Array(7);
  private readonly mask = new Uint8Array(4);

  reset(seed?: number): ResetResult {
    if (seed !== undefined) this.rng = new Rng(seed);
    this.context = this.rng.int(0, 3);
    this.obs.fill(0);
    this.obs[this.context] = 1;
    let legal = 0;
    for (let a = 0; a < 4; a++) legal += this.mask[a] = this.rng.random() < 0.5 ? 1 : 0;
    if (legal === 0) this.mask[this.rng.int(0, 4)] = 1;
    for (let a = 0; a < 4; a++) this.obs[3 + a] = this.mask[a];
    return { observation: this.obs, info: { actionMask: this.mask } };
  }

  step(action: number): StepResult {
    if (this.mask[action] === 0) throw new Error(`MaskedBandit: masked action ${action}`);
    return {
      observation: this.obs,
      reward: MaskedBandit.REWARDS[this.context][action],
      terminated: true,
      truncated: false,
      info: { actionMask: this.mask },
    };
  }

  /** The best legal action for a context and mask. */
  static best(context: number, mask: Uint8Array): number {
    let best = -1;
    for (let a = 0; a < 4; a++)
      if (mask[a] && (best < 0 || MaskedBandit.REWARDS[context][a] > MaskedBandit.REWARDS[context][best])) best = a;
    return best;
  }
}

/**
 * A 5-state chain 0..4 starting at 0, observation one-hot of the position.
 * Actions: 0 = left, 1 = right, 2 = teleport (always masked). Left is masked at 0.
 * Each step costs -0.1, except the step that reaches 4, which pays +1 and
 * terminates. After `maxSteps` steps the episode is truncated.
 * Optimal return (always right): -0.1·3 + 1 = 0.7 in 4 steps.
 */
export class Chain5 implements Env {
  static readonly OPTIMAL_RETURN = 0.7;
  readonly observationSize = 5;
  readonly numActions = 3;
  pos = 0;
  t = 0;
  private readonly obs = new Float32Array(5);
  private readonly mask = new Uint8Array(3);

  constructor(readonly maxSteps = 20) {}

  private observe(): void {
    this.obs.fill(0);
    this.obs[this.pos] = 1;
    this.mask[0] = this.pos > 0 ? 1 : 0;
    this.mask[1] = 1;
    this.mask[2] = 0;
  }

  reset(): ResetResult {
    this.pos = 0;
    this.t = 0;
    this.observe();
    return { observation: this.obs, info: { actionMask: this.mask } };
  }

  step(action: number): StepResult {
    if (this.mask[action] === 0) throw new Error(`Chain5: masked action ${action}`);
    this.t++;
    this.pos += action === 1 ? 1 : -1;
    const terminated = this.pos === 4;
    const truncated = !terminated && this.t >= this.maxSteps;
    this.observe();
    return {
      observation: this.obs,
      reward: terminated ? 1 : -0.1,
      terminated,
      truncated,
      info: { actionMask: this.mask },
    };
  }
}
