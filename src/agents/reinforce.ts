/**
 * DeepRM's policy gradient (pg_re.py): REINFORCE with a time-dependent baseline.
 *
 * One iteration:
 *   1. Shuffle the job sets 0..numJobSets-1.
 *   2. For each job set, run `rolloutsPerJobSet` episodes with the current
 *      (sampled, masked) policy. Every episode of job set j starts with
 *      `env.reset(jobSetOffset + j)`, so the env must make reset(seed) replay
 *      the same workload for the same seed (DeepRM's seq_no).
 *   3. Per job set: returns G_t (discount 1 in DeepRM), baseline b_t = mean over
 *      that job set's rollouts of G_t (shorter rollouts padded with 0),
 *      advantage G_t − b_t.
 *   4. Job sets are grouped `jobSetsPerBatch` at a time; each group's gradient is
 *      that of  −(1/N_group) Σ log π(a|s)·A  over its N_group states; the groups'
 *      gradients are summed and applied in ONE RMSProp update (as pg_re.py).
 *      Gradients are computed job set by job set (the loss is a sum, so the
 *      group mean is the sum of per-job-set sums / N_group): only one job set's
 *      states are held in memory at a time.
 * Masks: the policy is the softmax over legal actions only, both when acting
 * and in log π, so a masked action is never chosen.
 *
 * Gradients and the optimizer step run on the fused Float32Array kernels of src/nn/ (sparse
 * first layer, no tfjs) or on tfjs, per `trainBackend` ('auto': fused for small plain MLPs).
 * Both compute the same loss; they differ by float32 rounding only, and consume the RNG
 * identically (rollouts and shuffles do not depend on the backend).
 */
import { tf } from '../tf/tf';
import type { Env } from '../env/types';
import { Rng } from '../util/rng';
import { UsageError } from '../util/errors';
import type { MlpSpec, OptimizerConfig } from './nn';
import {
  Mlp,
  Optimizer,
  applyGrads,
  computeGrads,
  maskTensor,
  maskedEntropy,
  maskedLogSoftmax,
  pickColumns,
  sampleMaskedSoftmax,
} from './nn';
import { PolicyAgent } from './fastpath';
import { FusedMlp } from '../nn/mlp';
import { SparseRows } from '../nn/sparseRows';
import { HeadScratch, policyGradientLoss } from '../nn/heads';
import { FusedOptimizer, clipGradNorm } from '../nn/optim';
import { chooseTrainBackend, type TrainBackend, type TrainBackendChoice } from '../nn/backend';
import { checkpointExists, loadCheckpoint, saveCheckpoint, storeNetwork } from './checkpoint';
import { discountedReturns, timeBaselineAdvantages } from './gae';
import type { TrainOptions } from './types';

export interface ReinforceConfig {
  /** Training iterations (DeepRM num_epochs). One parameter update each. */
  iterations: number;
  /** Job sets visited per iteration (DeepRM num_ex). */
  numJobSets: number;
  /** reset(seed) of job set j uses seed jobSetOffset + j. */
  jobSetOffset: number;
  /** Episodes per job set per iteration (DeepRM num_seq_per_batch). */
  rolloutsPerJobSet: number;
  /** Job sets per gradient group (DeepRM batch_size). */
  jobSetsPerBatch: number;
  /** Step cap per episode (DeepRM episode_max_length); a capped episode just stops. */
  maxEpisodeSteps: number;
  /** Discount (DeepRM: 1). */
  gamma: number;
  /** Hidden layers (DeepRM: one of 20 ReLU units). */
  hiddenSizes: number[];
  /**
   * > 1: the policy is a kernel network (RLScheduler): one MLP with hiddenSizes scores each of
   * kernelRows observation rows (e.g. 128 jobs × 8 features) and the scores are the logits. 1 = a
   * plain MLP over the whole observation.
   */
  kernelRows: number;
  activation: 'relu' | 'tanh';
  /** 'deeprm' = Normal(0, 0.01) as DeepRM's Lasagne net; 'glorot' otherwise. */
  init: 'deeprm' | 'glorot';
  /** Optimizer (DeepRM: RMSProp lr 0.001, rho 0.9, eps 1e-9). */
  optimizer: OptimizerConfig;
  /**
   * Weight of an entropy bonus −β·H(π(s)) added to the loss (DeepRM: 0). Not in
   * DeepRM; a small β keeps the policy from freezing on an early ranking of the
   * actions that only matter when the best one is masked.
   */
  entropyCoef: number;
  /** Clip the global gradient norm (DeepRM: none = Infinity). */
  maxGradNorm: number;
  /** Largest number of states per tfjs gradient computation (bounds memory only). */
  maxChunkStates: number;
  /** Write a checkpoint every this many iterations (when checkpointDir is set). */
  checkpointEvery: number;
  /** Who computes gradients and updates: 'fused' (src/nn/), 'tfjs', or 'auto' (chooseTrainBackend). */
  trainBackend: TrainBackendChoice;
}

