/**
 * Tabular Q-learning (Watkins 1989) with hashed state discretisation and action masks.
 *
 *   Q(s,a) ← Q(s,a) + lr · (r + γ · (1 − terminated) · max_{a' legal at s'} Q(s',a') − Q(s,a))
 *
 * States are mapped to table rows by a pluggable `StateKey` (obs → uint32 key,
 * row = key mod tableSize). The default quantises each observation component into
 * `bins` equal bins over [obsLow, obsHigh] and hashes the bin bytes with FNV-1a,
 * so any observation size fits a fixed table (distinct states may collide; size the
 * table well above the number of states you expect).
 *
 * Masks: exploration draws uniformly among legal actions, the greedy choice and
 * the bootstrap max run over legal actions only (the next state's mask).
 * Truncated episodes bootstrap (the state is not terminal), terminated ones do not.
 *
 * The masked-selection helpers at the top are shared with dqn.ts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Env } from '../env/types';
import { UsageError } from '../util/errors';
import { Rng } from '../util/rng';
import { maskedArgmax, maskedMax, randomLegalAction } from './masks';
import { type Schedule, scheduleValue, validateSchedule } from './schedules';
import type { Agent, TrainLogger } from './types';
import { ReplayableEnv } from '../env/replayable';
import { checkpointExists, loadCheckpoint, saveCheckpoint, storedArray } from './checkpoint';
import { int, validate, z } from '../util/schema';

// ---------------------------------------------------------------------------
// Hyperparameters
// ---------------------------------------------------------------------------

export interface QLearningConfig {
  /** Environment steps to train for. */
  totalSteps: number;
  /** Step size of the tabular update. */
  learningRate: number;
  /** Discount factor γ. */
  gamma: number;
  /** Exploration ε as a function of the global step. */
  epsilon: Schedule;
  /** Rows of the hashed Q-table. */
  tableSize: number;
  /** Quantisation bins per observation component (default StateKey only; 1..65536). */
  bins: number;
  /** Observation range mapped onto the bins; values outside are clamped to the edge bins. */
  obsLow: number;
  obsHigh: number;
  /** Initial Q value of every entry (optimistic init > 0 encourages exploration). */
  initialQ: number;
  /** Steps between `onIteration` reports. */
  logEvery: number;
  /** Steps between checkpoints when a checkpointDir is given (0 = only at the end). */
  checkpointEvery: number;
}

export const QLEARNING_DEFAULTS: Readonly<QLearningConfig> = Object.freeze<QLearningConfig>({
  totalSteps: 50_000,
  learningRate: 0.1,
  gamma: 0.99,
  epsilon: { kind: 'linear', start: 1, end: 0.05, steps: 25_000 },
  tableSize: 1 << 16,
  bins: 10,
  obsLow: 0,
  obsHigh: 1,
  initialQ: 0,
  logEvery: 1_000,
  checkpointEvery: 0,
});

export function resolveQLearningConfig(partial: Partial<QLearningConfig> = {}): QLearningConfig {
  const c: QLearningConfig = { ...QLEARNING_DEFAULTS, ...partial };
  const pos = (x: number): boolean => Number.isFinite(x) && x > 0;
  if (!Number.isInteger(c.totalSteps) || c.totalSteps < 0)
    throw new UsageError(`qlearning.totalSteps must be an integer >= 0, got ${c.totalSteps}`);
  if (!pos(c.learningRate) || c.learningRate > 1)
    throw new UsageError(`qlearning.learningRate must be in (0, 1], got ${c.learningRate}`);
  if (!(c.gamma >= 0 && c.gamma <= 1)) throw new UsageError(`qlearning.gamma must be in [0, 1], got ${c.gamma}`);
  if (!Number.isInteger(c.tableSize) || c.tableSize < 1)
    throw new UsageError(`qlearning.tableSize must be a positive integer, got ${c.tableSize}`);
  if (!Number.isInteger(c.bins) || c.bins < 1 || c.bins > 65536)
    throw new UsageError(`qlearning.bins must be an integer in [1, 65536], got ${c.bins}`);
  if (!(c.obsHigh > c.obsLow))
    throw new UsageError(`qlearning.obsHigh (${c.obsHigh}) must exceed obsLow (${c.obsLow})`);
  if (!Number.isInteger(c.checkpointEvery) || c.checkpointEvery < 0)
    throw new UsageError(`qlearning.checkpointEvery must be an integer >= 0, got ${c.checkpointEvery}`);
  if (!Number.isInteger(c.logEvery) || c.logEvery < 1)
    throw new UsageError(`qlearning.logEvery must be a positive integer, got ${c.logEvery}`);
  validateSchedule(c.epsilon, 'qlearning.epsilon');
  return c;
}

