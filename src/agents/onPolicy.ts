/**
 * The on-policy actor-critic core shared by A2C and PPO (Stable-Baselines3's OnPolicyAlgorithm):
 * networks, rollout collection over a SyncVecEnv, the rollout buffer, GAE, minibatch
 * iteration, checkpoint save/load and exact resume. An algorithm supplies only what differs:
 * its optimizer and its `update` (the loss and how many gradient steps per rollout).
 *
 * Loop: for each update, step `numEnvs` envs together for `numSteps` steps sampling the masked
 * policy → GAE(λ) advantages and returns (truncated episodes bootstrap with V(final
 * observation)) → algorithm.update → report → checkpoint.
 *
 * Exact resume: a checkpoint holds the networks, optimizer, both RNG streams (training:
 * shuffles; acting: action sampling), the update counter and — through ReplayableEnv — every
 * env's position inside its current episode, its carried state, the vector env's reset seeds
 * and the per-env running episode statistics. A run killed at any instant and resumed from its
 * last checkpoint therefore continues with the same random numbers on the same env states: its
 * weights and curve equal an uninterrupted run's, bit for bit (test/rel/resume.test.ts). A kill
 * mid-rollout loses only that partial rollout, which the resumed run redoes identically.
 */
import { tf } from '../tf/tf';
import type { Env, ResetResult, StepResult } from '../env/types';
import { SyncVecEnv } from '../env/types';
import { ReplayableEnv, type EnvSnapshot } from '../env/replayable';
import { Rng } from '../util/rng';
import { UsageError } from '../util/errors';
import { int, validate, z } from '../util/schema';
import {
  type Activation,
  Mlp,
  Optimizer,
  type OptimizerConfig,
  maskTensor,
  maskedEntropy,
  maskedLogSoftmax,
  pickColumns,
  sampleMaskedSoftmax,
} from './nn';
import { FastMlp, PolicyAgent } from './fastpath';
import { FusedActorCritic } from './fusedActorCritic';
import { chooseTrainBackend, type TrainBackend, type TrainBackendChoice } from '../nn/backend';
import { checkpointExists, loadCheckpoint, saveCheckpoint, storeNetwork, type StoredArray } from './checkpoint';
import { computeGae } from './gae';
import type { TrainMetrics, TrainOptions } from './types';

/** The hyperparameters every on-policy algorithm has (each documents its own DEFAULTS). */
export interface OnPolicyConfig {
  /** Total environment steps (all envs together). */
  totalSteps: number;
  /** Parallel environments. */
  numEnvs: number;
  /** Steps per env per rollout. */
  numSteps: number;
  gamma: number;
  /** GAE λ (1 = plain n-step returns). */
  gaeLambda: number;
  entCoef: number;
  vfCoef: number;
  maxGradNorm: number;
  hiddenSizes: number[];
  /**
   * > 1: the policy is a kernel network (RLScheduler): one MLP with hiddenSizes scores each of
   * kernelRows observation rows (e.g. 128 jobs × 8 features) and the scores are the logits. 1 = a
   * plain MLP over the whole observation. The value network is always a plain MLP.
   */
  kernelRows: number;
  activation: Activation;
  /** Write a checkpoint every this many updates (when checkpointDir is set). */
  checkpointEvery: number;
  /**
   * Who computes gradients and updates: 'fused' (src/nn/ kernels: sparse first layer, batched
   * acting over the envs), 'tfjs', or 'auto' (chooseTrainBackend: fused for small plain MLPs).
   * Both follow the same rollouts, shuffles and losses; they differ by float32 rounding only.
   */
  trainBackend: TrainBackendChoice;
}

/** The backend an on-policy run with this config trains on ('fused' or 'tfjs'). */
export function onPolicyTrainBackend(
  cfg: Pick<OnPolicyConfig, 'trainBackend' | 'hiddenSizes' | 'kernelRows'>,
): TrainBackend {
  return chooseTrainBackend(cfg.trainBackend, { hiddenSizes: cfg.hiddenSizes, kernelRows: cfg.kernelRows });
}

