/**
 * The fused backend of the on-policy core (src/agents/fusedActorCritic.ts, PPO.updateFused,
 * A2C.updateFused) against the tfjs one: on the same fixed rollout, from the same weights and
 * with the same training RNG, both must end at the same weights and report the same metrics,
 * to float32 tolerance. The optimizers are set up so the weight change is proportional to the
 * gradient (SGD; Adam with ε far above √s), so equal updates mean equal gradients, not just
 * equal signs.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initBackend } from '../../src/tf/backend';
import { Mlp, Optimizer } from '../../src/agents/nn';
import { PolicyAgent } from '../../src/agents/fastpath';
import { FusedActorCritic } from '../../src/agents/fusedActorCritic';
import {
  RolloutBuffer,
  onPolicyTrainBackend,
  type FusedParts,
  type OnPolicyAlgorithm,
  type OnPolicyConfig,
  type OnPolicyParts,
  type TfjsParts,
} from '../../src/agents/onPolicy';
import { PPO, PPO_DEFAULTS, trainPpo, type PpoConfig } from '../../src/agents/ppo';
import { A2C, A2C_DEFAULTS, trainA2c, type A2cConfig } from '../../src/agents/a2c';
import { AGENTS } from '../../src/experiment/agents';
import { Rng } from '../../src/util/rng';
import type { Env } from '../../src/env/types';
import { makeDeeprmTask } from '../../src/experiment/deeprmTask';

before(async () => {
  await initBackend();
});

const D = 24;
const A = 5;

/** A rollout of n entries drawn from `seed`: sparse 0/1 observations, random legal masks. */
function fixedRollout(seed: number, numSteps: number, numEnvs: number): RolloutBuffer {
  const r = new Rng(seed);
  const buf = new RolloutBuffer(numSteps, numEnvs, D, A);
  for (let k = 0; k < buf.size; k++) {
    for (let i = 0; i < D; i++) buf.obs[k * D + i] = r.random() < 0.2 ? 1 : 0;
    let legal = 0;
    for (let a = 0; a < A; a++) {
      const m = r.random() < 0.6 ? 1 : 0;
      buf.masks[k * A + a] = m;
      legal += m;
    }
    if (legal === 0) buf.masks[k * A + r.int(0, A)] = 1;
    let a: number;
    do a = r.int(0, A);
    while (buf.masks[k * A + a] === 0);
    buf.actions[k] = a;
    // Old log-probabilities around the current policy's (≈ −log #legal), so ratios fall both
    // inside and outside the clip range.
    buf.logps[k] = -Math.log(Math.max(1, legal)) + (r.random() - 0.5);
    buf.advantages[k] = 2 * r.normal();
    buf.returns[k] = r.normal();
    buf.values[k] = buf.returns[k] + 0.4 * r.normal();
  }
  return buf;
}

interface Side {
  weights: Float32Array[];
  metrics: Record<string, number>;
}

/** One update of `algo` on a fresh copy of the rollout, on the given backend. */
function runUpdate<C extends OnPolicyConfig>(
  algo: OnPolicyAlgorithm<C>,
  cfg: C,
  backend: 'tfjs' | 'fused',
  netSeed: number,
  dataSeed: number,
): Side {
  const buf = fixedRollout(dataSeed, cfg.numSteps, cfg.numEnvs);
  const netRng = new Rng(netSeed);
  const spec = { inputSize: D, hiddenSizes: cfg.hiddenSizes, activation: cfg.activation };
  const actor = new Mlp({ ...spec, outputSize: A, outputScale: 0.01 }, netRng.fork(), 'actor');
  const critic = new Mlp({ ...spec, outputSize: 1 }, netRng.fork(), 'critic');
  const parts: OnPolicyParts<C> = {
    cfg,
    actor,
    critic,
    agent: new PolicyAgent(algo.name, actor, new Rng(1)),
    rng: new Rng(dataSeed + 17),
    // The updates never touch the envs (the rollout is given).
    vec: null as never,
    envs: [],
    seed: 0,
  };
  let metrics: Record<string, number>;
  if (backend === 'tfjs') {
    const opt = new Optimizer([...actor.variables, ...critic.variables], algo.optimizer(cfg));
    metrics = algo.update({ ...parts, opt } satisfies TfjsParts<C>, buf, 1, 4);
    opt.dispose();
  } else {
    const fused = new FusedActorCritic(actor, critic, algo.optimizer(cfg));
    for (let k = 0; k < buf.size; k++) fused.rows.push(buf.obs, k * D);
    metrics = algo.updateFused({ ...parts, fused } satisfies FusedParts<C>, buf, 1, 4);
    fused.writeWeights();
  }
  const weights = [...actor.getWeights(), ...critic.getWeights()];
  actor.dispose();
  critic.dispose();
  return { weights, metrics };
}

function assertClose(tf: Side, fu: Side, before: Side, what: string): void {
  assert.deepEqual(Object.keys(fu.metrics), Object.keys(tf.metrics), `${what}: metric names`);
  for (const k of Object.keys(tf.metrics)) {
    const a = tf.metrics[k];
    const b = fu.metrics[k];
    assert.ok(Math.abs(a - b) <= 2e-4 * (1 + Math.abs(a)), `${what}: metric ${k} tfjs ${a} fused ${b}`);
  }
  let moved = 0;
  for (let v = 0; v < tf.weights.length; v++)
    for (let i = 0; i < tf.weights[v].length; i++) {
      const d0 = tf.weights[v][i] - before.weights[v][i];
      const d1 = fu.weights[v][i] - before.weights[v][i];
      if (d0 !== 0) moved++;
      assert.ok(
        Math.abs(d0 - d1) <= 2e-5 + 1e-3 * Math.abs(d0),
        `${what}: variable ${v}[${i}] moved ${d0} (tfjs) vs ${d1} (fused)`,
      );
    }
  assert.ok(moved > 0, `${what}: the update moved no weight (the test would prove nothing)`);
}

