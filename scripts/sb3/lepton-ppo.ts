/**
 * Lepton's side of scripts/sb3/compare.py: PPO on the DeepRM training envs for a fixed number of
 * env steps at the settings given, timed (wall and CPU of this process, env included). Prints
 * one JSON line. The hyperparameters mirror compare.py's MaskablePPO call (SB3's defaults where
 * it sets nothing: no value clipping, entropy 0, constant lr, Adam ε 1e-5).
 *
 *   npx tsx scripts/sb3/lepton-ppo.ts --steps S --envs N --rollout T --minibatch M --epochs E
 *                                     --hidden 20[,20] [--activation tanh|relu] [--backend auto|fused|tfjs]
 */
import { chooseTrainBackend, initBackend, makeDeeprmTask, trainPpo, type TrainBackendChoice } from 'lepton';

function flag(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

function positiveInt(name: string, dflt: string): number {
  const v = Number(flag(name, dflt));
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`lepton-ppo: ${name} must be a positive integer, got ${flag(name, dflt)}\n`);
    process.exit(2);
  }
  return v;
}

async function main(): Promise<void> {
  await initBackend();
  const numEnvs = positiveInt('--envs', '8');
  const numSteps = positiveInt('--rollout', '256');
  const batch = numEnvs * numSteps;
  const minibatch = positiveInt('--minibatch', '512');
  if (batch % minibatch !== 0) {
    process.stderr.write(`lepton-ppo: envs × rollout (${batch}) must be a multiple of --minibatch ${minibatch}\n`);
    process.exit(2);
  }
  const backend = flag('--backend', 'auto') as TrainBackendChoice;
  if (!['auto', 'fused', 'tfjs'].includes(backend)) {
    process.stderr.write(`lepton-ppo: --backend must be auto, fused or tfjs, got ${backend}\n`);
    process.exit(2);
  }
  const hiddenSizes = flag('--hidden', '20').split(',').map(Number);
  const cfg = {
    totalSteps: positiveInt('--steps', String(3 * batch)),
    numEnvs,
    numSteps,
    numMinibatches: batch / minibatch,
    updateEpochs: positiveInt('--epochs', '4'),
    hiddenSizes,
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
    trainBackend: backend,
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
  const used = chooseTrainBackend(backend, { hiddenSizes });
  console.log(
    JSON.stringify({
      side: 'lepton',
      backend: used,
      steps,
      wall,
      cpu,
      stepsPerWallS: steps / wall,
      stepsPerCpuS: steps / cpu,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
