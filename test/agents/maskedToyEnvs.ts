/**
 * Tiny environments with known optima and adversarial action masks, for the
 * Q-learning and DQN tests. Every env counts `violations`: steps where the
 * agent chose a masked action (which must never happen).
 */
import type { Env, ResetResult, StepResult } from '../../src/env/types';
import { Rng } from '../../src/util/rng';

/**
 * Chain of `length` cells, start at 0, goal at length−1 (+1, terminated).
 * Actions: 0 = left (masked in cell 0), 1 = right, 2 = "trap" — always masked,
 * and worth +100 if ever taken, so a mask-ignoring agent would prefer it.
 * Observation: one-hot of the cell. Truncated after `maxSteps` steps.
 * Optimal Q with discount γ: Q(s, right) = γ^(L−2−s), Q(s, left) = γ^(L−s).
 */
export class ChainEnv implements Env {
  readonly observationSize: number;
  readonly numActions = 3;
  violations = 0;
  private pos = 0;
  private t = 0;
  private readonly obs: Float32Array;
  private readonly mask = new Uint8Array(3);

  constructor(
    readonly length: number,
    readonly maxSteps: number,
  ) {
    this.observationSize = length;
    this.obs = new Float32Array(length);
  }

  private fill(): void {
    this.obs.fill(0);
    this.obs[this.pos] = 1;
    this.mask[0] = this.pos > 0 ? 1 : 0;
    this.mask[1] = 1;
    this.mask[2] = 0;
  }

  reset(): ResetResult {
    this.pos = 0;
    this.t = 0;
    this.fill();
    return { observation: this.obs, info: { actionMask: this.mask } };
  }

  step(action: number): StepResult {
    if (this.mask[action] !== 1) {
      this.violations++;
      if (action === 2)
        return {
          observation: this.obs,
          reward: 100,
          terminated: true,
          truncated: false,
          info: { actionMask: this.mask },
        };
    }
    this.t++;
    this.pos = Math.max(0, Math.min(this.length - 1, this.pos + (action === 1 ? 1 : -1)));
    const terminated = this.pos === this.length - 1;
    const truncated = !terminated && this.t >= this.maxSteps;
    this.fill();
    return {
      observation: this.obs,
      reward: terminated ? 1 : 0,
      terminated,
      truncated,
      info: { actionMask: this.mask },
    };
  }
}

/**
 * One-step contextual bandit with masks. Context c (one-hot, 4 contexts) is drawn
 * at reset; reward REWARDS[c][a] is deterministic; the best action of each context
 * is masked (MASKS), so the optimum is the best *legal* one: BEST_LEGAL.
 */
export const BANDIT_REWARDS = [
  [1.0, 0.2, 0.5, 0.1],
  [0.0, 0.9, 0.3, 0.6],
  [0.4, 0.1, 1.0, 0.8],
  [0.7, 0.3, 0.2, 1.0],
];
export const BANDIT_MASKS = [
  [0, 1, 1, 1],
  [1, 0, 1, 1],
  [1, 1, 0, 1],
  [1, 1, 1, 0],
];
/** argmax over legal actions per context, and its reward. */
export const BANDIT_BEST_LEGAL = [2, 3, 3, 0];
export const BANDIT_OPTIMAL_MEAN = (0.5 + 0.6 + 0.8 + 0.7) / 4;

export class MaskedBanditEnv implements Env {
  readonly observationSize = 4;
  readonly numActions = 4;
  violations = 0;
  private c = 0;
  private rng = new Rng(0);
  private readonly obs = new Float32Array(4);
  private readonly mask = new Uint8Array(4);

  reset(seed?: number): ResetResult {
    if (seed !== undefined) this.rng = new Rng(seed);
    this.c = this.rng.int(0, 4);
    this.obs.fill(0);
    this.obs[this.c] = 1;
    this.mask.set(BANDIT_MASKS[this.c]);
    return { observation: this.obs, info: { actionMask: this.mask } };
  }

  step(action: number): StepResult {
    if (this.mask[action] !== 1) this.violations++;
    const reward = BANDIT_REWARDS[this.c][action];
    return { observation: this.obs, reward, terminated: true, truncated: false, info: { actionMask: this.mask } };
  }
}

/**
 * Random observations and a fresh random mask every step (at least one legal
 * action). Reward = action index, so high (often masked) actions look attractive.
 * Episodes are truncated after 20 steps.
 */
export class RandomMaskEnv implements Env {
  readonly observationSize = 3;
  violations = 0;
  steps = 0;
  private rng = new Rng(0);
  private t = 0;
  private readonly obs = new Float32Array(3);
  private readonly mask: Uint8Array;

  constructor(readonly numActions: number) {
    this.mask = new Uint8Array(numActions);
  }

  private draw(): void {
    for (let i = 0; i < 3; i++) this.obs[i] = this.rng.random();
    let legal = 0;
    for (let a = 0; a < this.numActions; a++) {
      this.mask[a] = this.rng.random() < 0.3 ? 1 : 0;
      legal += this.mask[a];
    }
    if (legal === 0) this.mask[this.rng.int(0, this.numActions)] = 1;
  }

  reset(seed?: number): ResetResult {
    if (seed !== undefined) this.rng = new Rng(seed);
    this.t = 0;
    this.draw();
    return { observation: this.obs, info: { actionMask: this.mask } };
  }

  step(action: number): StepResult {
    this.steps++;
    if (!(action >= 0 && action < this.numActions) || this.mask[action] !== 1) this.violations++;
    this.t++;
    this.draw();
    return {
      observation: this.obs,
      reward: action,
      terminated: false,
      truncated: this.t >= 20,
      info: { actionMask: this.mask },
    };
  }
}
