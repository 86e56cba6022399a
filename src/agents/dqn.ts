/**
 * DQN (Mnih et al. 2015) with the Rainbow-lite switches, CleanRL style:
 *   - target network, hard copy (tau = 1) or Polyak averaging (tau < 1)
 *   - double DQN (van Hasselt et al. 2016): online net picks a', target net scores it
 *   - dueling head (Wang et al. 2016): Q = V + A − mean(A); here the MLP's last
 *     layer emits [A_0..A_{n−1}, V] from a shared torso (linear V/A streams)
 *   - prioritised replay (Schaul et al. 2016) with β annealing, see replay.ts
 *   - n-step returns (see nstep.ts)
 *   - Huber or squared loss, global gradient-norm clipping
 * All switches and hyperparameters live in DQN_DEFAULTS below.
 *
 * Action masks: exploration draws among legal actions, the greedy choice and the
 * bootstrap max (or double-DQN argmax) run over the *next state's* legal actions.
 *
 * Step quantities (totalSteps, learningStarts, trainFrequency, targetUpdateInterval,
 * logEvery, checkpointEvery, schedules) count environment steps summed over all
 * sub-environments, so changing numEnvs does not change the update-to-data ratio.
 */
import type { Env, VecEnv } from '../env/types';
import { ReplayableEnv, type EnvSnapshot } from '../env/replayable';
import { tf } from '../tf/tf';
import { initBackend } from '../tf/backend';
import { UsageError } from '../util/errors';
import { Rng } from '../util/rng';
import {
  type ComponentState,
  type StoredArray,
  checkpointExists,
  loadCheckpoint,
  restoreNetwork,
  saveCheckpoint,
  storeNetwork,
  storedArray,
} from './checkpoint';
import { int, validate, z } from '../util/schema';
import { Mlp, Optimizer, type Activation, type OptimizerConfig, pickColumns, trainStep } from './nn';
import { NStepAccumulator } from './nstep';
import { maskedArgmax, randomLegalAction } from './masks';
import { PrioritizedReplay, type ReplayBatch, type ReplayBuffer, UniformReplay } from './replay';
import { type Schedule, scheduleValue, validateSchedule } from './schedules';
import type { Agent, TrainLogger } from './types';

// ---------------------------------------------------------------------------
// Hyperparameters
// ---------------------------------------------------------------------------

export interface DqnConfig {
  /** Environment steps to train for (summed over sub-environments). */
  totalSteps: number;
  /** Hidden layer sizes of the Q network. */
  hiddenSizes: number[];
  /**
   * > 1: the Q network is a kernel network (as RLScheduler's policy): one MLP scores each of
   * kernelRows observation rows and the scores are the Q values of "start this row's job".
   * Incompatible with the dueling head (its extra value output is not a row).
   */
  kernelRows: number;
  activation: Activation;
  /** Optimizer (nn.ts): kind 'adam' | 'rmsprop' | 'sgd', lr, ... */
  optimizer: OptimizerConfig;
  /** Discount factor γ. */
  gamma: number;
  /** Replay capacity (transitions). */
  bufferSize: number;
  /** Transitions per gradient step. */
  batchSize: number;
  /** Env steps of pure data collection before the first gradient step. */
  learningStarts: number;
  /** One round of `gradientSteps` updates every `trainFrequency` env steps. */
  trainFrequency: number;
  gradientSteps: number;
  /** Env steps between target-network updates. */
  targetUpdateInterval: number;
  /** Target update θ' ← τ·θ + (1 − τ)·θ'; 1 = hard copy. */
  tau: number;
  /** Double DQN targets. */
  double: boolean;
  /** Dueling head. */
  dueling: boolean;
  /** n of the n-step return (1 = classic one-step DQN). */
  nStep: number;
  /** Prioritised replay instead of uniform. */
  prioritized: boolean;
  /** PER priority exponent α. */
  perAlpha: number;
  /** PER importance-sampling exponent β over env steps (annealed towards 1). */
  perBeta: Schedule;
  /** Added to |δ| for PER priorities. */
  perEpsilon: number;
  /** 'huber' (smooth L1 with `huberDelta`) or 'mse' (½δ²). */
  loss: 'huber' | 'mse';
  huberDelta: number;
  /** Clip the global gradient L2 norm to this (0 = no clipping; JSON-safe unlike Infinity). */
  maxGradNorm: number;
  /** Exploration ε over env steps. */
  epsilon: Schedule;
  /** Env steps between `onIteration` reports. */
  logEvery: number;
  /** Env steps between checkpoints when a checkpointDir is given (0 = only at the end). */
  checkpointEvery: number;
}

