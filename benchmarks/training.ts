/**
 * Training throughput: environment steps per CPU-second of each learning agent on the DeepRM
 * environment (paper setting, 70 % load), end to end — rollouts, gradients, optimizer steps —
 * for the DeepRM network (4480 → 20) and the CleanRL/SB3 one (64-64), on each training backend
 * (the fused Float32Array kernels of src/nn/ and tfjs on the backend initBackend picks).
 *
 * One op = one short training run from scratch (fixed seed, so the same number of env steps
 * every time): REINFORCE one iteration over 4 job sets × 4 rollouts; PPO one rollout of
 * 8 envs × 256 steps and its update (4 epochs × minibatch 512, the tuned library setting of
 * issue 11, or 10 epochs × minibatch 64, SB3's defaults); A2C 50 rollouts of 8 × 5; DQN and
 * Q-learning a fixed number of steps; A3C 250 rounds of 8 envs × 5 steps on 1 and 2 worker threads. PPO and A2C run on their 'auto' backend (fused for these
 * networks: the case names predate the fused path and stay, the baseline is keyed by them) and
 * once more on tfjs (names ending in 'tfjs'), so the ratio is measured in the same run. Time-to-beat-SJF (minutes of training) is too long for
 * this suite: scripts/time-to-beat-sjf.ts measures it.
 */
import {
  ClusterEnv,
  noDurationEncoder,
  poissonWorkload,
  samplePhillyShape,
  uniformCluster,
  makeDeeprmTask,
  trainReinforce,
  trainPpo,
  trainA2c,
  trainA3c,
  trainDqn,
  trainQLearning,
  reinforceTrainBackend,
  chooseTrainBackend,
  initBackend,
  type Env,
  type EnvRecipe,
  type TrainBackendChoice,
} from 'lepton';
import { anySelected, runCases, type BenchCase, type BenchOptions, type SuiteOutcome } from './harness';

export const TRAINING_SUITE = 'training-throughput';

interface Run {
  name: string;
  /** Runs one training from scratch; resolves to the env steps it took. */
  run: () => Promise<number>;
  info: Record<string, string | number | boolean>;
}

const DEEPRM_NET = [20];
const SB3_NET = [64, 64];

/** `recipe`: how worker threads build the env (the A3C cases are left out without one). */
function runs(makeEnv: () => Env, quick: boolean, recipe?: EnvRecipe): Run[] {
  const pg = (hidden: number[], backend: TrainBackendChoice): Run => {
    const cfg = {
      iterations: 1,
      numJobSets: quick ? 2 : 4,
      rolloutsPerJobSet: quick ? 2 : 4,
      jobSetsPerBatch: quick ? 2 : 4,
      hiddenSizes: hidden,
      trainBackend: backend,
    };
    return {
      name: `pg ${hidden.join('-')} ${reinforceTrainBackend(cfg)}`,
      run: async () => {
        let steps = 0;
        await trainReinforce(makeEnv, cfg, {
          seed: 1,
          onIteration: (_it, m) => {
            steps += Math.round(m.meanEpisodeLength * cfg.numJobSets * cfg.rolloutsPerJobSet);
          },
        });
        return steps;
      },
      info: { agent: 'pg', hidden: hidden.join('-'), backend: reinforceTrainBackend(cfg) },
    };
  };
  /** ' tfjs' for the tfjs runs of PPO and A2C ('' = the 'auto' backend, the original case names). */
  const suffix = (backend: TrainBackendChoice): string => (backend === 'auto' ? '' : ` ${backend}`);
  const ppo = (
    hidden: number[],
    minibatch: number,
    epochs: number,
    label: string,
    backend: TrainBackendChoice,
  ): Run => {
    const numEnvs = 8;
    const numSteps = quick ? 64 : 256;
    const cfg = {
      totalSteps: numEnvs * numSteps,
      numEnvs,
      numSteps,
      numMinibatches: Math.max(1, Math.round((numEnvs * numSteps) / minibatch)),
      updateEpochs: epochs,
      hiddenSizes: hidden,
      activation: 'relu' as const,
      trainBackend: backend,
    };
    return {
      name: `ppo ${hidden.join('-')} ${label}${suffix(backend)}`,
      run: async () => {
        await trainPpo(() => makeEnv(), cfg, { seed: 1 });
        return cfg.totalSteps;
      },
      info: {
        agent: 'ppo',
        hidden: hidden.join('-'),
        minibatch,
        epochs,
        envs: numEnvs,
        steps: numSteps,
        backend: chooseTrainBackend(backend, { hiddenSizes: hidden }),
      },
    };
  };
  const a2c = (hidden: number[], backend: TrainBackendChoice): Run => {
    const cfg = {
      numEnvs: 8,
      numSteps: 5,
      totalSteps: 8 * 5 * (quick ? 10 : 50),
      hiddenSizes: hidden,
      trainBackend: backend,
    };
    return {
      name: `a2c ${hidden.join('-')}${suffix(backend)}`,
      run: async () => {
        await trainA2c(() => makeEnv(), cfg, { seed: 1 });
        return cfg.totalSteps;
      },
      info: { agent: 'a2c', hidden: hidden.join('-'), backend: chooseTrainBackend(backend, { hiddenSizes: hidden }) },
    };
  };
  /**
   * A3C with 1 and 2 worker threads, 8 envs in all × 5 steps per round (A2C's 8 × 5). Worker
   * start-up (thread, modules, the env's job sets) is inside each op, so the runs are longer than
   * A2C's. Steps per wall-second (perOp ÷ wallSecondsPerOp) is where 2 workers gain; per
   * CPU-second counts both threads (process CPU time).
   */
  const a3c = (hidden: number[], workers: number, envRecipe: EnvRecipe): Run => {
    const rounds = quick ? 50 : 250;
    const cfg = {
      numWorkers: workers,
      numEnvs: 8 / workers,
      numSteps: 5,
      totalSteps: 8 * 5 * rounds,
      hiddenSizes: hidden,
    };
    return {
      name: `a3c ${hidden.join('-')} workers ${workers}`,
      run: async () => {
        const agent = await trainA3c(() => makeEnv(), cfg, { seed: 1, envRecipe });
        agent.dispose();
        return cfg.totalSteps;
      },
      info: { agent: 'a3c', hidden: hidden.join('-'), backend: 'fused', workers, envsPerWorker: 8 / workers, rounds },
    };
  };
  const dqn = (hidden: number[]): Run => {
    const totalSteps = quick ? 600 : 2000;
    const cfg = { totalSteps, hiddenSizes: hidden, learningStarts: 200, logEvery: totalSteps, checkpointEvery: 0 };
    return {
      name: `dqn ${hidden.join('-')}`,
      run: async () => {
        await trainDqn(() => makeEnv(), cfg, { seed: 1 });
        return totalSteps;
      },
      info: { agent: 'dqn', hidden: hidden.join('-'), learningStarts: 200 },
    };
  };
  const qlearning: Run = {
    name: 'qlearning table',
    run: async () => {
      const r = await trainQLearning(() => makeEnv(), { totalSteps: quick ? 2000 : 10_000, bins: 2 }, { seed: 1 });
      return r.steps;
    },
    info: { agent: 'qlearning', bins: 2 },
  };
  return [
    pg(DEEPRM_NET, 'fused'),
    pg(DEEPRM_NET, 'tfjs'),
    pg(SB3_NET, 'fused'),
    pg(SB3_NET, 'tfjs'),
    ppo(DEEPRM_NET, 512, 4, 'mb512 x4 epochs', 'auto'),
    ppo(DEEPRM_NET, 512, 4, 'mb512 x4 epochs', 'tfjs'),
    ppo(SB3_NET, 64, 10, 'mb64 x10 epochs', 'auto'),
    ppo(SB3_NET, 64, 10, 'mb64 x10 epochs', 'tfjs'),
    a2c(SB3_NET, 'auto'),
    a2c(SB3_NET, 'tfjs'),
    a2c(DEEPRM_NET, 'auto'),
    a2c(DEEPRM_NET, 'tfjs'),
    ...(recipe ? [a3c(SB3_NET, 1, recipe), a3c(SB3_NET, 2, recipe)] : []),
    dqn(SB3_NET),
    qlearning,
  ];
}