/** DeepRM's pg_re.main() settings, except iterations (num_epochs = 10000 there). */
export const REINFORCE_DEFAULTS: Readonly<ReinforceConfig> = Object.freeze<ReinforceConfig>({
  iterations: 1000,
  numJobSets: 50,
  jobSetOffset: 0,
  rolloutsPerJobSet: 20,
  jobSetsPerBatch: 10,
  maxEpisodeSteps: 2000,
  gamma: 1,
  hiddenSizes: [20],
  kernelRows: 1,
  activation: 'relu',
  init: 'deeprm',
  optimizer: { kind: 'rmsprop', lr: 0.001, rho: 0.9, eps: 1e-9 },
  entropyCoef: 0,
  maxGradNorm: Infinity,
  maxChunkStates: 4096,
  checkpointEvery: 10,
  trainBackend: 'auto',
});

/** The backend `trainReinforce` will use for this config ('fused' or 'tfjs'). */
export function reinforceTrainBackend(config: Partial<ReinforceConfig>): TrainBackend {
  const cfg = { ...REINFORCE_DEFAULTS, ...config };
  return chooseTrainBackend(cfg.trainBackend, { hiddenSizes: cfg.hiddenSizes, kernelRows: cfg.kernelRows });
}

/** Growable typed-array storage for one job set's rollouts (no per-step allocation). */
class Batch {
  obs: Float32Array;
  masks: Uint8Array;
  actions: Int32Array;
  adv: Float32Array;
  n = 0;
  constructor(
    readonly obsSize: number,
    readonly numActions: number,
    storeObs = true,
  ) {
    this.obs = new Float32Array(storeObs ? 1024 * obsSize : 0);
    this.masks = new Uint8Array(1024 * numActions);
    this.actions = new Int32Array(1024);
    this.adv = new Float32Array(1024);
  }
  push(obs: Float32Array | null, mask: Uint8Array, action: number): void {
    if (this.n === this.actions.length) {
      const grow = <T extends Float32Array | Uint8Array | Int32Array>(a: T, m: number): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a.subarray(0, this.n * m));
        return b;
      };
      if (this.obs.length > 0) this.obs = grow(this.obs, this.obsSize);
      this.masks = grow(this.masks, this.numActions);
      this.actions = grow(this.actions, 1);
      this.adv = grow(this.adv, 1);
    }
    // null: the fused path keeps the observation as sparse rows instead (src/nn/sparseRows.ts).
    if (obs !== null) this.obs.set(obs.subarray(0, this.obsSize), this.n * this.obsSize);
    this.masks.set(mask.subarray(0, this.numActions), this.n * this.numActions);
    this.actions[this.n++] = action;
  }
}

/** Runs one episode of job set `seed`, appending states to `batch`; returns the rewards. */
function rollout(env: Env, seed: number, agent: PolicyAgent, batch: Batch, maxSteps: number): number[] {
  let { observation: obs, info } = env.reset(seed);
  const rewards: number[] = [];
  for (let t = 0; t < maxSteps; t++) {
    const a = agent.act(obs, info.actionMask);
    batch.push(obs, info.actionMask, a);
    const r = env.step(a);
    rewards.push(r.reward);
    if (r.terminated || r.truncated) break;
    obs = r.observation;
    info = r.info;
  }
  return rewards;
}

/**
 * `rollout` for the fused backend: the observation is stored once as a sparse row (what the
 * gradient pass reads back) and the action is sampled from the fused network's logits, with the
 * same RNG draw as PolicyAgent.act (and the same logits as its fast path: see forwardRows).
 */
function rolloutFused(
  env: Env,
  seed: number,
  net: FusedMlp,
  rows: SparseRows,
  rng: Rng,
  batch: Batch,
  maxSteps: number,
): number[] {
  let { observation: obs, info } = env.reset(seed);
  const rewards: number[] = [];
  const one = new Int32Array(1);
  const A = env.numActions;
  for (let t = 0; t < maxSteps; t++) {
    one[0] = rows.push(obs);
    const logits = net.forwardRows(rows, one, 1);
    const a = sampleMaskedSoftmax(logits, 0, info.actionMask, 0, A, rng);
    if (a < 0) throw new Error('reinforce: no legal action (all-zero mask)');
    batch.push(null, info.actionMask, a);
    const r = env.step(a);
    rewards.push(r.reward);
    if (r.terminated || r.truncated) break;
    obs = r.observation;
    info = r.info;
  }
  return rewards;
}

