/**
 * Behaviour lock for the shared on-policy core (issue 6): the A2C and PPO training runs below
 * were recorded BEFORE a2c.ts/ppo.ts were refactored onto agents/onPolicy.ts, as SHA-256 of
 * the final policy + value weights and of the per-iteration metrics. The refactor must
 * reproduce them bit for bit; a deliberate behaviour change must update them and say why in
 * its commit message. Regenerate: LEPTON_PRINT_GOLDEN=1 npx tsx --test test/agents/onPolicyGolden.test.ts
 *
 * Each case runs on both training backends: 'tfjs' against the pre-refactor recording (the tfjs
 * path is unchanged since), 'fused' (src/nn/ kernels, issue 11) against its own recording, made
 * when the fused path joined the core (its floats differ from tfjs's by rounding only:
 * test/agents/onPolicyFused.test.ts).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { initBackend } from '../../src/tf/backend';
import { trainA2c } from '../../src/agents/a2c';
import { trainPpo } from '../../src/agents/ppo';
import type { Env } from '../../src/env/types';
import { makeDeeprmTask } from '../../src/experiment/deeprmTask';
import { Chain5, MaskedBandit } from '../helpers/toyEnvs';

before(async () => {
  await initBackend();
});

const TINY = { simuLen: 10, numNw: 5, numTrainSets: 2, numValidationSets: 1, numHeldOutSets: 1, evalEpisodeCap: 200 };

type Trainer = typeof trainA2c | typeof trainPpo;

async function fingerprint(
  train: Trainer,
  makeEnv: (i: number) => Env,
  cfg: Record<string, unknown>,
  seed: number,
): Promise<{ weights: string; curve: string }> {
  const rows: string[] = [];
  const agent = await train(makeEnv, cfg, {
    seed,
    onIteration: (it, m) => {
      rows.push(
        `${it}:` +
          Object.entries(m)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
      );
    },
  });
  const h = createHash('sha256');
  for (const w of agent.policy.getWeights()) h.update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
  agent.dispose();
  return {
    weights: h.digest('hex').slice(0, 16),
    curve: createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16),
  };
}

const deeprm = (): ((i: number) => Env) => {
  const task = makeDeeprmTask(TINY);
  return () => task.makeTrainEnv();
};

const CASES: {
  name: string;
  train: Trainer;
  env: () => (i: number) => Env;
  cfg: Record<string, unknown>;
  seed: number;
}[] = [
  {
    name: 'a2c chain5 gae+normAdv',
    train: trainA2c,
    env: () => () => new Chain5(),
    cfg: {
      totalSteps: 30 * 12,
      numEnvs: 3,
      numSteps: 4,
      hiddenSizes: [8],
      gaeLambda: 0.9,
      normAdv: true,
      entCoef: 0.01,
    },
    seed: 3,
  },
  {
    name: 'a2c bandit adam',
    train: trainA2c,
    env: () => () => new MaskedBandit(),
    cfg: { totalSteps: 20 * 10, numEnvs: 2, numSteps: 5, hiddenSizes: [8], optimizer: { kind: 'adam', lr: 1e-3 } },
    seed: 4,
  },
  {
    name: 'a2c deeprm',
    train: trainA2c,
    env: deeprm,
    cfg: { totalSteps: 12 * 2 * 16, numEnvs: 2, numSteps: 16, hiddenSizes: [16] },
    seed: 5,
  },
  {
    name: 'ppo chain5 targetKl',
    train: trainPpo,
    env: () => () => new Chain5(),
    cfg: {
      totalSteps: 8 * 24,
      numEnvs: 3,
      numSteps: 8,
      numMinibatches: 3,
      hiddenSizes: [8],
      targetKl: 0.001,
      lr: 3e-3,
    },
    seed: 6,
  },
  {
    name: 'ppo deeprm noclip',
    train: trainPpo,
    env: deeprm,
    cfg: {
      totalSteps: 6 * 2 * 32,
      numEnvs: 2,
      numSteps: 32,
      numMinibatches: 2,
      updateEpochs: 2,
      hiddenSizes: [16],
      clipValueLoss: false,
      annealLr: false,
    },
    seed: 7,
  },
];

const GOLDEN: Record<string, { weights: string; curve: string }> = {
  'a2c chain5 gae+normAdv': { weights: '05c001e35e427d7d', curve: '71433cdbfdef1047' },
  'a2c bandit adam': { weights: 'ec9cec4e644b9476', curve: 'a650413a082eb653' },
  'a2c deeprm': { weights: '312e6dce5ee45018', curve: '9fba04d6b1322cbb' },
  'ppo chain5 targetKl': { weights: 'c567658ad41817b3', curve: '598f23e413295a40' },
  'ppo deeprm noclip': { weights: 'f62b7abd74e54331', curve: 'ec8e727f3d856f9a' },
  // Recorded when the fused backend joined the core (issue 11).
  'a2c chain5 gae+normAdv fused': { weights: 'd78283daa318d5e0', curve: '07d21275c994df88' },
  'a2c bandit adam fused': { weights: '5721d2a297479550', curve: '8097b4f965957eb7' },
  'a2c deeprm fused': { weights: '87a2c2508e1f6999', curve: 'b939dd6c56968eb4' },
  'ppo chain5 targetKl fused': { weights: '986615f20e129ac9', curve: '7e3b48a72aab13df' },
  'ppo deeprm noclip fused': { weights: '70099a1d2db6331c', curve: '07901493510cbc42' },
};

for (const c of CASES)
  for (const trainBackend of ['tfjs', 'fused'] as const) {
    const key = trainBackend === 'tfjs' ? c.name : `${c.name} fused`;
    test(`${key}: weights and curve equal the recorded run`, async () => {
      const got = await fingerprint(c.train, c.env(), { ...c.cfg, trainBackend }, c.seed);
      if (process.env.LEPTON_PRINT_GOLDEN) console.log(JSON.stringify(key), ':', JSON.stringify(got), ',');
      else assert.deepEqual(got, GOLDEN[key]);
    });
  }
