/**
 * A3C: asynchronous advantage actor-critic (Mnih et al. 2016), with actor-learners on
 * worker_threads and a deterministic update order.
 *
 * Hogwild-style A3C (each thread writes the shared weights whenever its gradient is ready) gives
 * results that depend on thread timing, so it can be neither reproduced nor resumed exactly.
 * Here `numWorkers` actor-learners (a3cActor.ts, one worker thread each) each hold a SNAPSHOT of
 * the parameters, collect an n-step rollout on their own envs and compute A2C's gradient on it
 * (fused Float32Array kernels, no tfjs). The learner, in the calling thread, applies the
 * gradients in a FIXED round-robin order — worker 0, 1, …, W−1, 0, … — and after applying worker
 * k's gradient sends the new parameters to worker k only, which starts its next rollout at once.
 * Workers therefore compute in parallel (both cores with W = 2) and each gradient is applied to
 * parameters W−1 updates newer than the ones it was computed with (bounded staleness W−1, as
 * A3C's asynchronous updates but fixed). What a worker computes depends only on what it was sent,
 * so the weights after any update are a function of the seed alone: the same with threads, with
 * `threads: false` (the actors run in turn in this thread) and whatever the timing (tested).
 *
 * One reported iteration is one ROUND: W gradients, each of numEnvs × numSteps env steps.
 *
 * Exact resume: a checkpoint (written at round ends, points every run passes through) holds the
 * learner's networks and RMSProp state and, per worker, the parameter snapshot it acts with and its
 * state after its last applied rollout (action RNG, every env's position inside its episode,
 * reset counter, running episode statistics). Rollouts in flight at the checkpoint are not part
 * of it: a resumed worker redoes them from that state and those parameters, identically.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Env } from '../env/types';
import type { EnvRecipe } from '../env/recipe';
import { Rng } from '../util/rng';
import { UsageError } from '../util/errors';
import { int, validate, z } from '../util/schema';
import { clipGradNorm } from '../nn/optim';
import type { FusedActivation } from '../nn/mlp';
import { Mlp } from './nn';
import type { A2cConfig } from './a2c';
import { PolicyAgent } from './fastpath';
import { FusedActorCritic } from './fusedActorCritic';
import { checkpointExists, loadCheckpoint, saveCheckpoint, storeNetwork, type StoredArray } from './checkpoint';
import { A3cActor, type A3cActorConfig, type A3cActorStart, type A3cActorState, type A3cGradient } from './a3cActor';
import type { A3cWorkerData, A3cWorkerRequest } from './a3cWorker';
import type { TrainOptions } from './types';

/**
 * A3C's hyperparameters: A2C's (a2c.ts documents them; per worker here: numEnvs envs, numSteps
 * steps per gradient, one shared optimizer for all workers' gradients) plus the workers.
 */
export type A3cConfig = Pick<
  A2cConfig,
  | 'totalSteps'
  | 'numEnvs'
  | 'numSteps'
  | 'gamma'
  | 'gaeLambda'
  | 'entCoef'
  | 'vfCoef'
  | 'maxGradNorm'
  | 'normAdv'
  | 'optimizer'
  | 'hiddenSizes'
  | 'checkpointEvery'
> & {
  /** Actor-learners (worker threads). */
  numWorkers: number;
  /** The fused kernels' activations (A3C always trains on them). */
  activation: FusedActivation;
  /** false: the actors run in turn in the calling thread (same numbers, one core; tests). */
  threads: boolean;
};

/**
 * A2C's Stable-Baselines3 defaults (a2c.ts) split over 2 workers: 2 × 4 envs × 5 steps is A2C's
 * 8 × 5 per round, but A3C takes one optimizer step per worker gradient (2 per round, each on 20
 * states), as in the paper (t_max 5, shared RMSProp, lr 7e-4 with ρ 0.99).
 */
export const A3C_DEFAULTS: Readonly<A3cConfig> = Object.freeze<A3cConfig>({
  totalSteps: 500_000,
  numWorkers: 2,
  numEnvs: 4,
  numSteps: 5,
  gamma: 0.99,
  gaeLambda: 1,
  entCoef: 0.0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  normAdv: false,
  optimizer: { kind: 'rmsprop', lr: 7e-4, rho: 0.99, eps: 1e-5 },
  hiddenSizes: [64, 64],
  activation: 'tanh',
  checkpointEvery: 100,
  threads: true,
});