/**
 * Defaults follow CleanRL's dqn.py, scaled to small problems. When `epsilon` /
 * `perBeta` are not given, they are derived from totalSteps: ε 1 → 0.05 over the
 * first half, β 0.4 → 1 over the whole run.
 */
export const DQN_DEFAULTS: Readonly<DqnConfig> = Object.freeze<DqnConfig>({
  totalSteps: 100_000,
  hiddenSizes: [64, 64],
  kernelRows: 1,
  activation: 'relu',
  optimizer: { kind: 'adam', lr: 2.5e-4 },
  gamma: 0.99,
  bufferSize: 10_000,
  batchSize: 128,
  learningStarts: 1_000,
  trainFrequency: 4,
  gradientSteps: 1,
  targetUpdateInterval: 500,
  tau: 1,
  double: true,
  dueling: false,
  nStep: 1,
  prioritized: false,
  perAlpha: 0.6,
  perBeta: { kind: 'linear', start: 0.4, end: 1, steps: 100_000 },
  perEpsilon: 1e-6,
  loss: 'huber',
  huberDelta: 1,
  maxGradNorm: 10,
  epsilon: { kind: 'linear', start: 1, end: 0.05, steps: 50_000 },
  logEvery: 1_000,
  checkpointEvery: 0,
});

export function resolveDqnConfig(partial: Partial<DqnConfig> = {}): DqnConfig {
  const total = partial.totalSteps ?? DQN_DEFAULTS.totalSteps;
  const c: DqnConfig = {
    ...DQN_DEFAULTS,
    epsilon: { kind: 'linear', start: 1, end: 0.05, steps: Math.round(total / 2) },
    perBeta: { kind: 'linear', start: 0.4, end: 1, steps: total },
    ...partial,
  };
  c.hiddenSizes = [...c.hiddenSizes];
  c.optimizer = { ...c.optimizer };
  const int = (k: keyof DqnConfig, min: number): void => {
    const v = c[k] as number;
    if (!Number.isInteger(v) || v < min) throw new UsageError(`dqn.${k} must be an integer >= ${min}, got ${v}`);
  };
  int('totalSteps', 0);
  int('bufferSize', 1);
  int('batchSize', 1);
  int('learningStarts', 0);
  int('trainFrequency', 1);
  int('gradientSteps', 0);
  int('targetUpdateInterval', 1);
  int('nStep', 1);
  int('logEvery', 1);
  int('checkpointEvery', 0);
  if (!Number.isInteger(c.kernelRows) || c.kernelRows < 1)
    throw new UsageError(`dqn.kernelRows must be a positive integer, got ${c.kernelRows}`);
  if (c.kernelRows > 1 && c.dueling) throw new UsageError('dqn: kernelRows > 1 needs dueling false');
  if (c.hiddenSizes.some((h) => !Number.isInteger(h) || h < 1))
    throw new UsageError(`dqn.hiddenSizes must be positive integers, got [${c.hiddenSizes}]`);
  if (!(c.gamma >= 0 && c.gamma <= 1)) throw new UsageError(`dqn.gamma must be in [0, 1], got ${c.gamma}`);
  if (!(c.tau > 0 && c.tau <= 1)) throw new UsageError(`dqn.tau must be in (0, 1], got ${c.tau}`);
  if (!(c.perAlpha >= 0)) throw new UsageError(`dqn.perAlpha must be >= 0, got ${c.perAlpha}`);
  if (!(c.perEpsilon > 0)) throw new UsageError(`dqn.perEpsilon must be > 0, got ${c.perEpsilon}`);
  if (!(c.huberDelta > 0)) throw new UsageError(`dqn.huberDelta must be > 0, got ${c.huberDelta}`);
  if (!(c.maxGradNorm >= 0)) throw new UsageError(`dqn.maxGradNorm must be >= 0 (0 = off), got ${c.maxGradNorm}`);
  if (c.loss !== 'huber' && c.loss !== 'mse')
    throw new UsageError(`dqn.loss must be 'huber' or 'mse', got '${c.loss}'`);
  if (!(c.optimizer.lr > 0)) throw new UsageError(`dqn.optimizer.lr must be > 0, got ${c.optimizer.lr}`);
  validateSchedule(c.epsilon, 'dqn.epsilon');
  validateSchedule(c.perBeta, 'dqn.perBeta');
  return c;
}

