/**
 * PPO (Schulman et al. 2017), following CleanRL's ppo.py, with action masks.
 *
 * Loop: collect `numSteps` steps from each of `numEnvs` synchronous envs with the
 * current policy → GAE(λ) advantages and returns (bootstrapping truncated
 * episodes with V(final observation)) → `updateEpochs` passes over the rollout in
 * `numMinibatches` shuffled minibatches, minimising
 *     L = −min(r·Â, clip(r, 1±ε)·Â) + c_v · ½ max((V−R)², (V_clip−R)²) − c_e · H
 * where r = π(a|s)/π_old(a|s), Â = per-minibatch normalised advantage,
 * V_clip = V_old + clip(V − V_old, ±ε). Separate actor and critic MLPs, one Adam.
 * The policy is the softmax over legal actions only (masked in acting and in
 * log π / entropy), so a masked action is never chosen.
 */
import { tf } from '../tf/tf';
import type { Env } from '../env/types';
import { UsageError } from '../util/errors';
import { type Mlp, Optimizer, trainStep, maskTensor, maskedLogSoftmax, pickColumns } from './nn';
import type { PolicyAgent } from './fastpath';
import { ppoPolicyLoss, valueLoss, type PpoPolicyStats } from '../nn/heads';
import {
  type FusedParts,
  type Minibatch,
  type OnPolicyAlgorithm,
  type OnPolicyConfig,
  type OnPolicyParts,
  type RolloutBuffer,
  actorCriticForward,
  normalizeAdvantages,
  trainOnPolicy,
} from './onPolicy';
import type { TrainOptions } from './types';

export interface PpoConfig extends OnPolicyConfig {
  /** Total environment steps (all envs together). */
  totalSteps: number;
  numEnvs: number;
  /** Steps per env per rollout. */
  numSteps: number;
  gamma: number;
  /** GAE λ. */
  gaeLambda: number;
  numMinibatches: number;
  /** Passes over each rollout. */
  updateEpochs: number;
  /** Surrogate clipping ε (also used for the value clipping). */
  clipCoef: number;
  clipValueLoss: boolean;
  /** Normalise advantages per minibatch. */
  normAdv: boolean;
  entCoef: number;
  vfCoef: number;
  maxGradNorm: number;
  /** Adam learning rate, linearly annealed to 0 when annealLr. */
  lr: number;
  annealLr: boolean;
  adamEps: number;
  /** Stop an update's epochs early once the approximate KL exceeds this (null = never). */
  targetKl: number | null;
  hiddenSizes: number[];
  /**
   * > 1: the policy is a kernel network (RLScheduler): one MLP with hiddenSizes scores each of
   * kernelRows observation rows (e.g. 128 jobs × 8 features) and the scores are the logits. 1 = a
   * plain MLP over the whole observation. The value network is always a plain MLP.
   */
  kernelRows: number;
  activation: 'relu' | 'tanh';
  /** Write a checkpoint every this many updates (when checkpointDir is set). */
  checkpointEvery: number;
  /**
   * Behaviour-cloning warm start (0 = off): before the first update, collect this many steps
   * acting with the env's `info.expertAction` and fit the policy to those actions (masked
   * cross-entropy, `bcEpochs` passes, minibatches of the PPO size, a separate Adam at `lr`).
   * Needs an env that reports `expertAction` (RlschedEnv with `expert`).
   */
  bcSteps: number;
  bcEpochs: number;
}

/** CleanRL ppo.py defaults (orthogonal init replaced by Glorot; policy head × 0.01). */
export const PPO_DEFAULTS: Readonly<PpoConfig> = Object.freeze<PpoConfig>({
  totalSteps: 500_000,
  numEnvs: 4,
  numSteps: 128,
  gamma: 0.99,
  gaeLambda: 0.95,
  numMinibatches: 4,
  updateEpochs: 4,
  clipCoef: 0.2,
  clipValueLoss: true,
  normAdv: true,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  lr: 2.5e-4,
  annealLr: true,
  adamEps: 1e-5,
  targetKl: null,
  hiddenSizes: [64, 64],
  kernelRows: 1,
  activation: 'tanh',
  checkpointEvery: 10,
  bcSteps: 0,
  bcEpochs: 4,
  trainBackend: 'auto',
});