/** Rounds of a run (one round = one gradient of every worker). */
export function a3cRoundsOf(cfg: Pick<A3cConfig, 'totalSteps' | 'numWorkers' | 'numEnvs' | 'numSteps'>): number {
  return Math.max(1, Math.floor(cfg.totalSteps / (cfg.numWorkers * cfg.numEnvs * cfg.numSteps)));
}

/** Reset seeds of worker k's envs start at seed + k·RESET_STRIDE (disjoint episode seeds). */
const RESET_STRIDE = 1_000_003;

/** Options of trainA3c beyond the common ones. */
export interface A3cTrainOptions extends TrainOptions {
  /** How worker threads build the training env (required when cfg.threads). */
  envRecipe?: EnvRecipe;
  /** Test hook: workers sleep a random 0…jitterMs ms before each rollout, drawn from jitterSeed. */
  jitterMs?: number;
  jitterSeed?: number;
}

/** A worker as the learner sees it: send parameters, later receive that rollout's gradient. */
interface ActorLink {
  request(params: Float32Array): void;
  next(): Promise<A3cGradient>;
  close(): Promise<void>;
}

/** An actor in the calling thread: `next` runs the requested rollout. */
function inlineLink(actor: A3cActor): ActorLink {
  let pending: Float32Array | null = null;
  return {
    request: (params) => {
      pending = Float32Array.from(params);
    },
    next: () => {
      if (!pending) return Promise.reject(new Error('a3c: gradient asked before parameters were sent'));
      const g = actor.rollout(pending);
      pending = null;
      return Promise.resolve(g);
    },
    close: () => Promise.resolve(),
  };
}