// ---------------------------------------------------------------------------
// Q network
// ---------------------------------------------------------------------------

export function buildQNetwork(
  obsSize: number,
  numActions: number,
  c: Pick<DqnConfig, 'hiddenSizes' | 'activation' | 'dueling'> & { kernelRows?: number },
  rng: Rng,
  name: string,
): Mlp {
  return new Mlp(
    {
      inputSize: obsSize,
      hiddenSizes: c.hiddenSizes,
      outputSize: numActions + (c.dueling ? 1 : 0),
      activation: c.activation,
      rows: c.kernelRows ?? 1,
    },
    rng,
    name,
  );
}

/** Q values [n, numActions] for input x (inside tf.tidy). */
export function qValues(net: Mlp, x: tf.Tensor2D, numActions: number, dueling: boolean): tf.Tensor2D {
  const out = net.forward(x);
  if (!dueling) return out;
  const n = x.shape[0];
  const adv = tf.slice(out, [0, 0], [n, numActions]);
  const v = tf.slice(out, [0, numActions], [n, 1]);
  return tf.add(v, tf.sub(adv, tf.mean(adv, 1, true))) as tf.Tensor2D;
}

/** Q values of n rows of a flat observation array, as a flat Float32Array (n × numActions). */
export function predictQ(net: Mlp, obs: Float32Array, n: number, numActions: number, dueling: boolean): Float32Array {
  const inputSize = net.spec.inputSize;
  return tf.tidy(
    () =>
      qValues(
        net,
        tf.tensor2d(obs.subarray(0, n * inputSize), [n, inputSize]),
        numActions,
        dueling,
      ).dataSync() as Float32Array,
  );
}

/**
 * Bootstrapped targets y_j = r_j + (1 − terminated_j) · discount_j · Q̂(s'_j), where
 *   Q̂(s') = max_{a' legal} Qtarget(s', a')                         (plain DQN)
 *   Q̂(s') = Qtarget(s', argmax_{a' legal} Qonline(s', a'))        (double DQN, qNextOnline given)
 * and Q̂ = 0 when no action is legal at s'. Pure: exported for tests.
 */
export function computeTargets(
  batch: ReplayBatch,
  qNextTarget: Float32Array,
  qNextOnline: Float32Array | null,
  numActions: number,
  out: Float32Array,
): Float32Array {
  for (let j = 0; j < batch.size; j++) {
    let boot = 0;
    if (batch.terminated[j] === 0) {
      const off = j * numActions;
      const a = maskedArgmax(qNextOnline ?? qNextTarget, off, batch.nextMasks, off, numActions);
      if (a >= 0) boot = batch.discounts[j] * qNextTarget[off + a];
    }
    out[j] = batch.rewards[j] + boot;
  }
  return out;
}

/** Elementwise Huber loss of x with threshold delta: ½x² inside, delta·(|x| − ½delta) outside. */
export function huber(x: tf.Tensor1D, delta: number): tf.Tensor1D {
  const a = tf.abs(x);
  const quad = tf.minimum(a, delta);
  return tf.add(tf.mul(0.5, tf.square(quad)), tf.mul(delta, tf.sub(a, quad))) as tf.Tensor1D;
}

// ---------------------------------------------------------------------------
// Agent (the trained policy)
// ---------------------------------------------------------------------------

export class DqnAgent implements Agent {
  readonly name = 'dqn';
  /** Exploration rate of `act(…, greedy = false)`; the training loop anneals it. */
  epsilon = 0;
  private q: Float32Array = new Float32Array(0);
  private readonly one = new Int32Array(1);

  constructor(
    readonly net: Mlp,
    readonly numActions: number,
    readonly dueling: boolean,
    private readonly rng: Rng,
    /** Hyperparameters saved alongside the weights. */
    readonly config: DqnConfig,
  ) {}

  act(obs: Float32Array, mask: Uint8Array, greedy = false): number {
    this.actBatch(obs, mask, 1, this.one, greedy);
    return this.one[0];
  }

