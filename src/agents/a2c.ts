/**
 * A2C: synchronous advantage actor-critic (Mnih et al. 2016, the synchronous form
 * of A3C), following Stable-Baselines3's defaults, with action masks.
 *
 * On the shared on-policy core (onPolicy.ts: rollout, GAE, checkpoints, exact resume), A2C's
 * own part is ONE gradient step per rollout of numEnvs × numSteps steps on
 *     L = −mean(log π(a|s)·Â) + c_v · mean((V − R)²) − c_e · mean(H)
 * with n-step returns (GAE λ = 1 by default). Separate actor and critic MLPs, one RMSProp
 * optimizer. The policy is the softmax over legal actions only, so a masked action is never chosen.
 */
import { tf } from '../tf/tf';
import type { Env } from '../env/types';
import type { OptimizerConfig } from './nn';
import { trainStep } from './nn';
import type { PolicyAgent } from './fastpath';
import { policyGradientLoss, valueLoss } from '../nn/heads';
import {
  type FusedParts,
  type OnPolicyAlgorithm,
  type RolloutBuffer,
  type OnPolicyConfig,
  actorCriticForward,
  normalizeAdvantages,
  trainOnPolicy,
} from './onPolicy';
import type { TrainOptions } from './types';

export interface A2cConfig extends OnPolicyConfig {
  /** n of the n-step return: steps per env per update. */
  numSteps: number;
  /** 1 = plain n-step returns (A2C); < 1 = GAE. */
  gaeLambda: number;
  /** Normalise advantages over each rollout (SB3 default: off). */
  normAdv: boolean;
  /** RMSProp (SB3: lr 7e-4, ρ 0.99, ε 1e-5; our ε sits inside the square root). */
  optimizer: OptimizerConfig;
}

export const A2C_DEFAULTS: Readonly<A2cConfig> = Object.freeze<A2cConfig>({
  totalSteps: 500_000,
  numEnvs: 8,
  numSteps: 5,
  gamma: 0.99,
  gaeLambda: 1,
  entCoef: 0.0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  normAdv: false,
  optimizer: { kind: 'rmsprop', lr: 7e-4, rho: 0.99, eps: 1e-5 },
  hiddenSizes: [64, 64],
  kernelRows: 1,
  activation: 'tanh',
  checkpointEvery: 100,
  trainBackend: 'auto',
});

/** A2C's loss on a whole rollout of n states (one gradient step); shared with A3C. */
export function a2cLoss(
  p: { actor: Parameters<typeof actorCriticForward>[0]; critic: Parameters<typeof actorCriticForward>[1] },
  cfg: Pick<A2cConfig, 'entCoef' | 'vfCoef'>,
  b: { obs: Float32Array; masks: Uint8Array; actions: Int32Array; advantages: Float32Array; returns: Float32Array },
  n: number,
  numActions: number,
): { loss: tf.Scalar; metrics: Record<string, tf.Scalar> } {
  const { logp, value, entropy } = actorCriticForward(p.actor, p.critic, b.obs, b.masks, b.actions, n, numActions);
  const pgLoss = tf.neg(tf.mean(tf.mul(logp, tf.tensor1d(b.advantages.subarray(0, n)))));
  const vLoss = tf.mean(tf.square(tf.sub(value, tf.tensor1d(b.returns.subarray(0, n)))));
  const loss = tf.add(tf.sub(pgLoss, tf.mul(cfg.entCoef, entropy)), tf.mul(cfg.vfCoef, vLoss)) as tf.Scalar;
  return { loss, metrics: { pgLoss: pgLoss as tf.Scalar, vLoss: vLoss as tf.Scalar, entropy } };
}

export const A2C: OnPolicyAlgorithm<A2cConfig> = {
  name: 'a2c',
  storesLogProbs: false,
  validate: () => {},
  optimizer: (cfg) => cfg.optimizer,
  update: ({ cfg, actor, critic, opt }, buf) => {
    if (cfg.normAdv) normalizeAdvantages(buf.advantages, buf.size);
    const r = trainStep(opt, () => a2cLoss({ actor, critic }, cfg, buf, buf.size, buf.numActions), cfg.maxGradNorm);
    return { loss: r.loss, gradNorm: r.gradNorm, ...r.metrics };
  },
  updateFused: a2cUpdateFused,
};

/** A2C.update on the fused kernels: the same loss and one optimizer step, on the rollout's sparse rows. */
function a2cUpdateFused({ cfg, fused }: FusedParts<A2cConfig>, buf: RolloutBuffer): Record<string, number> {
  const n = buf.size;
  if (cfg.normAdv) normalizeAdvantages(buf.advantages, n);
  const { dLogits, dV } = fused.lossBuffers(n);
  const stats = { entropy: NaN, pgLoss: NaN };
  fused.zeroGrad();
  const logits = fused.actor.forwardRows(fused.rows, null, n);
  // −mean(log π·Â) − c_e·mean(H): policyGradientLoss with weights Â and scale 1/n.
  const policy = policyGradientLoss(
    logits,
    buf.masks,
    buf.actions,
    buf.advantages,
    n,
    cfg.entCoef,
    1 / n,
    dLogits,
    fused.scratch,
    stats,
  );
  fused.actor.backward(dLogits);
  // valueLoss is ½·mean (V − R)²: A2C's mean (V − R)² is twice it, with twice the gradient.
  const v = fused.critic.forwardRows(fused.rows, null, n);
  const vLoss = 2 * valueLoss(v, buf.returns, buf.values, n, false, 0, 2 * cfg.vfCoef, dV);
  fused.critic.backward(dV);
  const gradNorm = fused.step(cfg.maxGradNorm);
  return { loss: policy + cfg.vfCoef * vLoss, gradNorm, pgLoss: stats.pgLoss, vLoss, entropy: stats.entropy };
}

export function trainA2c(
  makeEnv: (index: number) => Env,
  config: Partial<A2cConfig>,
  opts: TrainOptions,
): Promise<PolicyAgent> {
  return trainOnPolicy(A2C, makeEnv, { ...A2C_DEFAULTS, ...config }, opts);
}