// ---------------------------------------------------------------------------
// State discretisation
// ---------------------------------------------------------------------------

/** Maps an observation to a 32-bit key; the table row is key mod tableSize. */
export type StateKey = (obs: Float32Array) => number;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a (32-bit) over bytes[0..length). */
export function fnv1a(bytes: Uint8Array, length = bytes.length): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/**
 * Default StateKey: component x → bin floor((x − low)/(high − low) · bins) clamped
 * to [0, bins−1], written as 1 byte (bins ≤ 256) or 2 bytes little-endian, then
 * FNV-1a over those bytes. NaN maps to bin 0.
 */
export function binHashKey(bins: number, low: number, high: number): StateKey {
  const width = bins <= 256 ? 1 : 2;
  const scale = bins / (high - low);
  let bytes = new Uint8Array(0);
  return (obs: Float32Array): number => {
    if (bytes.length !== obs.length * width) bytes = new Uint8Array(obs.length * width);
    for (let i = 0; i < obs.length; i++) {
      let b = Math.floor((obs[i] - low) * scale);
      if (!(b >= 0))
        b = 0; // also catches NaN
      else if (b >= bins) b = bins - 1;
      if (width === 1) bytes[i] = b;
      else {
        bytes[2 * i] = b & 0xff;
        bytes[2 * i + 1] = b >>> 8;
      }
    }
    return fnv1a(bytes);
  };
}

// ---------------------------------------------------------------------------
// Agent
// ---------------------------------------------------------------------------

export class QLearningAgent implements Agent {
  readonly name = 'qlearning';
  /** tableSize × numActions, row-major. */
  readonly q: Float64Array;
  readonly stateKey: StateKey;
  /** Exploration rate used by `act(…, greedy = false)`; the training loop anneals it. */
  epsilon: number;

  constructor(
    readonly numActions: number,
    readonly config: QLearningConfig,
    private readonly rng: Rng,
    stateKey?: StateKey,
  ) {
    this.q = new Float64Array(config.tableSize * numActions).fill(config.initialQ);
    this.stateKey = stateKey ?? binHashKey(config.bins, config.obsLow, config.obsHigh);
    this.epsilon = scheduleValue(config.epsilon, 0);
  }

  /** State of the exploration RNG (for checkpoints). */
  get rngState(): number[] {
    return this.rng.getState();
  }

  set rngState(s: number[]) {
    this.rng.setState(s);
  }

  /** Table row of an observation. */
  row(obs: Float32Array): number {
    return (this.stateKey(obs) >>> 0) % this.config.tableSize;
  }

  /** ε-greedy over legal actions; `greedy` = best legal action (lowest index on ties). */
  act(obs: Float32Array, mask: Uint8Array, greedy = false): number {
    if (!greedy && this.rng.random() < this.epsilon) return randomLegalAction(mask, 0, this.numActions, this.rng);
    const a = maskedArgmax(this.q, this.row(obs) * this.numActions, mask, 0, this.numActions);
    if (a < 0) throw new Error('action mask has no legal action');
    return a;
  }

  /** One tabular update; returns the TD error before the update. */
  update(
    obs: Float32Array,
    action: number,
    reward: number,
    nextObs: Float32Array,
    nextMask: Uint8Array,
    terminated: boolean,
  ): number {
    const A = this.numActions;
    const i = this.row(obs) * A + action;
    const bootstrap = terminated ? 0 : this.config.gamma * maskedMax(this.q, this.row(nextObs) * A, nextMask, 0, A);
    const td = reward + bootstrap - this.q[i];
    this.q[i] += this.config.learningRate * td;
    return td;
  }