/** acc + g (disposing both inputs); acc = null starts a new sum. */
function addInto(acc: tf.Tensor[] | null, grads: tf.Tensor[]): tf.Tensor[] {
  if (acc === null) return grads;
  const sum = acc.map((g, i) => tf.add(g, grads[i]));
  tf.dispose([...acc, ...grads]);
  return sum;
}

/**
 * Gradient of −Σ [log π(a|s)·A + β·H(π(s))] over the states in `batch` (one job
 * set's rollouts), in chunks of at most maxChunk states to bound tfjs memory.
 */
function jobSetGradSum(policy: Mlp, batch: Batch, maxChunk: number, entropyCoef: number): tf.Tensor[] | null {
  const D = batch.obsSize;
  const A = batch.numActions;
  let acc: tf.Tensor[] | null = null;
  for (let start = 0; start < batch.n; start += maxChunk) {
    const m = Math.min(maxChunk, batch.n - start);
    const { grads } = computeGrads(policy.variables, () => {
      const x = tf.tensor2d(batch.obs.subarray(start * D, (start + m) * D), [m, D]);
      const mask = maskTensor(batch.masks.subarray(start * A, (start + m) * A), m, A);
      const logits = policy.forward(x);
      const logp = pickColumns(maskedLogSoftmax(logits, mask), batch.actions.subarray(start, start + m));
      const adv = tf.tensor1d(batch.adv.subarray(start, start + m));
      let objective = tf.sum(tf.mul(logp, adv));
      if (entropyCoef !== 0) objective = tf.add(objective, tf.mul(entropyCoef, tf.sum(maskedEntropy(logits, mask))));
      return tf.neg(objective) as tf.Scalar;
    });
    acc = addInto(acc, grads);
  }
  return acc;
}

/**
 * The fused-kernel counterpart of `jobSetGradSum`: ADDS the same gradient sum into `net.grads`,
 * for the job set whose observations are `rows` (row i = state i of `batch`).
 */
class FusedJobSetGrad {
  private dLogits = new Float64Array(0);
  private readonly scratch: HeadScratch;
  constructor(
    readonly net: FusedMlp,
    numActions: number,
  ) {
    this.scratch = new HeadScratch(numActions);
  }
  add(rows: SparseRows, batch: Batch, entropyCoef: number): void {
    const n = batch.n;
    if (n === 0) return;
    const A = batch.numActions;
    if (this.dLogits.length < n * A) this.dLogits = new Float64Array(Math.max(n * A, 2 * this.dLogits.length));
    const logits = this.net.forwardRows(rows, null, n);
    policyGradientLoss(logits, batch.masks, batch.actions, batch.adv, n, entropyCoef, 1, this.dLogits, this.scratch);
    this.net.backward(this.dLogits);
  }
}

/**
 * Train a DeepRM-style policy. `makeEnv` is called once; the returned agent acts
 * by sampling (pass greedy = true to `act` for the most likely action).
 */
