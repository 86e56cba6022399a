/**
 * A2C: synchronous advantage actor-critic (Mnih et al. 2016, the synchronous form
 * of A3C), following Stable-Baselines3's defaults, with action masks.
 *
 * Loop: step `numEnvs` envs together for `numSteps` steps → n-step returns
 * (GAE with λ = 1 by default; truncated episodes bootstrap with V(final
 * observation)) → ONE gradient step on
 *     L = −mean(log π(a|s)·Â) + c_v · mean((V − R)²) − c_e · mean(H)
 * Separate actor and critic MLPs, one RMSProp optimizer. The policy is the
 * softmax over legal actions only, so a masked action is never chosen.
 */
import { tf } from '../tf/tf';
import type { Env } from '../env/types';
import { SyncVecEnv } from '../env/types';
import { Rng } from '../util/rng';
import { UsageError } from '../util/errors';
import type { OptimizerConfig } from './nn';
import {
  Mlp,
  Optimizer,
  trainStep,
  maskTensor,
  maskedEntropy,
  maskedLogSoftmax,
  pickColumns,
  sampleMaskedSoftmax,
} from './nn';
import { FastMlp, PolicyAgent } from './fastpath';
import { checkpointExists, loadCheckpoint, saveCheckpoint, storeNetwork } from './checkpoint';
import { computeGae } from './gae';
import { FinalObservation } from './ppo';
import type { TrainOptions } from './types';

export interface A2cConfig {
  /** Total environment steps (all envs together). */
  totalSteps: number;
  /** Parallel environments (A3C's workers). */
  numEnvs: number;
  /** n of the n-step return: steps per env per update. */
  numSteps: number;
  gamma: number;
  /** 1 = plain n-step returns (A2C); < 1 = GAE. */
  gaeLambda: number;
  entCoef: number;
  vfCoef: number;
  maxGradNorm: number;
  /** Normalise advantages over each rollout (SB3 default: off). */
  normAdv: boolean;
  /** RMSProp (SB3: lr 7e-4, ρ 0.99, ε 1e-5; our ε sits inside the square root). */
  optimizer: OptimizerConfig;
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
});

