/**
 * One A3C actor-learner: its own envs and action RNG, and a snapshot of the shared parameters,
 * from which it collects an n-step rollout and computes A2C's gradient (the fused kernels of
 * src/nn/, no tfjs). The learner (a3c.ts) runs one per worker thread (a3cWorker.ts), or in the
 * calling thread for `threads: false`; both give the same numbers, since an actor is a pure
 * function of (its state, the parameters it is given).
 *
 * The actor's state between rollouts — action RNG, every env's position inside its episode
 * (ReplayableEnv), the vector env's reset counter, the running episode statistics — is returned
 * with every gradient, so the learner can checkpoint it and a resumed actor continues exactly.
 */
import type { Env } from '../env/types';
import { SyncVecEnv } from '../env/types';
import { ReplayableEnv } from '../env/replayable';
import { Rng } from '../util/rng';
import { FusedMlp, layerSlices, type FusedActivation } from '../nn/mlp';
import { SparseRows } from '../nn/sparseRows';
import { HeadScratch, policyGradientLoss, valueLoss } from '../nn/heads';
import { computeGae, normalizeAdvantages } from './gae';
import { sampleMaskedSoftmax } from './masks';
import type { A2cConfig } from './a2c';

/** What an actor needs of the run's config (structured-cloneable: it is posted to workers). */
export type A3cActorConfig = Pick<
  A2cConfig,
  'numEnvs' | 'numSteps' | 'gamma' | 'gaeLambda' | 'entCoef' | 'vfCoef' | 'normAdv'
> & {
  actorSizes: number[];
  criticSizes: number[];
  activation: FusedActivation;
};

/** An actor between two rollouts (structured-cloneable). */
export interface A3cActorState {
  rng: number[];
  vec: { baseSeed: number; episode: number };
  envs: { carried: unknown; seed: number; check: number; actions: Int32Array }[];
  episodeReturn: Float64Array;
  episodeLength: Int32Array;
}

/** How a fresh actor starts: its envs reset from `resetSeed`, its action RNG in state `rng`. */
export interface A3cActorStart {
  resetSeed: number;
  rng: number[];
}

/** One rollout's gradient, its statistics and the actor's state after it. */
export interface A3cGradient {
  /** d loss / d params, layout [actor params | critic params] (unclipped). */
  grad: Float32Array;
  /** Env steps of the rollout (numEnvs × numSteps). */
  steps: number;
  /** Sum of returns and lengths of the episodes that finished in the rollout, and their count. */
  finishedReturn: number;
  finishedLength: number;
  finished: number;
  loss: number;
  pgLoss: number;
  vLoss: number;
  entropy: number;
  state: A3cActorState;
}

/** Number of parameters of the [actor | critic] vector. */
export function a3cParamCount(cfg: Pick<A3cActorConfig, 'actorSizes' | 'criticSizes'>): number {
  return layerSlices(cfg.actorSizes).total + layerSlices(cfg.criticSizes).total;
}

export class A3cActor {
  private readonly envs: ReplayableEnv[];
  private readonly vec: SyncVecEnv;
  private readonly rng = new Rng(0);
  private readonly actor: FusedMlp;
  private readonly critic: FusedMlp;
  private readonly params: Float32Array;
  private readonly grads: Float32Array;
  private readonly rows: SparseRows;
  private readonly spare: SparseRows;
  private readonly scratch: HeadScratch;
  private readonly epReturn: Float64Array;
  private readonly epLength: Int32Array;
  // The rollout (time-major: entry t·E + i = step t of env i), allocated once.
  private readonly masks: Uint8Array;
  private readonly actions: Int32Array;
  private readonly values: Float32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Uint8Array;
  private readonly truncated: Uint8Array;
  private readonly truncValues: Float32Array;
  private readonly lastValues: Float32Array;
  private readonly advantages: Float32Array;
  private readonly returns: Float32Array;
  private readonly dLogits: Float64Array;
  private readonly dV: Float64Array;
  private readonly stepActions: Int32Array;
  private readonly iota: Int32Array;

  constructor(
    private readonly cfg: A3cActorConfig,
    makeEnv: (index: number) => Env,
  ) {
    const E = cfg.numEnvs;
    const T = cfg.numSteps;
    this.envs = Array.from({ length: E }, (_, i) => new ReplayableEnv(makeEnv(i)));
    this.vec = new SyncVecEnv(this.envs);
    const D = this.vec.observationSize;
    const A = this.vec.numActions;
    if (cfg.actorSizes[0] !== D || cfg.actorSizes[cfg.actorSizes.length - 1] !== A)
      throw new Error(`A3cActor: the actor is [${cfg.actorSizes.join(', ')}], the env has ${D} inputs, ${A} actions`);
    const na = layerSlices(cfg.actorSizes).total;
    const total = a3cParamCount(cfg);
    this.params = new Float32Array(total);
    this.grads = new Float32Array(total);
    this.actor = new FusedMlp(cfg.actorSizes, cfg.activation, [
      this.params.subarray(0, na),
      this.grads.subarray(0, na),
    ]);
    this.critic = new FusedMlp(cfg.criticSizes, cfg.activation, [this.params.subarray(na), this.grads.subarray(na)]);
    this.rows = new SparseRows(D);
    this.spare = new SparseRows(D);
    this.scratch = new HeadScratch(A);
    this.epReturn = new Float64Array(E);
    this.epLength = new Int32Array(E);
    const n = E * T;
    this.masks = new Uint8Array(n * A);
    this.actions = new Int32Array(n);
    this.values = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.terminated = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.truncValues = new Float32Array(n);
    this.lastValues = new Float32Array(E);
    this.advantages = new Float32Array(n);
    this.returns = new Float32Array(n);
    this.dLogits = new Float64Array(n * A);
    this.dV = new Float64Array(n);
    this.stepActions = new Int32Array(E);
    this.iota = Int32Array.from({ length: n }, (_, k) => k);
  }