/**
 * Wraps an Env to keep a copy of the last observation of each finished episode (SyncVecEnv
 * resets a finished env at once, but a truncated episode must be bootstrapped with the value
 * of its real final observation) and the env's `info.expertAction`; records the episode for
 * exact resume (ReplayableEnv).
 */
export class FinalObservation implements Env {
  readonly observationSize: number;
  readonly numActions: number;
  readonly final: Float32Array;
  /** `info.expertAction` of the current observation (−1 when the env reports none). */
  expert = -1;
  private readonly rec: ReplayableEnv;
  constructor(readonly inner: Env) {
    this.rec = new ReplayableEnv(inner);
    this.observationSize = inner.observationSize;
    this.numActions = inner.numActions;
    this.final = new Float32Array(inner.observationSize);
  }
  reset(seed?: number): ResetResult {
    const r = this.rec.reset(seed);
    this.expert = typeof r.info.expertAction === 'number' ? r.info.expertAction : -1;
    return r;
  }
  step(action: number): StepResult {
    const r = this.rec.step(action);
    if (r.terminated || r.truncated) this.final.set(r.observation);
    this.expert = typeof r.info.expertAction === 'number' ? r.info.expertAction : -1;
    return r;
  }
  snapshot(): EnvSnapshot {
    return this.rec.snapshot();
  }
  restore(s: EnvSnapshot): ResetResult {
    const r = this.rec.restore(s);
    this.expert = typeof r.info.expertAction === 'number' ? r.info.expertAction : -1;
    return r;
  }
}

/**
 * log π(a|s) under the masked softmax of the A logits at `logits[off ..]` (float64, for the
 * rollout buffer).
 */
export function maskedLogProb(
  logits: Float32Array,
  mask: Uint8Array,
  moff: number,
  a: number,
  off = 0,
  A = logits.length - off,
): number {
  let max = -Infinity;
  for (let j = 0; j < A; j++) if (mask[moff + j] && logits[off + j] > max) max = logits[off + j];
  let z = 0;
  for (let j = 0; j < A; j++) if (mask[moff + j]) z += Math.exp(logits[off + j] - max);
  return logits[off + a] - max - Math.log(z);
}

/** One rollout, time-major (entry t·N + i = step t of env i); allocated once per run. */
export class RolloutBuffer {
  readonly size: number;
  /** Dense observations (empty when the run keeps them as sparse rows: the fused backend). */
  readonly obs: Float32Array;
  readonly masks: Uint8Array;
  readonly actions: Int32Array;
  /** log π_old(a|s) (filled only when the algorithm asks for it). */
  readonly logps: Float32Array;
  readonly values: Float32Array;
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly truncValues: Float32Array;
  readonly lastValues: Float32Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  private mb: Minibatch | null = null;
  constructor(
    readonly numSteps: number,
    readonly numEnvs: number,
    readonly obsSize: number,
    readonly numActions: number,
    denseObs = true,
  ) {
    const n = numSteps * numEnvs;
    this.size = n;
    this.obs = new Float32Array(denseObs ? n * obsSize : 0);
    this.masks = new Uint8Array(n * numActions);
    this.actions = new Int32Array(n);
    this.logps = new Float32Array(n);
    this.values = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.terminated = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.truncValues = new Float32Array(n);
    this.lastValues = new Float32Array(numEnvs);
    this.advantages = new Float32Array(n);
    this.returns = new Float32Array(n);
  }

  /**
   * Minibatch buffers of `size` states over this rollout (allocated once, then reused), with the
   * sample order reset to 0…size−1: call once per update, then `epoch` per pass (each pass
   * shuffles the previous pass's order, as CleanRL's ppo.py does).
   */
  minibatch(size: number): Minibatch {
    if (!this.mb || this.mb.size !== size) this.mb = new Minibatch(this, size);
    this.mb.resetOrder();
    return this.mb;
  }

  /** GAE(λ) advantages and returns of the collected rollout. */
  computeAdvantages(gamma: number, lambda: number): void {
    computeGae(
      {
        numSteps: this.numSteps,
        numEnvs: this.numEnvs,
        rewards: this.rewards,
        values: this.values,
        terminated: this.terminated,
        truncated: this.truncated,
        truncValues: this.truncValues,
        lastValues: this.lastValues,
        gamma,
        lambda,
      },
      this.advantages,
      this.returns,
    );
  }
}