  /** ε-greedy (or greedy) legal actions for n observations with one forward pass. */
  actBatch(obs: Float32Array, masks: Uint8Array, n: number, out: Int32Array, greedy = false): void {
    const A = this.numActions;
    let needQ = greedy;
    if (!greedy) {
      // Decide exploration first so an all-random step skips the forward pass.
      for (let i = 0; i < n; i++) {
        if (this.rng.random() < this.epsilon) out[i] = randomLegalAction(masks, i * A, A, this.rng);
        else {
          out[i] = -1;
          needQ = true;
        }
      }
    }
    if (!needQ) return;
    this.q = predictQ(this.net, obs, n, A, this.dueling);
    for (let i = 0; i < n; i++) {
      if (!greedy && out[i] >= 0) continue;
      const a = maskedArgmax(this.q, i * A, masks, i * A, A);
      if (a < 0) throw new Error(`action mask of row ${i} has no legal action`);
      out[i] = a;
    }
  }

  /** Saves the Q network and config (checkpoint.ts format, algo 'dqn'). */
  async save(dir: string): Promise<void> {
    await saveCheckpoint(dir, {
      algo: 'dqn',
      networks: { q: storeNetwork(this.net) },
      config: this.config,
      extra: { numActions: this.numActions },
    });
  }

  /** Rebuilds a greedy-ready agent from `save` or from a training checkpoint. */
  static async load(dir: string, rng = new Rng(0)): Promise<DqnAgent> {
    const ck = await loadCheckpoint(dir);
    if (ck.algo !== 'dqn') throw new Error(`${dir} holds a '${ck.algo}' checkpoint, not 'dqn'`);
    const config = resolveDqnConfig(ck.config as Partial<DqnConfig>);
    const net = restoreNetwork(ck.networks.q, 'dqn_q');
    const numActions = net.spec.outputSize - (config.dueling ? 1 : 0);
    return new DqnAgent(net, numActions, config.dueling, rng, config);
  }
}

// ---------------------------------------------------------------------------
// Environment adapter: one batch interface over Env and VecEnv
// ---------------------------------------------------------------------------

/**
 * A VecEnv whose sub-envs auto-reset, plus the final observation / mask of a
 * sub-env whose episode ended this step (needed to bootstrap truncated episodes).
 * A VecEnv may expose `finalObservations` / `finalActionMasks` (numEnvs × size,
 * valid for rows that ended this step); without them truncated tails are dropped.
 */
interface Stepper extends VecEnv {
  finalObservation(i: number): Float32Array | null;
  finalMask(i: number): Uint8Array | null;
  /** Where the env is, for exact resume (null: this stepper cannot snapshot its env). */
  snapshot(): { snap: EnvSnapshot; baseSeed: number; episode: number } | null;
  restore(s: { snap: EnvSnapshot; baseSeed: number; episode: number }): void;
}

class SingleEnvStepper implements Stepper {
  readonly numEnvs = 1;
  readonly observationSize: number;
  readonly numActions: number;
  readonly observations: Float32Array;
  readonly actionMasks: Uint8Array;
  readonly rewards = new Float32Array(1);
  readonly terminated = new Uint8Array(1);
  readonly truncated = new Uint8Array(1);
  private readonly finalObs: Float32Array;
  private readonly finalMsk: Uint8Array;
  private baseSeed = 0;
  private episode = 0;
  private readonly env: ReplayableEnv;

  constructor(inner: Env) {
    const env = new ReplayableEnv(inner);
    this.env = env;
    this.observationSize = env.observationSize;
    this.numActions = env.numActions;
    this.observations = new Float32Array(env.observationSize);
    this.actionMasks = new Uint8Array(env.numActions);
    this.finalObs = new Float32Array(env.observationSize);
    this.finalMsk = new Uint8Array(env.numActions);
  }

  reset(seed = 0): void {
    this.baseSeed = seed;
    this.episode = 1;
    const r = this.env.reset(seed);
    this.observations.set(r.observation);
    this.actionMasks.set(r.info.actionMask);
  }

  step(actions: Int32Array): void {
    const r = this.env.step(actions[0]);
    this.rewards[0] = r.reward;
    this.terminated[0] = r.terminated ? 1 : 0;
    this.truncated[0] = r.truncated ? 1 : 0;
    if (r.terminated || r.truncated) {
      this.finalObs.set(r.observation);
      this.finalMsk.set(r.info.actionMask);
      const n = this.env.reset(this.baseSeed + this.episode++);
      this.observations.set(n.observation);
      this.actionMasks.set(n.info.actionMask);
    } else {
      this.observations.set(r.observation);
      this.actionMasks.set(r.info.actionMask);
    }
  }