/** An actor in a worker thread; gradients arrive in request order (one worker answers in turn). */
function threadLink(data: A3cWorkerData): ActorLink {
  // The worker module has this module's extension: .js in dist/, .ts when the sources run under
  // tsx (tests, scripts). tsx's hooks do not reach a worker thread on Node 20, so a .ts worker
  // registers tsx's require hook first (tsx is then installed: it is what runs this .ts file).
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `a3cWorker${ext}`);
  const at = JSON.stringify(file);
  const boot = `${ext === '.ts' ? `require(require('node:module').createRequire(${at}).resolve('tsx/cjs'));` : ''}require(${at});`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  const arrived: A3cGradient[] = [];
  let waiting: { resolve: (g: A3cGradient) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  let closing = false;
  const fail = (e: Error): void => {
    failure ??= e;
    if (waiting) waiting.reject(failure);
    waiting = null;
  };
  worker.on('message', (m: A3cGradient | { error: string }) => {
    if ('error' in m) return fail(new Error(`a3c worker: ${m.error}`));
    if (waiting) {
      waiting.resolve(m);
      waiting = null;
    } else arrived.push(m);
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => {
    if (!closing) fail(new Error(`a3c worker exited with code ${code}`));
  });
  return {
    request: (params) => worker.postMessage({ params } satisfies A3cWorkerRequest),
    next: () => {
      if (failure) return Promise.reject(failure);
      const g = arrived.shift();
      if (g) return Promise.resolve(g);
      return new Promise((resolve, reject) => (waiting = { resolve, reject }));
    },
    close: async () => {
      closing = true;
      // terminate, not { stop }: a rollout in flight is not waited for (its result is not needed).
      await worker.terminate();
    },
  };
}

const COUNT = int(0, Number.MAX_SAFE_INTEGER);
/** `extra` of an A3C checkpoint (validated on load: a corrupt one is refused, named). */
const EXTRA_SCHEMA = z.strictObject({
  workers: z.array(
    z.strictObject({
      vec: z.strictObject({ baseSeed: z.number().int(), episode: COUNT }),
      envs: z.array(z.strictObject({ carried: z.unknown(), seed: z.number().int(), check: int(0, 0xffffffff) })),
    }),
  ),
});

function checkConfig(cfg: A3cConfig, recipe: EnvRecipe | undefined): void {
  for (const k of ['numWorkers', 'numEnvs', 'numSteps', 'checkpointEvery'] as const)
    if (!(Number.isInteger(cfg[k]) && cfg[k] >= 1)) throw new UsageError(`a3c: ${k} must be an integer ≥ 1`);
  if (cfg.threads && !recipe)
    throw new UsageError(
      'a3c: this environment cannot be built in a worker thread (it has no env recipe; only --env deeprm has one): set "threads": false',
    );
}

/** Trains A3C; returns the trained policy. */
export async function trainA3c(
  makeEnv: (index: number) => Env,
  config: Partial<A3cConfig>,
  opts: A3cTrainOptions,
): Promise<PolicyAgent> {
  const cfg: A3cConfig = { ...A3C_DEFAULTS, ...config };
  checkConfig(cfg, opts.envRecipe);
  const W = cfg.numWorkers;
  const numRounds = a3cRoundsOf(cfg);
  const probe = makeEnv(0);
  const D = probe.observationSize;
  const A = probe.numActions;

  const rng = new Rng(opts.seed);
  const actor = new Mlp(
    { inputSize: D, hiddenSizes: cfg.hiddenSizes, outputSize: A, activation: cfg.activation, outputScale: 0.01 },
    rng.fork(),
    'actor',
  );
  const critic = new Mlp(
    { inputSize: D, hiddenSizes: cfg.hiddenSizes, outputSize: 1, activation: cfg.activation },
    rng.fork(),
    'critic',
  );
  // Worker k's action stream is the (3 + k)-th fork: worker 0's is A2C's acting stream, so one
  // worker without threads is A2C on the fused backend, number for number (tested).
  const workerRngs = Array.from({ length: W }, () => rng.fork().getState());
  // The returned agent's sampling stream (evaluation reseeds it; training never draws from it).
  const agent = new PolicyAgent('a3c', actor, rng.fork(), cfg);
  const fused = new FusedActorCritic(actor, critic, cfg.optimizer);
  const params = fused.opt.params;
  const actorCfg: A3cActorConfig = {
    actorSizes: [...actor.sizes],
    criticSizes: [...critic.sizes],
    activation: cfg.activation,
    numEnvs: cfg.numEnvs,
    numSteps: cfg.numSteps,
    gamma: cfg.gamma,
    gaeLambda: cfg.gaeLambda,
    entCoef: cfg.entCoef,
    vfCoef: cfg.vfCoef,
    normAdv: cfg.normAdv,
  };
  // Per worker: the parameters its next rollout acts with, and the state it starts that rollout from.
  const snapshots = Array.from({ length: W }, () => Float32Array.from(params));
  const states: (A3cActorStart | A3cActorState)[] = Array.from({ length: W }, (_, k) => ({
    resetSeed: opts.seed + k * RESET_STRIDE,
    rng: workerRngs[k],
  }));
  let startRound = 0;
  let globalStep = 0;

  if (opts.checkpointDir && checkpointExists(opts.checkpointDir)) {
    const ck = await loadCheckpoint(opts.checkpointDir);
    const where = `${opts.checkpointDir}/state.json`;
    if (ck.algo !== 'a3c') throw new UsageError(`${opts.checkpointDir} holds a '${ck.algo}' checkpoint, not a3c`);
    actor.setWeights(ck.networks.policy.weights);
    critic.setWeights(ck.networks.value.weights);
    fused.readWeights();
    fused.opt.setState(ck.optimizers!.main);
    agent.rng.setState(ck.rngs!.act);
    startRound = ck.counters!.update;
    globalStep = ck.counters!.globalStep;
    const extra = validate(EXTRA_SCHEMA, ck.extra, `${where} extra`);
    if (extra.workers.length !== W)
      throw new UsageError(`${where}: ${extra.workers.length} workers saved, the run has numWorkers ${W}`);
    const arr = <T extends StoredArray>(name: string, ctor: new (n: number) => T, length?: number): T => {
      const a = ck.arrays?.[name];
      if (!a || !(a instanceof ctor) || (length !== undefined && a.length !== length))
        throw new UsageError(`${where}: array ${name} is missing or malformed (corrupt checkpoint)`);
      return a as T;
    };
    extra.workers.forEach((w, k) => {
      const rngState = ck.rngs?.[`worker/${k}`];
      if (!rngState) throw new UsageError(`${where}: rng worker/${k} is missing (corrupt checkpoint)`);
      if (w.envs.length !== cfg.numEnvs)
        throw new UsageError(`${where}: worker ${k} holds ${w.envs.length} envs, the run has numEnvs ${cfg.numEnvs}`);
      snapshots[k].set(arr(`worker/${k}/params`, Float32Array, params.length));
      states[k] = {
        rng: rngState,
        vec: w.vec,
        envs: w.envs.map((e, i) => ({ ...e, actions: arr(`worker/${k}/env/${i}/actions`, Int32Array) })),
        episodeReturn: arr(`worker/${k}/episodeReturn`, Float64Array, cfg.numEnvs),
        episodeLength: arr(`worker/${k}/episodeLength`, Int32Array, cfg.numEnvs),
      };
    });
  }

  const save = async (round: number): Promise<void> => {
    if (!opts.checkpointDir) return;
    fused.writeWeights();
    const arrays: Record<string, StoredArray> = {};
    const rngs: Record<string, number[]> = { act: agent.rng.getState() };
    const workers = states.map((s, k) => {
      if ('resetSeed' in s) throw new Error('a3c: checkpoint before every worker had a gradient applied');
      rngs[`worker/${k}`] = s.rng;
      arrays[`worker/${k}/params`] = snapshots[k];
      arrays[`worker/${k}/episodeReturn`] = s.episodeReturn;
      arrays[`worker/${k}/episodeLength`] = s.episodeLength;
      s.envs.forEach((e, i) => (arrays[`worker/${k}/env/${i}/actions`] = e.actions));
      return { vec: s.vec, envs: s.envs.map((e) => ({ carried: e.carried, seed: e.seed, check: e.check })) };
    });
    await saveCheckpoint(opts.checkpointDir, {
      algo: 'a3c',
      networks: { policy: storeNetwork(actor), value: storeNetwork(critic) },
      optimizers: { main: fused.opt.getState() },
      rngs,
      counters: { update: round, globalStep },
      config: cfg,
      arrays,
      extra: { workers },
    });
  };

  const links: ActorLink[] = [];
  try {
    for (let k = 0; k < W; k++) {
      if (cfg.threads)
        links.push(
          threadLink({
            cfg: actorCfg,
            recipe: opts.envRecipe!,
            start: states[k],
            jitterMs: opts.jitterMs ?? 0,
            // Each worker and each run sleeps differently (the timing must not matter).
            jitterSeed: (opts.jitterSeed ?? 0) * 1000 + k,
          }),
        );
      else {
        const a = new A3cActor(actorCfg, makeEnv);
        a.start(states[k]);
        links.push(inlineLink(a));
      }
      links[k].request(snapshots[k]);
    }
    for (let round = startRound; round < numRounds; round++) {
      const sum = { finishedReturn: 0, finishedLength: 0, finished: 0, loss: 0, pgLoss: 0, vLoss: 0, entropy: 0 };
      let gradNorm = 0;
      for (let k = 0; k < W; k++) {
        const g = await links[k].next();
        gradNorm += clipGradNorm(g.grad, cfg.maxGradNorm);
        fused.opt.apply(g.grad);
        globalStep += g.steps;
        for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += g[key];
        states[k] = g.state;
        snapshots[k].set(params);
        // Worker k's next rollout starts now, while the others' gradients are applied.
        if (round + 1 < numRounds) links[k].request(snapshots[k]);
      }
      const done = round + 1;
      const stop = opts.onIteration?.(done, {
        globalStep,
        meanReturn: sum.finished > 0 ? sum.finishedReturn / sum.finished : NaN,
        meanEpisodeLength: sum.finished > 0 ? sum.finishedLength / sum.finished : NaN,
        loss: sum.loss / W,
        gradNorm: gradNorm / W,
        pgLoss: sum.pgLoss / W,
        vLoss: sum.vLoss / W,
        entropy: sum.entropy / W,
      });
      if (stop === false || done % cfg.checkpointEvery === 0 || done === numRounds) await save(done);
      if (stop === false) break;
    }
  } finally {
    await Promise.all(links.map((l) => l.close()));
  }
  fused.writeWeights();
  agent.sync();
  critic.dispose();
  return agent;
}