export const PPO: OnPolicyAlgorithm<PpoConfig> = {
  name: 'ppo',
  storesLogProbs: true,
  validate: (cfg) => {
    if (Math.floor((cfg.numEnvs * cfg.numSteps) / cfg.numMinibatches) < 1)
      throw new UsageError('ppo: numEnvs·numSteps must be ≥ numMinibatches');
  },
  optimizer: (cfg) => ({ kind: 'adam', lr: cfg.lr, eps: cfg.adamEps }),
  // Reported with every iteration (NaN when off), so the curve has the same columns either way.
  warmStart: (p) => (p.cfg.bcSteps > 0 ? behaviourClone(p) : { bcLoss: NaN, bcAccuracy: NaN }),
  update: ({ cfg, actor, critic, opt, rng }, buf, update, numUpdates) => {
    if (cfg.annealLr) opt.lr = cfg.lr * (1 - update / numUpdates);
    const mbSize = Math.floor(buf.size / cfg.numMinibatches);
    const mb = buf.minibatch(mbSize);
    let last = { loss: NaN, pgLoss: NaN, vLoss: NaN, entropy: NaN, approxKl: NaN, clipFrac: NaN };
    for (let epoch = 0; epoch < cfg.updateEpochs; epoch++) {
      mb.epoch(rng, (m) => {
        if (cfg.normAdv) normalizeAdvantages(m.advantages, mbSize);
        const r = trainStep(opt, () => ppoLoss(actor, critic, cfg, m, mbSize, buf.numActions), cfg.maxGradNorm);
        last = {
          loss: r.loss,
          pgLoss: r.metrics.pgLoss,
          vLoss: r.metrics.vLoss,
          entropy: r.metrics.entropy,
          approxKl: r.metrics.approxKl,
          clipFrac: r.metrics.clipFrac,
        };
      });
      if (cfg.targetKl !== null && last.approxKl > cfg.targetKl) break;
    }
    return { lr: opt.lr, ...last };
  },
  updateFused: ppoUpdateFused,
};

/**
 * PPO.update on the fused kernels: the same epochs, shuffles (same RNG draws), minibatches,
 * losses, clipping and Adam step, on the sparse rows the rollout stored.
 */
function ppoUpdateFused(
  { cfg, fused, rng }: FusedParts<PpoConfig>,
  buf: RolloutBuffer,
  update: number,
  numUpdates: number,
): Record<string, number> {
  const opt = fused.opt;
  if (cfg.annealLr) opt.lr = cfg.lr * (1 - update / numUpdates);
  const n = Math.floor(buf.size / cfg.numMinibatches);
  const mb = buf.minibatch(n);
  const { dLogits, dV } = fused.lossBuffers(n);
  const stats: PpoPolicyStats = { pgLoss: NaN, entropy: NaN, approxKl: NaN, clipFrac: NaN };
  let last = { loss: NaN, pgLoss: NaN, vLoss: NaN, entropy: NaN, approxKl: NaN, clipFrac: NaN };
  for (let epoch = 0; epoch < cfg.updateEpochs; epoch++) {
    mb.epoch(rng, (m) => {
      if (cfg.normAdv) normalizeAdvantages(m.advantages, n);
      fused.zeroGrad();
      const logits = fused.actor.forwardRows(fused.rows, m.ids, n);
      const policy = ppoPolicyLoss(
        logits,
        m.masks,
        m.actions,
        m.logps,
        m.advantages,
        n,
        cfg.clipCoef,
        cfg.entCoef,
        dLogits,
        fused.scratch,
        stats,
      );
      fused.actor.backward(dLogits);
      const v = fused.critic.forwardRows(fused.rows, m.ids, n);
      const vLoss = valueLoss(v, m.returns, m.values, n, cfg.clipValueLoss, cfg.clipCoef, cfg.vfCoef, dV);
      fused.critic.backward(dV);
      fused.step(cfg.maxGradNorm);
      last = {
        loss: policy + cfg.vfCoef * vLoss,
        pgLoss: stats.pgLoss,
        vLoss,
        entropy: stats.entropy,
        approxKl: stats.approxKl,
        clipFrac: stats.clipFrac,
      };
    });
    if (cfg.targetKl !== null && last.approxKl > cfg.targetKl) break;
  }
  return { lr: opt.lr, ...last };
}