export async function trainA2c(
  makeEnv: (index: number) => Env,
  config: Partial<A2cConfig>,
  opts: TrainOptions,
): Promise<PolicyAgent> {
  const cfg: A2cConfig = { ...A2C_DEFAULTS, ...config };
  const N = cfg.numEnvs;
  const T = cfg.numSteps;
  const batchSize = N * T;
  if (batchSize < 1) throw new UsageError('a2c: numEnvs and numSteps must be ≥ 1');
  const numUpdates = Math.max(1, Math.floor(cfg.totalSteps / batchSize));

  const envs = Array.from({ length: N }, (_, i) => new FinalObservation(makeEnv(i)));
  const vec = new SyncVecEnv(envs);
  const D = vec.observationSize;
  const A = vec.numActions;
  const rng = new Rng(opts.seed);
  const actor = new Mlp(
    {
      inputSize: D,
      hiddenSizes: cfg.hiddenSizes,
      outputSize: A,
      activation: cfg.activation,
      outputScale: 0.01,
      rows: cfg.kernelRows,
    },
    rng.fork(),
    'actor',
  );
  const critic = new Mlp(
    { inputSize: D, hiddenSizes: cfg.hiddenSizes, outputSize: 1, activation: cfg.activation },
    rng.fork(),
    'critic',
  );
  const agent = new PolicyAgent('a2c', actor, rng.fork(), cfg);
  const fastCritic = FastMlp.fromMlp(critic);
  const opt = new Optimizer([...actor.variables, ...critic.variables], cfg.optimizer);
  let startUpdate = 0;
  let globalStep = 0;

  if (opts.checkpointDir && checkpointExists(opts.checkpointDir)) {
    const ck = await loadCheckpoint(opts.checkpointDir);
    if (ck.algo !== 'a2c') throw new UsageError(`${opts.checkpointDir} holds a '${ck.algo}' checkpoint, not a2c`);
    actor.setWeights(ck.networks.policy.weights);
    critic.setWeights(ck.networks.value.weights);
    opt.setState(ck.optimizers!.main);
    rng.setState(ck.rngs!.train);
    agent.rng.setState(ck.rngs!.act);
    startUpdate = ck.counters!.update;
    globalStep = ck.counters!.globalStep;
    agent.sync();
    fastCritic.updateFrom(critic);
  }
  const save = async (update: number): Promise<void> => {
    if (!opts.checkpointDir) return;
    await saveCheckpoint(opts.checkpointDir, {
      algo: 'a2c',
      networks: { policy: storeNetwork(actor), value: storeNetwork(critic) },
      optimizers: { main: opt.getState() },
      rngs: { train: rng.getState(), act: agent.rng.getState() },
      counters: { update, globalStep },
      config: cfg,
    });
  };

  // Rollout storage, time-major (t·N + i).
  const obsBuf = new Float32Array(batchSize * D);
  const maskBuf = new Uint8Array(batchSize * A);
  const actions = new Int32Array(batchSize);
  const values = new Float32Array(batchSize);
  const rewards = new Float32Array(batchSize);
  const terminated = new Uint8Array(batchSize);
  const truncated = new Uint8Array(batchSize);
  const truncValues = new Float32Array(batchSize);
  const lastValues = new Float32Array(N);
  const stepActions = new Int32Array(N);
  const epReturn = new Float64Array(N);
  const epLength = new Int32Array(N);

  // Env episodes are not part of a checkpoint: a resumed run starts fresh episodes.
  vec.reset(opts.seed + startUpdate * N);
  for (let update = startUpdate; update < numUpdates; update++) {
    let finishedReturn = 0;
    let finishedLength = 0;
    let finished = 0;

    // 1. Rollout of numSteps steps in every env.
    for (let t = 0; t < T; t++) {
      const base = t * N;
      obsBuf.set(vec.observations, base * D);
      maskBuf.set(vec.actionMasks, base * A);
      for (let i = 0; i < N; i++) {
        values[base + i] = fastCritic.forward(vec.observations, i * D)[0];
        const a = sampleMaskedSoftmax(agent.logits(vec.observations, i * D), 0, vec.actionMasks, i * A, A, agent.rng);
        if (a < 0) throw new Error(`a2c: env ${i} offers no legal action`);
        stepActions[i] = a;
        actions[base + i] = a;
      }
      vec.step(stepActions);
      globalStep += N;
      for (let i = 0; i < N; i++) {
        const k = base + i;
        rewards[k] = vec.rewards[i];
        terminated[k] = vec.terminated[i];
        truncated[k] = vec.truncated[i];
        if (truncated[k] && !terminated[k]) truncValues[k] = fastCritic.forward(envs[i].final, 0)[0];
        epReturn[i] += vec.rewards[i];
        epLength[i]++;
        if (terminated[k] || truncated[k]) {
          finishedReturn += epReturn[i];
          finishedLength += epLength[i];
          finished++;
          epReturn[i] = 0;
          epLength[i] = 0;
        }
      }
    }
    for (let i = 0; i < N; i++) lastValues[i] = fastCritic.forward(vec.observations, i * D)[0];

    // 2. n-step returns and advantages.
    const { advantages, returns } = computeGae({
      numSteps: T,
      numEnvs: N,
      rewards,
      values,
      terminated,
      truncated,
      truncValues,
      lastValues,
      gamma: cfg.gamma,
      lambda: cfg.gaeLambda,
    });
    if (cfg.normAdv) {
      let mean = 0;
      for (let k = 0; k < batchSize; k++) mean += advantages[k];
      mean /= batchSize;
      let v = 0;
      for (let k = 0; k < batchSize; k++) v += (advantages[k] - mean) ** 2;
      const sd = batchSize > 1 ? Math.sqrt(v / (batchSize - 1)) : 0;
      for (let k = 0; k < batchSize; k++) advantages[k] = (advantages[k] - mean) / (sd + 1e-8);
    }

    // 3. One gradient step on the whole rollout.
    const r = trainStep(
      opt,
      () => {
        const x = tf.tensor2d(obsBuf, [batchSize, D]);
        const mask = maskTensor(maskBuf, batchSize, A);
        const logits = actor.forward(x);
        const logp = pickColumns(maskedLogSoftmax(logits, mask), actions);
        const pgLoss = tf.neg(tf.mean(tf.mul(logp, tf.tensor1d(advantages))));
        const v = tf.reshape(critic.forward(x), [batchSize]);
        const vLoss = tf.mean(tf.square(tf.sub(v, tf.tensor1d(returns))));
        const entropy = tf.mean(maskedEntropy(logits, mask));
        const loss = tf.add(tf.sub(pgLoss, tf.mul(cfg.entCoef, entropy)), tf.mul(cfg.vfCoef, vLoss)) as tf.Scalar;
        return {
          loss,
          metrics: { pgLoss: pgLoss as tf.Scalar, vLoss: vLoss as tf.Scalar, entropy: entropy as tf.Scalar },
        };
      },
      cfg.maxGradNorm,
    );
    agent.sync();
    fastCritic.updateFrom(critic);

    const done = update + 1;
    if (done % cfg.checkpointEvery === 0 || done === numUpdates) await save(done);
    const stop = opts.onIteration?.(done, {
      globalStep,
      meanReturn: finished > 0 ? finishedReturn / finished : NaN,
      meanEpisodeLength: finished > 0 ? finishedLength / finished : NaN,
      loss: r.loss,
      gradNorm: r.gradNorm,
      ...r.metrics,
    });
    if (stop === false) {
      await save(done);
      break;
    }
  }
  opt.dispose();
  critic.dispose();
  return agent;
}