// Advantage normalisation lives in gae.ts (no tfjs: A3C's worker threads use it too).
export { normalizeAdvantages } from './gae';

/**
 * A minibatch gathered from a RolloutBuffer (buffers reused across minibatches). `ids` are the
 * rollout entries it holds (what the fused backend indexes its sparse rows with); `obs` is
 * gathered only when the buffer keeps dense observations.
 */
export class Minibatch {
  readonly obs: Float32Array;
  ids: Int32Array;
  readonly masks: Uint8Array;
  readonly actions: Int32Array;
  readonly logps: Float32Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  readonly values: Float32Array;
  private readonly order: Int32Array;
  constructor(
    readonly buf: RolloutBuffer,
    readonly size: number,
  ) {
    const D = buf.obsSize;
    const A = buf.numActions;
    this.obs = new Float32Array(buf.obs.length > 0 ? size * D : 0);
    this.masks = new Uint8Array(size * A);
    this.actions = new Int32Array(size);
    this.logps = new Float32Array(size);
    this.advantages = new Float32Array(size);
    this.returns = new Float32Array(size);
    this.values = new Float32Array(size);
    this.order = new Int32Array(buf.size);
    this.ids = this.order.subarray(0, size);
  }

  resetOrder(): void {
    for (let k = 0; k < this.order.length; k++) this.order[k] = k;
  }

  /**
   * One epoch: shuffles the sample order with `rng` and calls `fn` for each full minibatch (a
   * remainder smaller than `size` is left out, as CleanRL does).
   */
  epoch(rng: Rng, fn: (mb: Minibatch) => void): void {
    const { buf, size, order } = this;
    const D = buf.obsSize;
    const A = buf.numActions;
    rng.shuffle(order);
    const dense = this.obs.length > 0;
    for (let start = 0; start + size <= buf.size; start += size) {
      this.ids = order.subarray(start, start + size);
      for (let j = 0; j < size; j++) {
        const k = order[start + j];
        if (dense) this.obs.set(buf.obs.subarray(k * D, (k + 1) * D), j * D);
        this.masks.set(buf.masks.subarray(k * A, (k + 1) * A), j * A);
        this.actions[j] = buf.actions[k];
        this.logps[j] = buf.logps[k];
        this.advantages[j] = buf.advantages[k];
        this.returns[j] = buf.returns[k];
        this.values[j] = buf.values[k];
      }
      fn(this);
    }
  }
}

/** Forward pass of both networks on n stored states (inside a trainStep/tidy scope). */
export function actorCriticForward(
  actor: Mlp,
  critic: Mlp,
  obs: Float32Array,
  masks: Uint8Array,
  actions: Int32Array,
  n: number,
  numActions: number,
): { logits: tf.Tensor2D; mask: tf.Tensor2D; logp: tf.Tensor1D; value: tf.Tensor1D; entropy: tf.Scalar } {
  const D = actor.spec.inputSize;
  const A = numActions;
  const x = tf.tensor2d(obs.subarray(0, n * D), [n, D]);
  const mask = maskTensor(masks.subarray(0, n * A), n, A);
  const logits = actor.forward(x);
  const logp = pickColumns(maskedLogSoftmax(logits, mask), actions.subarray(0, n));
  const value = tf.reshape(critic.forward(x), [n]) as tf.Tensor1D;
  const entropy = tf.mean(maskedEntropy(logits, mask)) as tf.Scalar;
  return { logits, mask, logp, value, entropy };
}

/** What an algorithm's hooks can use. */
export interface OnPolicyParts<C extends OnPolicyConfig> {
  readonly cfg: C;
  /** The tfjs networks (on the fused backend: updated from the fused ones before each checkpoint). */
  readonly actor: Mlp;
  readonly critic: Mlp;
  readonly agent: PolicyAgent;
  /** The training stream (minibatch shuffles); acting draws from agent.rng. */
  readonly rng: Rng;
  readonly vec: SyncVecEnv;
  readonly envs: readonly FinalObservation[];
  readonly seed: number;
}