  /**
   * Writes `qlearning.json` (config, numActions) and `qtable.f64` (the raw table,
   * little-endian float64). A custom StateKey is code and is not saved.
   */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'qlearning.json'),
      JSON.stringify({ name: this.name, numActions: this.numActions, config: this.config }, null, 2),
    );
    await writeFile(join(dir, 'qtable.f64'), Buffer.from(this.q.buffer, this.q.byteOffset, this.q.byteLength));
  }

  /** Inverse of `save`, or the agent of a training checkpoint (default StateKey unless one is given). */
  static async load(dir: string, rng: Rng, stateKey?: StateKey): Promise<QLearningAgent> {
    if (checkpointExists(dir)) {
      const ck = await loadCheckpoint(dir);
      const where = join(dir, 'state.json');
      if (ck.algo !== 'qlearning') throw new UsageError(`${dir} holds a '${ck.algo}' checkpoint, not qlearning`);
      const x = validate(QL_EXTRA_SCHEMA, ck.extra, `${where} extra`);
      const config = resolveQLearningConfig(ck.config as Partial<QLearningConfig>);
      const agent = new QLearningAgent(x.numActions, config, rng, stateKey);
      agent.q.set(storedArray(ck, where, 'q', Float64Array, agent.q.length));
      return agent;
    }
    const meta = JSON.parse(await readFile(join(dir, 'qlearning.json'), 'utf8')) as {
      numActions: number;
      config: QLearningConfig;
    };
    const agent = new QLearningAgent(meta.numActions, resolveQLearningConfig(meta.config), rng, stateKey);
    const buf = await readFile(join(dir, 'qtable.f64'));
    if (buf.byteLength !== agent.q.byteLength)
      throw new Error(`${dir}/qtable.f64 has ${buf.byteLength} bytes, expected ${agent.q.byteLength}`);
    agent.q.set(new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)));
    return agent;
  }
}

// ---------------------------------------------------------------------------
// Training loop
// ---------------------------------------------------------------------------

export interface QLearningRunOptions {
  seed: number;
  /**
   * Called every `logEvery` steps and at the end with metrics: step, episodes,
   * epsilon, meanEpisodeReturn (episodes finished since the last call; NaN if none),
   * meanAbsTdError. Return false to stop early.
   */
  onIteration?: TrainLogger;
  /** Replaces the default bin-hash StateKey. */
  stateKey?: StateKey;
  /** Write a checkpoint here every `checkpointEvery` steps and at the end. */
  checkpointDir?: string;
  /** Continue exactly from the checkpoint in checkpointDir if there is one. */
  resume?: boolean;
}

const FINITE = z.number().refine(Number.isFinite, 'must be finite');
/** `extra` of a Q-learning checkpoint (validated on load). */
const QL_EXTRA_SCHEMA = z.strictObject({
  numActions: int(1, 2 ** 31 - 1),
  episodeReturn: FINITE,
  sumReturns: FINITE,
  sumAbsTd: FINITE,
  env: z.strictObject({ carried: z.unknown(), seed: z.number().int(), check: int(0, 0xffffffff) }).nullable(),
});

/**
 * Trains tabular Q-learning. Exact resume: the checkpoint holds the table, both RNG streams
 * (reset seeds, exploration), the counters, the half-filled report sums and the env in the
 * middle of its episode (replayed, env/replayable.ts), so a resumed run equals an uninterrupted one.
 */
