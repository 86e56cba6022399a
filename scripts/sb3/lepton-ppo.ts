/**
 * Lepton's side of scripts/sb3/compare.py: PPO on the DeepRM training envs for a fixed number of
 * env steps at the settings given, timed (wall and CPU of this process, env included). Prints
 * one JSON line.
 *
 *   npx tsx scripts/sb3/lepton-ppo.ts --steps S --envs N --rollout T --minibatch M --epochs E
 *                                     --hidden 20[,20] --activation tanh|relu [--backend auto|fused|tfjs]
 */
import { initBackend, makeDeeprmTask, trainPpo, ppoTrainBackend } from 'lepton';

function flag(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

async function main(): Promise<void> {
  await initBackend();
  const numEnvs = Number(flag('--envs', '8'));
  const numSteps = Number(flag('--rollout', '256'));
  const batch = numEnvs * numSteps;
  const minibatch = Number(flag('--minibatch', '512'));
  const cfg = {
    totalSteps: Number(flag('--steps', String(3 * batch))),
    numEnvs,
    numSteps,
    numMinibatches: Math.round(batch / minibatch),
    updateEpochs: Number(flag('--epochs', '4')),
    hiddenSizes: flag('--hidden', '20').split(',').map(Number),
    activation: flag('--activation', 'tanh') as 'tanh' | 'relu',
    lr: Number(flag('--lr', '1e-3')),
    gamma: 0.99,
    gaeLambda: 0.95,
    clipCoef: 0.2,
    clipValueLoss: false, // SB3: clip_range_vf None
    entCoef: 0, // SB3 default ent_coef
    vfCoef: 0.5,
    maxGradNorm: 0.5,
    annealLr: false, // SB3: constant learning rate
    adamEps: 1e-5,
    trainBackend: flag('--backend', 'auto') as 'auto' | 'fused' | 'tfjs',
    checkpointEvery: 1_000_000,
  };
  const task = makeDeeprmTask();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await trainPpo(() => task.makeTrainEnv(), cfg, { seed: 1 });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const steps = Math.floor(cfg.totalSteps / batch) * batch;
  console.log(
    JSON.stringify({ side: 'lepton', backend: ppoTrainBackend(cfg), steps, wall, cpu, stepsPerWallS: steps / wall, stepsPerCpuS: steps / cpu }),
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