/**
 * The cluster environment as the Philly study trains on it (issue 10 §4: env steps per second
 * while training, per agent): ClusterEnv, window 10, observation `no-duration`, reward `jct`, on
 * 8 nodes × 8 GPUs with episodes of 200 Philly-shaped jobs (samplePhillyShape) arriving as a
 * Poisson process at offered load 0.9, 8 fixed workloads (env seed mod 8). One case per agent
 * family, each on its default backend with the 64-64 network (the study's families).
 */
const CLUSTER_ENV_CASES = ['pg 64-64 fused', 'ppo 64-64 mb64 x10 epochs', 'a2c 64-64', 'dqn 64-64', 'qlearning table'];

function clusterEnvMaker(): () => Env {
  const cluster = uniformCluster('8x8', 8, { gpus: 8, cpus: 0, memMiB: 0 });
  const sets = Array.from(
    { length: 8 },
    (_, i) =>
      poissonWorkload(samplePhillyShape, { jobs: 200, capacityGpus: 64, targetLoad: 0.9, seed: 100 + i }).workload.jobs,
  );
  return () =>
    new ClusterEnv({
      cluster,
      jobsForSeed: (seed) => sets[((seed % 8) + 8) % 8],
      window: 10,
      reward: 'jct',
      maxSteps: 5000,
      encoder: noDurationEncoder,
    });
}

export async function trainingSuite(opts: BenchOptions): Promise<SuiteOutcome> {
  const tfjs = await initBackend();
  const task = makeDeeprmTask();
  const cluster = runs(clusterEnvMaker(), opts.quick)
    .filter((r) => CLUSTER_ENV_CASES.includes(r.name))
    .map((r): Run => ({
      ...r,
      name: `${r.name} cluster env`,
      info: { ...r.info, env: 'cluster (Philly shape, 8x8)' },
    }));
  const all = [...runs(() => task.makeTrainEnv(), opts.quick, task.trainEnvRecipe), ...cluster];
  if (
    !anySelected(
      opts,
      TRAINING_SUITE,
      all.map((r) => r.name),
    )
  )
    return { suite: TRAINING_SUITE, skipped: 'no case matches --filter', results: [] };
  const cases: BenchCase[] = [];
  for (const r of all) {
    if (!anySelected(opts, TRAINING_SUITE, [r.name])) continue;
    // One untimed run fixes the steps per op (same seed → same steps every run).
    const steps = await r.run();
    cases.push({ name: r.name, fn: r.run, perOp: steps, unit: 'steps', info: { ...r.info, tfjs } });
  }
  return {
    suite: TRAINING_SUITE,
    results: await runCases(TRAINING_SUITE, cases, opts),
    notes: [
      'env steps per CPU-second, whole training runs from scratch on DeepRM (paper setting, 70 % load) ' +
        "and, for the cases named '… cluster env', on the cluster environment of the Philly study; " +
        "backend 'fused' = src/nn/ kernels, 'tfjs' = tfjs on the backend named in info",
    ],
  };
}
