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
import type { Env, ResetResult, StepResult } from '../env/types';
import { SyncVecEnv } from '../env/types';
import { Rng } from '../util/rng';
import { UsageError } from '../util/errors';
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
import { FusedPpoLearner } from './ppoFused';
import { chooseTrainBackend, type TrainBackend, type TrainBackendChoice } from '../nn/backend';
import type { TrainOptions } from './types';

export interface PpoConfig {
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
  /** Who computes the update: 'fused' (src/nn/ kernels, ppoFused.ts), 'tfjs', or 'auto' (chooseTrainBackend). */
  trainBackend: TrainBackendChoice;
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

/** The backend `trainPpo` will use for this config ('fused' or 'tfjs'). */
export function ppoTrainBackend(config: Partial<PpoConfig>): TrainBackend {
  const cfg = { ...PPO_DEFAULTS, ...config };
  return chooseTrainBackend(cfg.trainBackend, { hiddenSizes: cfg.hiddenSizes, kernelRows: cfg.kernelRows });
}

/**
 * Wraps an Env to keep a copy of the last observation of each finished episode:
 * SyncVecEnv resets a finished env at once, but a truncated episode must be
 * bootstrapped with the value of its real final observation.
 */
export class FinalObservation implements Env {
  readonly observationSize: number;
  readonly numActions: number;
  readonly final: Float32Array;
  /** `info.expertAction` of the current observation (−1 when the env reports none). */
  expert = -1;
  constructor(readonly inner: Env) {
    this.observationSize = inner.observationSize;
    this.numActions = inner.numActions;
    this.final = new Float32Array(inner.observationSize);
  }
  reset(seed?: number): ResetResult {
    const r = this.inner.reset(seed);
    this.expert = typeof r.info.expertAction === 'number' ? r.info.expertAction : -1;
    return r;
  }
  step(action: number): StepResult {
    const r = this.inner.step(action);
    if (r.terminated || r.truncated) this.final.set(r.observation);
    this.expert = typeof r.info.expertAction === 'number' ? r.info.expertAction : -1;
    return r;
  }
}

/** log π(a|s) under the masked softmax of `logits` (float64, for the rollout buffer). */
function maskedLogProb(logits: Float32Array, mask: Uint8Array, moff: number, a: number): number {
  let max = -Infinity;
  for (let j = 0; j < logits.length; j++) if (mask[moff + j] && logits[j] > max) max = logits[j];
  let z = 0;
  for (let j = 0; j < logits.length; j++) if (mask[moff + j]) z += Math.exp(logits[j] - max);
  return logits[a] - max - Math.log(z);
}

export async function trainPpo(
  makeEnv: (index: number) => Env,
  config: Partial<PpoConfig>,
  opts: TrainOptions,
): Promise<PolicyAgent> {
  const cfg: PpoConfig = { ...PPO_DEFAULTS, ...config };
  const N = cfg.numEnvs;
  const T = cfg.numSteps;
  const batchSize = N * T;
  const mbSize = Math.floor(batchSize / cfg.numMinibatches);
  if (mbSize < 1) throw new UsageError('ppo: numEnvs·numSteps must be ≥ numMinibatches');
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
  const agent = new PolicyAgent('ppo', actor, rng.fork(), cfg);
  const fastCritic = FastMlp.fromMlp(critic);
  const opt = new Optimizer([...actor.variables, ...critic.variables], { kind: 'adam', lr: cfg.lr, eps: cfg.adamEps });
  // fused: the update runs on src/nn/ kernels; the tfjs networks receive the weights after it.
  const fused =
    ppoTrainBackend(cfg) === 'fused' ? new FusedPpoLearner(actor, critic, cfg.lr, cfg.adamEps, mbSize) : null;
  let startUpdate = 0;
  let globalStep = 0;

  if (opts.checkpointDir && checkpointExists(opts.checkpointDir)) {
    const ck = await loadCheckpoint(opts.checkpointDir);
    if (ck.algo !== 'ppo') throw new UsageError(`${opts.checkpointDir} holds a '${ck.algo}' checkpoint, not ppo`);
    actor.setWeights(ck.networks.policy.weights);
    critic.setWeights(ck.networks.value.weights);
    opt.setState(ck.optimizers!.main);
    fused?.readWeights();
    fused?.setState(ck.optimizers!.main);
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
      algo: 'ppo',
      networks: { policy: storeNetwork(actor), value: storeNetwork(critic) },
      optimizers: { main: fused ? fused.getState() : opt.getState() },
      rngs: { train: rng.getState(), act: agent.rng.getState() },
      counters: { update, globalStep },
      config: cfg,
    });
  };

  // Rollout storage, time-major (t·N + i).
  const obsBuf = new Float32Array(batchSize * D);
  const maskBuf = new Uint8Array(batchSize * A);
  const actions = new Int32Array(batchSize);
  const logps = new Float32Array(batchSize);
  const values = new Float32Array(batchSize);
  const rewards = new Float32Array(batchSize);
  const terminated = new Uint8Array(batchSize);
  const truncated = new Uint8Array(batchSize);
  const truncValues = new Float32Array(batchSize);
  const lastValues = new Float32Array(N);
  const stepActions = new Int32Array(N);
  // Minibatch gather buffers.
  const mbObs = new Float32Array(mbSize * D);
  const mbMask = new Uint8Array(mbSize * A);
  const mbAct = new Int32Array(mbSize);
  const mbLogp = new Float32Array(mbSize);
  const mbAdv = new Float32Array(mbSize);
  const mbRet = new Float32Array(mbSize);
  const mbVal = new Float32Array(mbSize);
  const order = new Int32Array(batchSize);

  // Episode statistics for logging.
  const epReturn = new Float64Array(N);
  const epLength = new Int32Array(N);

  let bc = { bcLoss: NaN, bcAccuracy: NaN };
  if (cfg.bcSteps > 0 && startUpdate === 0) bc = behaviourClone(cfg, vec, envs, actor, agent, rng, opts.seed, mbSize);

  // Env episodes are not part of a checkpoint: a resumed run starts fresh episodes.
  vec.reset(opts.seed + startUpdate * N);
  for (let update = startUpdate; update < numUpdates; update++) {
    if (cfg.annealLr) opt.lr = cfg.lr * (1 - update / numUpdates);
    if (fused) fused.opt.lr = opt.lr;
    let finishedReturn = 0;
    let finishedLength = 0;
    let finished = 0;

    // 1. Rollout.
    for (let t = 0; t < T; t++) {
      const base = t * N;
      obsBuf.set(vec.observations, base * D);
      maskBuf.set(vec.actionMasks, base * A);
      for (let i = 0; i < N; i++) {
        const k = base + i;
        values[k] = fastCritic.forward(vec.observations, i * D)[0];
        const logits = agent.logits(vec.observations, i * D);
        const a = sampleMaskedSoftmax(logits, 0, vec.actionMasks, i * A, A, agent.rng);
        if (a < 0) throw new Error(`ppo: env ${i} offers no legal action`);
        stepActions[i] = a;
        actions[k] = a;
        logps[k] = maskedLogProb(logits, vec.actionMasks, i * A, a);
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

    // 2. Advantages.
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

    // 3. Optimise.
    let last = { loss: NaN, pgLoss: NaN, vLoss: NaN, entropy: NaN, approxKl: NaN, clipFrac: NaN };
    for (let k = 0; k < batchSize; k++) order[k] = k;
    if (fused) {
      const ro = { obs: obsBuf, masks: maskBuf, actions, logps, advantages, returns, values, size: batchSize };
      last = fused.update(ro, order, rng, cfg);
      fused.writeWeights();
    }
    // The tfjs update (no epochs here when the fused learner did them).
    const tfEpochs = fused ? 0 : cfg.updateEpochs;
    epochs: for (let epoch = 0; epoch < tfEpochs; epoch++) {
      rng.shuffle(order);
      for (let start = 0; start + mbSize <= batchSize; start += mbSize) {
        for (let j = 0; j < mbSize; j++) {
          const k = order[start + j];
          mbObs.set(obsBuf.subarray(k * D, (k + 1) * D), j * D);
          mbMask.set(maskBuf.subarray(k * A, (k + 1) * A), j * A);
          mbAct[j] = actions[k];
          mbLogp[j] = logps[k];
          mbAdv[j] = advantages[k];
          mbRet[j] = returns[k];
          mbVal[j] = values[k];
        }
        if (cfg.normAdv) {
          let mean = 0;
          for (let j = 0; j < mbSize; j++) mean += mbAdv[j];
          mean /= mbSize;
          let v = 0;
          for (let j = 0; j < mbSize; j++) v += (mbAdv[j] - mean) ** 2;
          // CleanRL: (adv − mean) / (std + 1e-8) with the unbiased std
          const sd = mbSize > 1 ? Math.sqrt(v / (mbSize - 1)) : 0;
          for (let j = 0; j < mbSize; j++) mbAdv[j] = (mbAdv[j] - mean) / (sd + 1e-8);
        }
        const r = trainStep(
          opt,
          () => {
            const x = tf.tensor2d(mbObs, [mbSize, D]);
            const mask = maskTensor(mbMask, mbSize, A);
            const logits = actor.forward(x);
            const newLogp = pickColumns(maskedLogSoftmax(logits, mask), mbAct);
            const logRatio = tf.sub(newLogp, tf.tensor1d(mbLogp));
            const ratio = tf.exp(logRatio);
            const adv = tf.tensor1d(mbAdv);
            const pg1 = tf.mul(tf.neg(adv), ratio);
            const pg2 = tf.mul(tf.neg(adv), tf.clipByValue(ratio, 1 - cfg.clipCoef, 1 + cfg.clipCoef));
            const pgLoss = tf.mean(tf.maximum(pg1, pg2));
            const v = tf.reshape(critic.forward(x), [mbSize]);
            const ret = tf.tensor1d(mbRet);
            let vLoss: tf.Tensor;
            if (cfg.clipValueLoss) {
              const oldV = tf.tensor1d(mbVal);
              const vClipped = tf.add(oldV, tf.clipByValue(tf.sub(v, oldV), -cfg.clipCoef, cfg.clipCoef));
              vLoss = tf.mul(0.5, tf.mean(tf.maximum(tf.square(tf.sub(v, ret)), tf.square(tf.sub(vClipped, ret)))));
            } else vLoss = tf.mul(0.5, tf.mean(tf.square(tf.sub(v, ret))));
            const entropy = tf.mean(maskedEntropy(logits, mask));
            const loss = tf.add(tf.sub(pgLoss, tf.mul(cfg.entCoef, entropy)), tf.mul(cfg.vfCoef, vLoss)) as tf.Scalar;
            return {
              loss,
              metrics: {
                pgLoss: pgLoss as tf.Scalar,
                vLoss: vLoss as tf.Scalar,
                entropy: entropy as tf.Scalar,
                // k3 estimator of KL(old‖new): E[(r − 1) − log r]
                approxKl: tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)) as tf.Scalar,
                clipFrac: tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), cfg.clipCoef), 'float32')) as tf.Scalar,
              },
            };
          },
          cfg.maxGradNorm,
        );
        last = {
          loss: r.loss,
          pgLoss: r.metrics.pgLoss,
          vLoss: r.metrics.vLoss,
          entropy: r.metrics.entropy,
          approxKl: r.metrics.approxKl,
          clipFrac: r.metrics.clipFrac,
        };
      }
      if (cfg.targetKl !== null && last.approxKl > cfg.targetKl) break epochs;
    }
    agent.sync();
    fastCritic.updateFrom(critic);

    const done = update + 1;
    if (done % cfg.checkpointEvery === 0 || done === numUpdates) await save(done);
    const stop = opts.onIteration?.(done, {
      globalStep,
      meanReturn: finished > 0 ? finishedReturn / finished : NaN,
      meanEpisodeLength: finished > 0 ? finishedLength / finished : NaN,
      lr: opt.lr,
      ...last,
      ...bc,
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

/**
 * Behaviour cloning (cfg.bcSteps > 0): roll out the env's expert, then fit the actor to its actions
 * by masked cross-entropy. Returns the last minibatch loss and the greedy agreement on the data.
 */
function behaviourClone(
  cfg: PpoConfig,
  vec: SyncVecEnv,
  envs: FinalObservation[],
  actor: Mlp,
  agent: PolicyAgent,
  rng: Rng,
  seed: number,
  mbSize: number,
): { bcLoss: number; bcAccuracy: number } {
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