/** The weights before any update (same construction, no update). */
function initial(cfg: OnPolicyConfig, netSeed: number): Side {
  const netRng = new Rng(netSeed);
  const spec = { inputSize: D, hiddenSizes: cfg.hiddenSizes, activation: cfg.activation };
  const actor = new Mlp({ ...spec, outputSize: A, outputScale: 0.01 }, netRng.fork(), 'actor');
  const critic = new Mlp({ ...spec, outputSize: 1 }, netRng.fork(), 'critic');
  const weights = [...actor.getWeights(), ...critic.getWeights()];
  actor.dispose();
  critic.dispose();
  return { weights, metrics: {} };
}

test('PPO: fused and tfjs updates agree on a fixed rollout (clipping, value clipping, grad-norm clip)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1e6 }),
      fc.boolean(),
      fc.constantFrom<'tanh' | 'relu'>('tanh', 'relu'),
      fc.constantFrom(0.3, Infinity),
      (seed, clipValueLoss, activation, maxGradNorm) => {
        const cfg: PpoConfig = {
          ...PPO_DEFAULTS,
          numEnvs: 4,
          numSteps: 16,
          numMinibatches: 4,
          updateEpochs: 2,
          hiddenSizes: [12, 8],
          activation,
          clipValueLoss,
          maxGradNorm,
          entCoef: 0.02,
          // ε ≫ √s: Adam's step is then proportional to the gradient (see the file comment).
          lr: 1,
          adamEps: 1,
        };
        const before = initial(cfg, seed);
        const tf = runUpdate(PPO, cfg, 'tfjs', seed, seed + 1);
        const fu = runUpdate(PPO, cfg, 'fused', seed, seed + 1);
        assertClose(tf, fu, before, `ppo seed ${seed}`);
      },
    ),
    { numRuns: 8 },
  );
});

test('A2C: fused and tfjs updates agree on a fixed rollout (SGD and RMSProp, normalised advantages)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1e6 }),
      fc.boolean(),
      fc.constantFrom<'sgd' | 'rmsprop'>('sgd', 'rmsprop'),
      (seed, normAdv, kind) => {
        const cfg: A2cConfig = {
          ...A2C_DEFAULTS,
          numEnvs: 3,
          numSteps: 7,
          hiddenSizes: [10],
          normAdv,
          entCoef: 0.05,
          maxGradNorm: 0.5,
          optimizer: kind === 'sgd' ? { kind, lr: 0.1 } : { kind, lr: 7e-4, rho: 0.99, eps: 1e-5 },
        };
        const before = initial(cfg, seed);
        const tf = runUpdate(A2C, cfg, 'tfjs', seed, seed + 1);
        const fu = runUpdate(A2C, cfg, 'fused', seed, seed + 1);
        assertClose(tf, fu, before, `a2c ${kind} seed ${seed}`);
      },
    ),
    { numRuns: 8 },
  );
});

test("trainBackend 'auto' is fused for small plain MLPs, tfjs for kernel networks and wide layers", () => {
  assert.equal(onPolicyTrainBackend(PPO_DEFAULTS), 'fused');
  assert.equal(onPolicyTrainBackend(A2C_DEFAULTS), 'fused');
  assert.equal(onPolicyTrainBackend({ ...PPO_DEFAULTS, kernelRows: 128 }), 'tfjs');
  assert.equal(onPolicyTrainBackend({ ...PPO_DEFAULTS, hiddenSizes: [512] }), 'tfjs');
  assert.equal(onPolicyTrainBackend({ ...PPO_DEFAULTS, trainBackend: 'tfjs' }), 'tfjs');
  assert.throws(() => onPolicyTrainBackend({ ...PPO_DEFAULTS, kernelRows: 2, trainBackend: 'fused' }), /kernel/);
  // What `lepton train` records in the manifest.
  assert.equal(AGENTS.ppo.trainBackend({}), 'fused');
  assert.equal(AGENTS.a2c.trainBackend({ trainBackend: 'tfjs' }), 'tfjs');
});

test('both backends act identically until the first update: same first rollout, same episode statistics', async () => {
  const task = makeDeeprmTask({ simuLen: 10, numNw: 5, numTrainSets: 2, numValidationSets: 1, numHeldOutSets: 1 });
  const makeEnv = (): Env => task.makeTrainEnv();
  for (const [name, train] of [
    ['ppo', trainPpo],
    ['a2c', trainA2c],
  ] as const) {
    const first: Record<string, Record<string, number>> = {};
    for (const trainBackend of ['tfjs', 'fused'] as const) {
      const agent = await train(
        makeEnv,
        { totalSteps: 2 * 64, numEnvs: 2, numSteps: 64, hiddenSizes: [16], trainBackend },
        {
          seed: 9,
          onIteration: (it, m) => {
            if (it === 1) first[trainBackend] = m;
          },
        },
      );
      agent.dispose();
    }
    for (const k of ['globalStep', 'meanReturn', 'meanEpisodeLength'])
      assert.equal(first.fused[k], first.tfjs[k], `${name}: first-iteration ${k}`);
    assert.ok(Number.isFinite(first.fused.meanReturn), `${name}: the first rollout finished no episode`);
  }
});