/** The clipped surrogate + (clipped) value loss − entropy bonus on one minibatch. */
function ppoLoss(
  actor: Mlp,
  critic: Mlp,
  cfg: PpoConfig,
  m: Minibatch,
  n: number,
  numActions: number,
): { loss: tf.Scalar; metrics: Record<string, tf.Scalar> } {
  const { logp, value: v, entropy } = actorCriticForward(actor, critic, m.obs, m.masks, m.actions, n, numActions);
  const logRatio = tf.sub(logp, tf.tensor1d(m.logps));
  const ratio = tf.exp(logRatio);
  const adv = tf.tensor1d(m.advantages);
  const pg1 = tf.mul(tf.neg(adv), ratio);
  const pg2 = tf.mul(tf.neg(adv), tf.clipByValue(ratio, 1 - cfg.clipCoef, 1 + cfg.clipCoef));
  const pgLoss = tf.mean(tf.maximum(pg1, pg2));
  const ret = tf.tensor1d(m.returns);
  let vLoss: tf.Tensor;
  if (cfg.clipValueLoss) {
    const oldV = tf.tensor1d(m.values);
    const vClipped = tf.add(oldV, tf.clipByValue(tf.sub(v, oldV), -cfg.clipCoef, cfg.clipCoef));
    vLoss = tf.mul(0.5, tf.mean(tf.maximum(tf.square(tf.sub(v, ret)), tf.square(tf.sub(vClipped, ret)))));
  } else vLoss = tf.mul(0.5, tf.mean(tf.square(tf.sub(v, ret))));
  const loss = tf.add(tf.sub(pgLoss, tf.mul(cfg.entCoef, entropy)), tf.mul(cfg.vfCoef, vLoss)) as tf.Scalar;
  return {
    loss,
    metrics: {
      pgLoss: pgLoss as tf.Scalar,
      vLoss: vLoss as tf.Scalar,
      entropy,
      // k3 estimator of KL(old‖new): E[(r − 1) − log r]
      approxKl: tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)) as tf.Scalar,
      clipFrac: tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), cfg.clipCoef), 'float32')) as tf.Scalar,
    },
  };
}

export function trainPpo(
  makeEnv: (index: number) => Env,
  config: Partial<PpoConfig>,
  opts: TrainOptions,
): Promise<PolicyAgent> {
  return trainOnPolicy(PPO, makeEnv, { ...PPO_DEFAULTS, ...config }, opts);
}

/**
 * Behaviour cloning (cfg.bcSteps > 0): roll out the env's expert, then fit the actor to its actions
 * by masked cross-entropy. Returns the last minibatch loss and the greedy agreement on the data.
 */
function behaviourClone({ cfg, vec, envs, actor, agent, rng, seed }: OnPolicyParts<PpoConfig>): {
  bcLoss: number;
  bcAccuracy: number;
} {
  const mbSize = Math.floor((cfg.numEnvs * cfg.numSteps) / cfg.numMinibatches);
  const N = vec.numEnvs;
  const D = vec.observationSize;
  const A = vec.numActions;
  const T = Math.ceil(cfg.bcSteps / N);
  const n = T * N;
  const obs = new Float32Array(n * D);
  const masks = new Uint8Array(n * A);
  const acts = new Int32Array(n);
  const step = new Int32Array(N);
  vec.reset(seed + 1_000_000_007);
  for (let t = 0; t < T; t++) {
    obs.set(vec.observations, t * N * D);
    masks.set(vec.actionMasks, t * N * A);
    for (let i = 0; i < N; i++) {
      const a = envs[i].expert;
      if (a < 0) throw new UsageError('ppo: bcSteps > 0 needs an env that reports info.expertAction');
      step[i] = a;
      acts[t * N + i] = a;
    }
    vec.step(step);
  }
  const opt = new Optimizer(actor.variables, { kind: 'adam', lr: cfg.lr, eps: cfg.adamEps });
  const order = new Int32Array(n).map((_, i) => i);
  const mbObs = new Float32Array(mbSize * D);
  const mbMask = new Uint8Array(mbSize * A);
  const mbAct = new Int32Array(mbSize);
  let loss = NaN;
  for (let epoch = 0; epoch < cfg.bcEpochs; epoch++) {
    rng.shuffle(order);
    for (let start = 0; start + mbSize <= n; start += mbSize) {
      for (let j = 0; j < mbSize; j++) {
        const k = order[start + j];
        mbObs.set(obs.subarray(k * D, (k + 1) * D), j * D);
        mbMask.set(masks.subarray(k * A, (k + 1) * A), j * A);
        mbAct[j] = acts[k];
      }
      loss = trainStep(
        opt,
        () => {
          const logits = actor.forward(tf.tensor2d(mbObs, [mbSize, D]));
          const logp = pickColumns(maskedLogSoftmax(logits, maskTensor(mbMask, mbSize, A)), mbAct);
          return { loss: tf.neg(tf.mean(logp)) as tf.Scalar, metrics: {} };
        },
        cfg.maxGradNorm,
      ).loss;
    }
  }
  opt.dispose();
  agent.sync();
  let agree = 0;
  for (let k = 0; k < n; k++)
    if (agent.act(obs.subarray(k * D, (k + 1) * D), masks.subarray(k * A, (k + 1) * A), true) === acts[k]) agree++;
  return { bcLoss: loss, bcAccuracy: agree / n };
}