/** The parts of a run on the tfjs backend: one optimizer over actor and critic variables. */
export interface TfjsParts<C extends OnPolicyConfig> extends OnPolicyParts<C> {
  readonly opt: Optimizer;
}

/** The parts of a run on the fused backend (the rollout's observations are in fused.rows). */
export interface FusedParts<C extends OnPolicyConfig> extends OnPolicyParts<C> {
  readonly fused: FusedActorCritic;
}

/** What A2C, PPO, … supply to the core. */
export interface OnPolicyAlgorithm<C extends OnPolicyConfig> {
  /** Checkpoint `algo` name and PolicyAgent name. */
  readonly name: string;
  /** Whether the rollout must store log π_old(a|s) (PPO's ratio). */
  readonly storesLogProbs: boolean;
  /** Checks the config before anything is built (throw UsageError). */
  validate(cfg: C): void;
  optimizer(cfg: C): OptimizerConfig;
  /**
   * Once, before the first update of a fresh run (never on resume); its metrics are reported
   * with every iteration and kept in the checkpoint. Optional (PPO's behaviour cloning).
   */
  warmStart?(parts: OnPolicyParts<C>): TrainMetrics;
  /** Learns from one collected rollout (advantages computed); returns the iteration's metrics. */
  update(parts: TfjsParts<C>, buf: RolloutBuffer, update: number, numUpdates: number): TrainMetrics;
  /**
   * `update` on the fused kernels: the same loss, gradient steps and RNG draws, the same metric
   * names; only float32 rounding differs.
   */
  updateFused(parts: FusedParts<C>, buf: RolloutBuffer, update: number, numUpdates: number): TrainMetrics;
}

/** Number of updates of a run. */
export function numUpdatesOf(cfg: Pick<OnPolicyConfig, 'totalSteps' | 'numEnvs' | 'numSteps'>): number {
  return Math.max(1, Math.floor(cfg.totalSteps / (cfg.numEnvs * cfg.numSteps)));
}

const COUNT = int(0, Number.MAX_SAFE_INTEGER);
/** `extra` of an on-policy checkpoint (validated on load: a corrupt one is refused, named). */
const EXTRA_SCHEMA = z.strictObject({
  vec: z.strictObject({ baseSeed: z.number().int(), episode: COUNT }),
  envs: z.array(z.strictObject({ carried: z.unknown(), seed: z.number().int(), check: int(0, 0xffffffff) })),
  warm: z.record(z.string(), z.number().nullable()),
});