  /** A fresh start (envs reset) or the continuation of a saved state. */
  start(from: A3cActorStart | A3cActorState): void {
    this.rng.setState(from.rng);
    if ('resetSeed' in from) {
      this.vec.reset(from.resetSeed);
      this.epReturn.fill(0);
      this.epLength.fill(0);
      return;
    }
    if (from.envs.length !== this.envs.length)
      throw new Error(`A3cActor: a state of ${from.envs.length} envs for an actor of ${this.envs.length}`);
    const current = this.envs.map((e, i) => e.restore(from.envs[i]));
    this.vec.resume(from.vec, current);
    this.epReturn.set(from.episodeReturn);
    this.epLength.set(from.episodeLength);
  }

  /** The state to continue from (copies). */
  state(): A3cActorState {
    return {
      rng: this.rng.getState(),
      vec: this.vec.resetCounter(),
      envs: this.envs.map((e) => {
        const s = e.snapshot();
        return { carried: s.carried, seed: s.seed, check: s.check, actions: Int32Array.from(s.actions) };
      }),
      episodeReturn: Float64Array.from(this.epReturn),
      episodeLength: Int32Array.from(this.epLength),
    };
  }

  /**
   * One rollout of numSteps steps in each env acting with `params`, and A2C's gradient on it:
   *   L = −mean(log π(a|s)·Â) + c_v·mean((V − R)²) − c_e·mean(H)
   * (the loss of a2c.ts's fused update, unclipped: the learner clips and applies it).
   */
  rollout(params: Float32Array): A3cGradient {
    const { cfg, vec, rows, spare, actor, critic } = this;
    const E = cfg.numEnvs;
    const T = cfg.numSteps;
    const D = vec.observationSize;
    const A = vec.numActions;
    const n = E * T;
    if (params.length !== this.params.length)
      throw new Error(`A3cActor.rollout: ${params.length} parameters, the networks have ${this.params.length}`);
    this.params.set(params);
    let finishedReturn = 0;
    let finishedLength = 0;
    let finished = 0;
    rows.clear();
    for (let t = 0; t < T; t++) {
      const base = t * E;
      this.masks.set(vec.actionMasks, base * A);
      for (let i = 0; i < E; i++) rows.push(vec.observations, i * D);
      const ids = this.iota.subarray(base, base + E);
      const v = critic.forwardRows(rows, ids, E);
      for (let i = 0; i < E; i++) this.values[base + i] = v[i];
      const logits = actor.forwardRows(rows, ids, E);
      for (let i = 0; i < E; i++) {
        const a = sampleMaskedSoftmax(logits, i * A, vec.actionMasks, i * A, A, this.rng);
        if (a < 0) throw new Error(`a3c: env ${i} offers no legal action`);
        this.stepActions[i] = a;
        this.actions[base + i] = a;
      }
      vec.step(this.stepActions);
      for (let i = 0; i < E; i++) {
        const k = base + i;
        this.rewards[k] = vec.rewards[i];
        this.terminated[k] = vec.terminated[i];
        this.truncated[k] = vec.truncated[i];
        if (vec.truncated[i] && !vec.terminated[i]) {
          spare.clear();
          spare.push(vec.finalObservations, i * D);
          this.truncValues[k] = critic.forwardRows(spare, null, 1)[0];
        }
        this.epReturn[i] += vec.rewards[i];
        this.epLength[i]++;
        if (vec.terminated[i] || vec.truncated[i]) {
          finishedReturn += this.epReturn[i];
          finishedLength += this.epLength[i];
          finished++;
          this.epReturn[i] = 0;
          this.epLength[i] = 0;
        }
      }
    }
    spare.clear();
    for (let i = 0; i < E; i++) spare.push(vec.observations, i * D);
    this.lastValues.set(critic.forwardRows(spare, null, E).subarray(0, E));
    computeGae(
      {
        numSteps: T,
        numEnvs: E,
        rewards: this.rewards,
        values: this.values,
        terminated: this.terminated,
        truncated: this.truncated,
        truncValues: this.truncValues,
        lastValues: this.lastValues,
        gamma: cfg.gamma,
        lambda: cfg.gaeLambda,
      },
      this.advantages,
      this.returns,
    );
    if (cfg.normAdv) normalizeAdvantages(this.advantages, n);

    this.grads.fill(0);
    const stats = { entropy: NaN, pgLoss: NaN };
    const logits = actor.forwardRows(rows, null, n);
    const policy = policyGradientLoss(
      logits,
      this.masks,
      this.actions,
      this.advantages,
      n,
      cfg.entCoef,
      1 / n,
      this.dLogits,
      this.scratch,
      stats,
    );
    actor.backward(this.dLogits);
    // valueLoss is ½·mean (V − R)²: A2C's mean (V − R)² is twice it, with twice the gradient.
    const v = critic.forwardRows(rows, null, n);
    const vLoss = 2 * valueLoss(v, this.returns, this.values, n, false, 0, 2 * cfg.vfCoef, this.dV);
    critic.backward(this.dV);
    return {
      grad: Float32Array.from(this.grads),
      steps: n,
      finishedReturn,
      finishedLength,
      finished,
      loss: policy + cfg.vfCoef * vLoss,
      pgLoss: stats.pgLoss,
      vLoss,
      entropy: stats.entropy,
      state: this.state(),
    };
  }
}