  finalObservation(): Float32Array {
    return this.finalObs;
  }

  snapshot(): { snap: EnvSnapshot; baseSeed: number; episode: number } {
    return { snap: this.env.snapshot(), baseSeed: this.baseSeed, episode: this.episode };
  }

  restore(s: { snap: EnvSnapshot; baseSeed: number; episode: number }): void {
    const r = this.env.restore(s.snap);
    this.observations.set(r.observation);
    this.actionMasks.set(r.info.actionMask);
    this.baseSeed = s.baseSeed;
    this.episode = s.episode;
  }

  finalMask(): Uint8Array {
    return this.finalMsk;
  }
}

type VecEnvWithFinals = VecEnv & { finalObservations?: Float32Array; finalActionMasks?: Uint8Array };

/** Delegates to a VecEnv without modifying it. */
class VecStepper implements Stepper {
  constructor(private readonly v: VecEnvWithFinals) {}
  get numEnvs(): number {
    return this.v.numEnvs;
  }
  get observationSize(): number {
    return this.v.observationSize;
  }
  get numActions(): number {
    return this.v.numActions;
  }
  get observations(): Float32Array {
    return this.v.observations;
  }
  get actionMasks(): Uint8Array {
    return this.v.actionMasks;
  }
  get rewards(): Float32Array {
    return this.v.rewards;
  }
  get terminated(): Uint8Array {
    return this.v.terminated;
  }
  get truncated(): Uint8Array {
    return this.v.truncated;
  }
  reset(seed?: number): void {
    this.v.reset(seed);
  }
  step(actions: Int32Array): void {
    this.v.step(actions);
  }
  finalObservation(i: number): Float32Array | null {
    const o = this.v.observationSize;
    return this.v.finalObservations ? this.v.finalObservations.subarray(i * o, i * o + o) : null;
  }
  finalMask(i: number): Uint8Array | null {
    const A = this.v.numActions;
    return this.v.finalActionMasks ? this.v.finalActionMasks.subarray(i * A, i * A + A) : null;
  }
  snapshot(): null {
    return null;
  }
  restore(): void {
    throw new UsageError(
      'dqn: a run on a VecEnv cannot be resumed exactly (its envs cannot be snapshot); use an Env factory',
    );
  }
}

function asStepper(e: Env | VecEnv): Stepper {
  return 'numEnvs' in e ? new VecStepper(e) : new SingleEnvStepper(e);
}

// ---------------------------------------------------------------------------
// Training loop
// ---------------------------------------------------------------------------

const FINITE = z.number().refine(Number.isFinite, 'must be finite');
/** `extra` of a DQN training checkpoint (validated on load). */
const DQN_EXTRA_SCHEMA = z.strictObject({
  numActions: int(1, 2 ** 31 - 1),
  report: z.strictObject({ sumReturn: FINITE, sumLoss: FINITE, sumQ: FINITE, sumAbsTd: FINITE, sumGradNorm: FINITE }),
  replay: z.record(z.string(), FINITE),
  nstep: z.array(z.record(z.string(), FINITE)),
  env: z
    .strictObject({
      snap: z.strictObject({ carried: z.unknown(), seed: z.number().int(), check: int(0, 0xffffffff) }),
      baseSeed: z.number().int(),
      episode: int(0, Number.MAX_SAFE_INTEGER),
    })
    .nullable(),
});

export interface DqnRunOptions {
  seed: number;
  /**
   * Called every `logEvery` env steps and at the end. Metrics: step, episodes,
   * epsilon, beta, meanEpisodeReturn, meanEpisodeLength (episodes finished since the
   * last call; NaN if none), loss, meanQ, meanAbsTdError, gradNorm (means over the
   * gradient steps since the last call), gradientSteps, stepsPerSecond.
   * Return false to stop early.
   */
  onIteration?: TrainLogger;
  /** Write a checkpoint here every `checkpointEvery` env steps and at the end. */
  checkpointDir?: string;
  /** Continue exactly from the checkpoint in checkpointDir if there is one (see the resume note in trainDqn). */
  resume?: boolean;
}

export interface DqnResult {
  agent: DqnAgent;
  config: DqnConfig;
  steps: number;
  episodes: number;
  gradientSteps: number;
}