/** Runs an on-policy algorithm; returns the trained policy. */
export async function trainOnPolicy<C extends OnPolicyConfig>(
  algo: OnPolicyAlgorithm<C>,
  makeEnv: (index: number) => Env,
  cfg: C,
  opts: TrainOptions,
): Promise<PolicyAgent> {
  const N = cfg.numEnvs;
  const T = cfg.numSteps;
  if (!(Number.isInteger(N) && N >= 1 && Number.isInteger(T) && T >= 1))
    throw new UsageError(`${algo.name}: numEnvs and numSteps must be integers ≥ 1`);
  algo.validate(cfg);
  const numUpdates = numUpdatesOf(cfg);

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
  const agent = new PolicyAgent(algo.name, actor, rng.fork(), cfg);
  const fastCritic = FastMlp.fromMlp(critic);
  // tfjs: actor and critic variables are trained, acting through agent/fastCritic. fused: the
  // FusedActorCritic is trained and acts; the tfjs networks (what checkpoints and the returned
  // agent hold) receive its weights before every checkpoint and at the end.
  const fused = onPolicyTrainBackend(cfg) === 'fused' ? new FusedActorCritic(actor, critic, algo.optimizer(cfg)) : null;
  const opt = fused ? null : new Optimizer([...actor.variables, ...critic.variables], algo.optimizer(cfg));
  const parts: OnPolicyParts<C> = { cfg, actor, critic, agent, rng, vec, envs, seed: opts.seed };
  const publish = (): void => {
    if (!fused) return;
    fused.writeWeights();
    agent.sync();
    fastCritic.updateFrom(critic);
  };
  // Running episode statistics per env (they span rollouts, so they are checkpointed).
  const epReturn = new Float64Array(N);
  const epLength = new Int32Array(N);
  let startUpdate = 0;
  let globalStep = 0;
  let warm: TrainMetrics = {};

  if (opts.checkpointDir && checkpointExists(opts.checkpointDir)) {
    const ck = await loadCheckpoint(opts.checkpointDir);
    const where = `${opts.checkpointDir}/state.json`;
    if (ck.algo !== algo.name)
      throw new UsageError(`${opts.checkpointDir} holds a '${ck.algo}' checkpoint, not ${algo.name}`);
    actor.setWeights(ck.networks.policy.weights);
    critic.setWeights(ck.networks.value.weights);
    fused?.readWeights();
    if (fused) fused.opt.setState(ck.optimizers!.main);
    else opt!.setState(ck.optimizers!.main);
    rng.setState(ck.rngs!.train);
    agent.rng.setState(ck.rngs!.act);
    startUpdate = ck.counters!.update;
    globalStep = ck.counters!.globalStep;
    const extra = validate(EXTRA_SCHEMA, ck.extra, `${where} extra`);
    if (extra.envs.length !== N)
      throw new UsageError(`${where}: extra.envs holds ${extra.envs.length} env states, the run has numEnvs ${N}`);
    const arr = (name: string, ctor: new (n: number) => StoredArray, length?: number): StoredArray => {
      const a = ck.arrays?.[name];
      if (!a || !(a instanceof ctor) || (length !== undefined && a.length !== length))
        throw new UsageError(`${where}: array ${name} is missing or malformed (corrupt checkpoint)`);
      return a;
    };
    epReturn.set(arr('episodeReturn', Float64Array, N));
    epLength.set(arr('episodeLength', Int32Array, N));
    const current = envs.map((e, i) =>
      e.restore({ ...extra.envs[i], actions: arr(`env/${i}/actions`, Int32Array) as Int32Array }),
    );
    vec.resume(extra.vec, current);
    warm = Object.fromEntries(Object.entries(extra.warm).map(([k, v]) => [k, v ?? NaN]));
    agent.sync();
    fastCritic.updateFrom(critic);
  }
  const save = async (update: number): Promise<void> => {
    publish();
    if (!opts.checkpointDir) return;
    const snaps = envs.map((e) => e.snapshot());
    const arrays: Record<string, StoredArray> = { episodeReturn: epReturn, episodeLength: epLength };
    snaps.forEach((s, i) => (arrays[`env/${i}/actions`] = s.actions));
    await saveCheckpoint(opts.checkpointDir, {
      algo: algo.name,
      networks: { policy: storeNetwork(actor), value: storeNetwork(critic) },
      optimizers: { main: fused ? fused.opt.getState() : opt!.getState() },
      rngs: { train: rng.getState(), act: agent.rng.getState() },
      counters: { update, globalStep },
      config: cfg,
      arrays,
      extra: {
        vec: vec.resetCounter(),
        envs: snaps.map((s) => ({ carried: s.carried, seed: s.seed, check: s.check })),
        // NaN is not JSON: stored as null.
        warm: Object.fromEntries(Object.entries(warm).map(([k, v]) => [k, Number.isFinite(v) ? v : null])),
      },
    });
  };

  if (startUpdate === 0) {
    if (algo.warmStart) warm = algo.warmStart(parts);
    fused?.readWeights();
    vec.reset(opts.seed);
  }

  const buf = new RolloutBuffer(T, N, D, A, fused === null);
  const stepActions = new Int32Array(N);
  const fusedParts: FusedParts<C> | null = fused ? { ...parts, fused } : null;
  const tfjsParts: TfjsParts<C> | null = opt ? { ...parts, opt } : null;
  /** 0, 1, 2, …: the rollout entries of a step are iota[t·N .. t·N + N). */
  const iota = Int32Array.from({ length: T * N }, (_, k) => k);
  /** V(obs) of one observation outside the rollout (a truncated episode's final one). */
  const valueOf = (obs: Float32Array): number => {
    if (!fused) return fastCritic.forward(obs, 0)[0];
    fused.spare.clear();
    fused.spare.push(obs, 0);
    return fused.critic.forwardRows(fused.spare, null, 1)[0];
  };
  for (let update = startUpdate; update < numUpdates; update++) {
    let finishedReturn = 0;
    let finishedLength = 0;
    let finished = 0;

    // 1. Rollout of numSteps steps in every env.
    fused?.rows.clear();
    for (let t = 0; t < T; t++) {
      const base = t * N;
      buf.masks.set(vec.actionMasks, base * A);
      if (fused) {
        // All envs' observations become rows t·N … t·N + N − 1 (scanned for nonzeros once, read
        // again by every epoch), and both networks act on them as one batch.
        for (let i = 0; i < N; i++) fused.rows.push(vec.observations, i * D);
        const ids = iota.subarray(base, base + N);
        const v = fused.critic.forwardRows(fused.rows, ids, N);
        for (let i = 0; i < N; i++) buf.values[base + i] = v[i];
        const logits = fused.actor.forwardRows(fused.rows, ids, N);
        for (let i = 0; i < N; i++) {
          const k = base + i;
          const a = sampleMaskedSoftmax(logits, i * A, vec.actionMasks, i * A, A, agent.rng);
          if (a < 0) throw new Error(`${algo.name}: env ${i} offers no legal action`);
          stepActions[i] = a;
          buf.actions[k] = a;
          if (algo.storesLogProbs) buf.logps[k] = maskedLogProb(logits, vec.actionMasks, i * A, a, i * A, A);
        }
      } else {
        buf.obs.set(vec.observations, base * D);
        for (let i = 0; i < N; i++) {
          const k = base + i;
          buf.values[k] = fastCritic.forward(vec.observations, i * D)[0];
          const logits = agent.logits(vec.observations, i * D);
          const a = sampleMaskedSoftmax(logits, 0, vec.actionMasks, i * A, A, agent.rng);
          if (a < 0) throw new Error(`${algo.name}: env ${i} offers no legal action`);
          stepActions[i] = a;
          buf.actions[k] = a;
          if (algo.storesLogProbs) buf.logps[k] = maskedLogProb(logits, vec.actionMasks, i * A, a);
        }
      }
      vec.step(stepActions);
      globalStep += N;
      for (let i = 0; i < N; i++) {
        const k = base + i;
        buf.rewards[k] = vec.rewards[i];
        buf.terminated[k] = vec.terminated[i];
        buf.truncated[k] = vec.truncated[i];
        if (buf.truncated[k] && !buf.terminated[k]) buf.truncValues[k] = valueOf(envs[i].final);
        epReturn[i] += vec.rewards[i];
        epLength[i]++;
        if (buf.terminated[k] || buf.truncated[k]) {
          finishedReturn += epReturn[i];
          finishedLength += epLength[i];
          finished++;
          epReturn[i] = 0;
          epLength[i] = 0;
        }
      }
    }
    if (fused) {
      fused.spare.clear();
      for (let i = 0; i < N; i++) fused.spare.push(vec.observations, i * D);
      buf.lastValues.set(fused.critic.forwardRows(fused.spare, null, N).subarray(0, N));
    } else for (let i = 0; i < N; i++) buf.lastValues[i] = fastCritic.forward(vec.observations, i * D)[0];

    // 2. Advantages and returns; 3. the algorithm's update.
    buf.computeAdvantages(cfg.gamma, cfg.gaeLambda);
    let metrics: TrainMetrics;
    if (fusedParts) metrics = algo.updateFused(fusedParts, buf, update, numUpdates);
    else {
      metrics = algo.update(tfjsParts!, buf, update, numUpdates);
      agent.sync();
      fastCritic.updateFrom(critic);
    }

    // Report before checkpointing: a run killed in between resumes from the previous
    // checkpoint and redoes (and re-reports) this update, so no curve row is lost.
    const done = update + 1;
    const stop = opts.onIteration?.(done, {
      globalStep,
      meanReturn: finished > 0 ? finishedReturn / finished : NaN,
      meanEpisodeLength: finished > 0 ? finishedLength / finished : NaN,
      ...metrics,
      ...warm,
    });
    if (stop === false || done % cfg.checkpointEvery === 0 || done === numUpdates) await save(done);
    if (stop === false) break;
  }
  publish();
  opt?.dispose();
  critic.dispose();
  return agent;
}