export async function trainReinforce(
  makeEnv: () => Env,
  config: Partial<ReinforceConfig>,
  opts: TrainOptions,
): Promise<PolicyAgent> {
  const cfg: ReinforceConfig = { ...REINFORCE_DEFAULTS, ...config };
  if (cfg.numJobSets < 1 || cfg.rolloutsPerJobSet < 1 || cfg.jobSetsPerBatch < 1) {
    throw new UsageError('reinforce: numJobSets, rolloutsPerJobSet and jobSetsPerBatch must be ≥ 1');
  }
  const env = makeEnv();
  const rng = new Rng(opts.seed);
  const spec: MlpSpec = {
    inputSize: env.observationSize,
    hiddenSizes: cfg.hiddenSizes,
    outputSize: env.numActions,
    activation: cfg.activation,
    init: cfg.init,
    rows: cfg.kernelRows,
  };
  const policy = new Mlp(spec, rng.fork(), 'policy');
  const agent = new PolicyAgent('reinforce', policy, rng.fork(), cfg);
  const backend = reinforceTrainBackend(cfg);
  // tfjs: the Mlp's variables are trained. fused: a FusedMlp is, and the Mlp (what checkpoints
  // and the returned agent hold) receives its weights after every update.
  const opt = backend === 'tfjs' ? new Optimizer(policy.variables, cfg.optimizer) : null;
  const fused = backend === 'fused' ? new FusedMlp(policy.sizes, cfg.activation) : null;
  const fopt = fused
    ? new FusedOptimizer(
        fused.params,
        cfg.optimizer,
        policy.variables.map((v) => v.size),
      )
    : null;
  const fusedGrad = fused ? new FusedJobSetGrad(fused, env.numActions) : null;
  /** The update's gradient (fused): Σ over groups of group sum / group states. */
  const acc32 = fused ? new Float32Array(fused.params.length) : null;
  fused?.setWeights(policy.getWeights());
  let startIteration = 0;

  if (opts.checkpointDir && checkpointExists(opts.checkpointDir)) {
    const ck = await loadCheckpoint(opts.checkpointDir);
    if (ck.algo !== 'reinforce')
      throw new UsageError(`${opts.checkpointDir} holds a '${ck.algo}' checkpoint, not reinforce`);
    policy.setWeights(ck.networks.policy.weights);
    fused?.setWeights(ck.networks.policy.weights);
    opt?.setState(ck.optimizers!.policy);
    fopt?.setState(ck.optimizers!.policy);
    rng.setState(ck.rngs!.train);
    agent.rng.setState(ck.rngs!.act);
    startIteration = ck.counters!.iteration;
    // The env's carried state (DeepRM's colour RNG) is part of the training state.
    const envState = (ck.extra as { env?: unknown } | null)?.env;
    if (envState !== undefined && env.loadCarriedState) env.loadCarriedState(envState);
    agent.sync();
  }
  const save = async (iteration: number): Promise<void> => {
    if (!opts.checkpointDir) return;
    await saveCheckpoint(opts.checkpointDir, {
      algo: 'reinforce',
      networks: { policy: storeNetwork(policy) },
      optimizers: { policy: opt ? opt.getState() : fopt!.getState() },
      rngs: { train: rng.getState(), act: agent.rng.getState() },
      counters: { iteration },
      config: cfg,
      extra: { env: env.saveCarriedState?.() },
    });
  };

  const order = new Int32Array(cfg.numJobSets);
  const batch = new Batch(env.observationSize, env.numActions, fused === null);
  const rows = new SparseRows(env.observationSize);
  for (let it = startIteration; it < cfg.iterations; it++) {
    for (let j = 0; j < order.length; j++) order[j] = j;
    rng.shuffle(order);
    let acc: tf.Tensor[] | null = null;
    acc32?.fill(0);
    let sumReturn = 0;
    let sumLength = 0;
    let episodes = 0;
    for (let g = 0; g < cfg.numJobSets; g += cfg.jobSetsPerBatch) {
      // One group = DeepRM's batch of job sets: gradient of the group's mean loss.
      let groupSum: tf.Tensor[] | null = null;
      let groupStates = 0;
      fused?.zeroGrad();
      for (let k = g; k < Math.min(g + cfg.jobSetsPerBatch, cfg.numJobSets); k++) {
        batch.n = 0;
        rows.clear();
        const returns: Float32Array[] = [];
        for (let r = 0; r < cfg.rolloutsPerJobSet; r++) {
          const seed = cfg.jobSetOffset + order[k];
          const rewards = fused
            ? rolloutFused(env, seed, fused, rows, agent.rng, batch, cfg.maxEpisodeSteps)
            : rollout(env, seed, agent, batch, cfg.maxEpisodeSteps);
          returns.push(discountedReturns(rewards, cfg.gamma));
          sumReturn += rewards.reduce((s, x) => s + x, 0);
          sumLength += rewards.length;
          episodes++;
        }
        // Advantages in the order the states were pushed (rollout by rollout).
        let i = 0;
        for (const adv of timeBaselineAdvantages(returns)) {
          batch.adv.set(adv, i);
          i += adv.length;
        }
        groupStates += batch.n;
        if (fusedGrad) fusedGrad.add(rows, batch, cfg.entropyCoef);
        else {
          const sum = jobSetGradSum(policy, batch, cfg.maxChunkStates, cfg.entropyCoef);
          if (sum) groupSum = addInto(groupSum, sum);
        }
      }
      if (fused && acc32 && groupStates > 0) {
        const g = fused.grads;
        for (let i = 0; i < g.length; i++) acc32[i] += g[i] / groupStates;
      }
      if (groupSum) {
        const mean = groupSum.map((t) => tf.div(t, groupStates));
        tf.dispose(groupSum);
        acc = addInto(acc, mean);
      }
    }
    let gradNorm: number;
    if (fused && fopt && acc32) {
      gradNorm = clipGradNorm(acc32, cfg.maxGradNorm);
      fopt.apply(acc32);
      policy.setWeights(fused.weightViews());
    } else {
      gradNorm = applyGrads(opt!, acc ?? [], cfg.maxGradNorm);
      tf.dispose(acc ?? []);
    }
    agent.sync();

    const done = it + 1;
    // Report before checkpointing: a run killed in between resumes from the previous
    // checkpoint and redoes (and re-reports) this iteration, so no curve row is lost.
    const stop = opts.onIteration?.(done, {
      meanReturn: sumReturn / episodes,
      meanEpisodeLength: sumLength / episodes,
      gradNorm,
    });
    if (stop === false || done % cfg.checkpointEvery === 0 || done === cfg.iterations) await save(done);
    if (stop === false) break;
  }
  opt?.dispose();
  return agent;
}