export async function trainQLearning(
  envFactory: (seed: number) => Env,
  config: Partial<QLearningConfig>,
  opts: QLearningRunOptions,
): Promise<{ agent: QLearningAgent; config: QLearningConfig; steps: number; episodes: number }> {
  const c = resolveQLearningConfig(config);
  const rng = new Rng(opts.seed);
  const env = new ReplayableEnv(envFactory(rng.nextUint32()));
  const agent = new QLearningAgent(env.numActions, c, rng.fork(), opts.stateKey);
  const obs = new Float32Array(env.observationSize); // env buffers are overwritten: keep our own copy
  const mask = new Uint8Array(env.numActions);

  let episodes = 0;
  let episodeReturn = 0;
  let sumReturns = 0;
  let nReturns = 0;
  let sumAbsTd = 0;
  let nTd = 0;
  let step = 0;
  let iteration = 0;
  let resumedAt = -1;
  if (opts.resume && opts.checkpointDir && checkpointExists(opts.checkpointDir)) {
    const ck = await loadCheckpoint(opts.checkpointDir);
    const where = join(opts.checkpointDir, 'state.json');
    if (ck.algo !== 'qlearning')
      throw new UsageError(`${opts.checkpointDir} holds a '${ck.algo}' checkpoint, not qlearning`);
    if (!ck.rngs?.main || !ck.rngs.act)
      throw new UsageError(`${where}: RNG states missing (not a training checkpoint)`);
    const x = validate(QL_EXTRA_SCHEMA, ck.extra, `${where} extra`);
    if (x.numActions !== env.numActions || !x.env)
      throw new UsageError(
        `${where}: numActions ${x.numActions} or env state do not fit this env (${env.numActions} actions)`,
      );
    agent.q.set(storedArray(ck, where, 'q', Float64Array, agent.q.length));
    rng.setState(ck.rngs.main);
    agent.rngState = ck.rngs.act;
    const k = ck.counters ?? {};
    ({ step = 0, episodes = 0, iteration = 0, nReturns = 0, nTd = 0 } = k);
    ({ episodeReturn, sumReturns, sumAbsTd } = x);
    const r = env.restore({ ...x.env, actions: storedArray(ck, where, 'env/actions', Int32Array) });
    obs.set(r.observation);
    mask.set(r.info.actionMask);
    resumedAt = step;
  } else {
    const first = env.reset(rng.nextUint32());
    obs.set(first.observation);
    mask.set(first.info.actionMask);
  }
  const save = async (): Promise<void> => {
    if (!opts.checkpointDir) return;
    const snap = env.snapshot();
    await saveCheckpoint(opts.checkpointDir, {
      algo: 'qlearning',
      networks: {},
      rngs: { main: rng.getState(), act: agent.rngState },
      counters: { step, episodes, iteration, nReturns, nTd },
      config: c,
      arrays: { q: agent.q, 'env/actions': snap.actions },
      extra: {
        numActions: env.numActions,
        episodeReturn,
        sumReturns,
        sumAbsTd,
        env: { carried: snap.carried, seed: snap.seed, check: snap.check },
      },
    });
  };
  const report = (): boolean => {
    const res = opts.onIteration?.(iteration++, {
      step,
      episodes,
      epsilon: agent.epsilon,
      meanEpisodeReturn: nReturns > 0 ? sumReturns / nReturns : NaN,
      meanAbsTdError: nTd > 0 ? sumAbsTd / nTd : NaN,
    });
    sumReturns = nReturns = sumAbsTd = nTd = 0;
    return res !== false;
  };

  while (step < c.totalSteps) {
    agent.epsilon = scheduleValue(c.epsilon, step);
    const action = agent.act(obs, mask);
    const r = env.step(action);
    sumAbsTd += Math.abs(agent.update(obs, action, r.reward, r.observation, r.info.actionMask, r.terminated));
    nTd++;
    episodeReturn += r.reward;
    step++;
    if (r.terminated || r.truncated) {
      episodes++;
      sumReturns += episodeReturn;
      nReturns++;
      episodeReturn = 0;
      const first = env.reset(rng.nextUint32());
      obs.set(first.observation);
      mask.set(first.info.actionMask);
    } else {
      obs.set(r.observation);
      mask.set(r.info.actionMask);
    }
    // Report before checkpointing: a run killed in between redoes (and re-reports) this period.
    const stop = step % c.logEvery === 0 && !report();
    if (stop) break;
    if (c.checkpointEvery > 0 && step % c.checkpointEvery === 0 && step < c.totalSteps) await save();
  }
  // The last partial period, once (a run resumed after its final checkpoint already reported it).
  if (step % c.logEvery !== 0 && step > resumedAt) report();
  await save();
  return { agent, config: c, steps: step, episodes };
}