/**
 * Trains DQN. `envFactory(seed)` is called once and may return a single Env or a
 * VecEnv (auto-resetting sub-envs). The run is a pure function of (factory, config, seed).
 */
export async function trainDqn(
  envFactory: (seed: number) => Env | VecEnv,
  config: Partial<DqnConfig>,
  opts: DqnRunOptions,
): Promise<DqnResult> {
  await initBackend();
  const c = resolveDqnConfig(config);
  const rng = new Rng(opts.seed);
  const env = asStepper(envFactory(rng.nextUint32()));
  const N = env.numEnvs;
  const O = env.observationSize;
  const A = env.numActions;

  // Networks, optimizer, replay, n-step accumulators.
  const initRng = rng.fork();
  const online = buildQNetwork(O, A, c, initRng, 'dqn_q');
  const target = buildQNetwork(O, A, c, initRng, 'dqn_target');
  target.copyFrom(online);
  const opt = new Optimizer(online.variables, c.optimizer);
  const replay: ReplayBuffer = c.prioritized
    ? new PrioritizedReplay(c.bufferSize, O, A, { alpha: c.perAlpha, epsilon: c.perEpsilon })
    : new UniformReplay(c.bufferSize, O, A);
  const addToReplay = (t: Parameters<ReplayBuffer['add']>[0]): void => void replay.add(t);
  const nsteps = Array.from({ length: N }, () => new NStepAccumulator(c.nStep, c.gamma, O, A));
  const actRng = rng.fork();
  const sampleRng = rng.fork();
  const agent = new DqnAgent(online, A, c.dueling, actRng, c);

  let step = 0;
  let episodes = 0;
  let gradientSteps = 0;
  let iteration = 0;

  // Per-step buffers (allocated once).
  const prevObs = new Float32Array(N * O);
  const actions = new Int32Array(N);
  const episodeReturn = new Float64Array(N);
  const episodeLength = new Int32Array(N);
  const targets = new Float32Array(c.batchSize);

  // Report accumulators.
  let sumReturn = 0;
  let sumLength = 0;
  let nEpisodes = 0;
  let sumLoss = 0;
  let sumQ = 0;
  let sumAbsTd = 0;
  let sumGradNorm = 0;
  let nUpdates = 0;
  let sinceTrain = 0;
  let sinceTarget = 0;
  let sinceLog = 0;
  let sinceCheckpoint = 0;

  // Exact resume: the checkpoint holds everything the loop's future depends on — networks,
  // optimizer, the three RNG streams, counters, the replay buffer (incl. PER's sum/min trees
  // and max priority), each env's n-step accumulator, the env itself mid-episode (replayed,
  // env/replayable.ts), running episode statistics and the half-filled report accumulators.
  let resumed = false;
  if (opts.resume && opts.checkpointDir && checkpointExists(opts.checkpointDir)) {
    const ck = await loadCheckpoint(opts.checkpointDir);
    const where = `${opts.checkpointDir}/state.json`;
    if (ck.algo !== 'dqn') throw new UsageError(`${opts.checkpointDir} holds a '${ck.algo}' checkpoint, not 'dqn'`);
    if (!ck.networks.target || !ck.optimizers?.q || !ck.rngs?.main || !ck.rngs.act || !ck.rngs.sample)
      throw new UsageError(`${where}: not a DQN training checkpoint (target network, optimizer or RNGs missing)`);
    online.setWeights(ck.networks.q.weights);
    target.setWeights(ck.networks.target.weights);
    opt.setState(ck.optimizers.q);
    rng.setState(ck.rngs.main);
    actRng.setState(ck.rngs.act);
    sampleRng.setState(ck.rngs.sample);
    const k = ck.counters ?? {};
    ({ step = 0, episodes = 0, gradientSteps = 0, iteration = 0 } = k);
    ({ sinceTrain = 0, sinceTarget = 0, sinceLog = 0, sinceCheckpoint = 0 } = k);
    ({ sumLength = 0, nEpisodes = 0, nUpdates = 0 } = k);
    const x = validate(DQN_EXTRA_SCHEMA, ck.extra, `${where} extra`);
    if (x.numActions !== A) throw new UsageError(`${where}: numActions ${x.numActions}, the env has ${A}`);
    ({ sumReturn, sumLoss, sumQ, sumAbsTd, sumGradNorm } = x.report);
    const part = (prefix: string, scalars: Record<string, number>): ComponentState => {
      const arrays: Record<string, StoredArray> = {};
      for (const [name, v] of Object.entries(ck.arrays ?? {}))
        if (name.startsWith(prefix)) arrays[name.slice(prefix.length)] = v;
      return { arrays, scalars };
    };
    try {
      replay.setState(part('replay/', x.replay));
      nsteps.forEach((acc, i) => acc.setState(part(`nstep/${i}/`, x.nstep[i] ?? {})));
    } catch (e) {
      throw new UsageError(`${where}: ${(e as Error).message} (corrupt checkpoint, or other replay settings)`);
    }
    episodeReturn.set(storedArray(ck, where, 'episodeReturn', Float64Array, N));
    episodeLength.set(storedArray(ck, where, 'episodeLength', Int32Array, N));
    if (!x.env)
      throw new UsageError(`${where}: the run's env (a VecEnv) was not snapshot, so it cannot be resumed exactly`);
    env.restore({
      snap: { ...x.env.snap, actions: storedArray(ck, where, 'env/actions', Int32Array) },
      baseSeed: x.env.baseSeed,
      episode: x.env.episode,
    });
    resumed = true;
  }
  const saveTo = async (dir: string): Promise<void> => {
    const arrays: Record<string, StoredArray> = { episodeReturn, episodeLength };
    const r = replay.getState();
    for (const [name, v] of Object.entries(r.arrays)) arrays[`replay/${name}`] = v;
    const nstep = nsteps.map((acc, i) => {
      const st = acc.getState();
      for (const [name, v] of Object.entries(st.arrays)) arrays[`nstep/${i}/${name}`] = v;
      return st.scalars;
    });
    const e = env.snapshot();
    if (e) arrays['env/actions'] = e.snap.actions;
    await saveCheckpoint(dir, {
      algo: 'dqn',
      networks: { q: storeNetwork(online), target: storeNetwork(target) },
      optimizers: { q: opt.getState() },
      rngs: { main: rng.getState(), act: actRng.getState(), sample: sampleRng.getState() },
      counters: {
        step,
        episodes,
        gradientSteps,
        iteration,
        sinceTrain,
        sinceTarget,
        sinceLog,
        sinceCheckpoint,
        sumLength,
        nEpisodes,
        nUpdates,
      },
      config: c,
      arrays,
      extra: {
        numActions: A,
        report: { sumReturn, sumLoss, sumQ, sumAbsTd, sumGradNorm },
        replay: r.scalars,
        nstep,
        env: e
          ? {
              snap: { carried: e.snap.carried, seed: e.snap.seed, check: e.snap.check },
              baseSeed: e.baseSeed,
              episode: e.episode,
            }
          : null,
      },
    });
  };
  let clock = Date.now();
  let clockStep = step;

  /** One gradient step on a replay batch; accumulates metrics. */
  const update = (beta: number): void => {
    const B = c.batchSize;
    const batch = replay.sample(B, sampleRng, beta);
    const qNextTarget = predictQ(target, batch.nextObs, B, A, c.dueling);
    let qNextOnline: Float32Array | null = null;
    if (c.double) qNextOnline = predictQ(online, batch.nextObs, B, A, c.dueling);
    computeTargets(batch, qNextTarget, qNextOnline, A, targets);
    // TD errors (before the update) are kept out of the tape for PER priorities.
    const kept: { td?: tf.Tensor1D } = {};
    const res = trainStep(
      opt,
      () => {
        const x = tf.tensor2d(batch.obs.subarray(0, B * O), [B, O]);
        const q = qValues(online, x, A, c.dueling);
        const qa = pickColumns(q, batch.actions);
        const delta = tf.sub(tf.tensor1d(targets), qa) as tf.Tensor1D;
        kept.td = tf.keep(delta);
        const perSample = c.loss === 'huber' ? huber(delta, c.huberDelta) : tf.mul(0.5, tf.square(delta));
        const loss = tf.mean(tf.mul(perSample, tf.tensor1d(batch.weights))) as tf.Scalar;
        return { loss, metrics: { meanQ: tf.mean(qa) as tf.Scalar } };
      },
      c.maxGradNorm > 0 ? c.maxGradNorm : Infinity,
    );
    const tdValues = kept.td!.dataSync() as Float32Array;
    kept.td!.dispose();
    let absTd = 0;
    for (let j = 0; j < B; j++) absTd += Math.abs(tdValues[j]);
    replay.updatePriorities(batch.indices, tdValues);
    sumLoss += res.loss;
    sumQ += res.metrics.meanQ;
    sumAbsTd += absTd / B;
    sumGradNorm += res.gradNorm;
    nUpdates++;
    gradientSteps++;
  };

  const updateTarget = (): void => {
    if (c.tau >= 1) {
      target.copyFrom(online);
      return;
    }
    tf.tidy(() => {
      target.variables.forEach((v, i) => v.assign(tf.add(tf.mul(c.tau, online.variables[i]), tf.mul(1 - c.tau, v))));
    });
  };

  const report = (): boolean => {
    const now = Date.now();
    const metrics = {
      step,
      episodes,
      epsilon: agent.epsilon,
      beta: c.prioritized ? scheduleValue(c.perBeta, step) : NaN,
      meanEpisodeReturn: nEpisodes > 0 ? sumReturn / nEpisodes : NaN,
      meanEpisodeLength: nEpisodes > 0 ? sumLength / nEpisodes : NaN,
      loss: nUpdates > 0 ? sumLoss / nUpdates : NaN,
      meanQ: nUpdates > 0 ? sumQ / nUpdates : NaN,
      meanAbsTdError: nUpdates > 0 ? sumAbsTd / nUpdates : NaN,
      gradNorm: nUpdates > 0 ? sumGradNorm / nUpdates : NaN,
      gradientSteps,
      stepsPerSecond: now > clock ? ((step - clockStep) * 1000) / (now - clock) : NaN,
    };
    clock = now;
    clockStep = step;
    sumReturn = sumLength = nEpisodes = sumLoss = sumQ = sumAbsTd = sumGradNorm = nUpdates = 0;
    return opts.onIteration?.(iteration++, metrics) !== false;
  };

  if (!resumed) env.reset(rng.nextUint32());
  let stopped = false;
  while (step < c.totalSteps && !stopped) {
    // Act.
    agent.epsilon = scheduleValue(c.epsilon, step);
    prevObs.set(env.observations);
    agent.actBatch(env.observations, env.actionMasks, N, actions);
    env.step(actions);
    step += N;

    // Store (n-step folded) transitions.
    for (let i = 0; i < N; i++) {
      const term = env.terminated[i] === 1;
      const trunc = env.truncated[i] === 1;
      const ended = term || trunc;
      const nextObs = ended ? env.finalObservation(i) : env.observations.subarray(i * O, i * O + O);
      const nextMask = ended ? env.finalMask(i) : env.actionMasks.subarray(i * A, i * A + A);
      nsteps[i].push(
        prevObs.subarray(i * O, i * O + O),
        actions[i],
        env.rewards[i],
        nextObs,
        nextMask,
        term,
        trunc,
        addToReplay,
      );
      episodeReturn[i] += env.rewards[i];
      episodeLength[i]++;
      if (ended) {
        episodes++;
        nEpisodes++;
        sumReturn += episodeReturn[i];
        sumLength += episodeLength[i];
        episodeReturn[i] = 0;
        episodeLength[i] = 0;
      }
    }

    // Learn.
    if (step >= c.learningStarts && replay.size >= c.batchSize) {
      sinceTrain += N;
      while (sinceTrain >= c.trainFrequency) {
        sinceTrain -= c.trainFrequency;
        const beta = scheduleValue(c.perBeta, step);
        for (let g = 0; g < c.gradientSteps; g++) update(beta);
      }
      sinceTarget += N;
      if (sinceTarget >= c.targetUpdateInterval) {
        sinceTarget %= c.targetUpdateInterval;
        updateTarget();
      }
    }

    // Report and checkpoint.
    sinceLog += N;
    if (sinceLog >= c.logEvery) {
      sinceLog %= c.logEvery;
      if (!report()) stopped = true;
    }
    if (opts.checkpointDir && c.checkpointEvery > 0) {
      sinceCheckpoint += N;
      if (sinceCheckpoint >= c.checkpointEvery) {
        sinceCheckpoint %= c.checkpointEvery;
        await saveTo(opts.checkpointDir);
      }
    }
  }
  // The last partial logging period (once: a run resumed after its final checkpoint reports nothing again).
  if (sinceLog > 0 && !stopped) {
    sinceLog = 0;
    report();
  }
  if (opts.checkpointDir) await saveTo(opts.checkpointDir);
  target.dispose();
  opt.dispose();
  return { agent, config: c, steps: step, episodes, gradientSteps };
}
