import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DqnAgent,
  buildQNetwork,
  computeTargets,
  huber,
  qValues,
  resolveDqnConfig,
  trainDqn,
} from '../../src/agents/dqn';
import type { ReplayBatch } from '../../src/agents/replay';
import { SyncVecEnv } from '../../src/env/types';
import { initBackend } from '../../src/tf/backend';
import { tf } from '../../src/tf/tf';
import { UsageError } from '../../src/util/errors';
import { Rng } from '../../src/util/rng';
import { BANDIT_BEST_LEGAL, ChainEnv, MaskedBanditEnv, RandomMaskEnv } from './maskedToyEnvs';

before(async () => {
  await initBackend('cpu');
});

/** A 3-row batch with 3 actions for the target tests. */
function batch3(): ReplayBatch {
  return {
    size: 3,
    obs: new Float32Array(3),
    actions: new Int32Array(3),
    rewards: Float32Array.of(1, 2, 3),
    nextObs: new Float32Array(3),
    terminated: Uint8Array.of(0, 0, 1),
    discounts: Float32Array.of(0.5, 0.25, 0.5),
    nextMasks: Uint8Array.of(0, 1, 1, /**/ 1, 1, 0, /**/ 1, 1, 1),
    weights: new Float32Array(3).fill(1),
    indices: new Int32Array(3),
  };
}

describe('DQN targets', () => {
  // rows: next-state Q from the target net; the largest entry of rows 0 and 1 is masked
  const qT = Float32Array.of(10, 4, 2, /**/ 1, 3, 20, /**/ 7, 7, 7);
  const qO = Float32Array.of(9, 1, 5, /**/ 8, 0, 30, /**/ 0, 0, 0);

  test('plain DQN: max over the next state legal actions, none after termination', () => {
    const y = computeTargets(batch3(), qT, null, 3, new Float32Array(3));
    assert.deepEqual(Array.from(y), [1 + 0.5 * 4, 2 + 0.25 * 3, 3]);
  });

  test('double DQN: online net picks the legal argmax, target net scores it', () => {
    const y = computeTargets(batch3(), qT, qO, 3, new Float32Array(3));
    // row 0: online legal argmax = a2 (5 > 1) -> target 2; row 1: a0 (8 > 0; a2 masked) -> target 1
    assert.deepEqual(Array.from(y), [1 + 0.5 * 2, 2 + 0.25 * 1, 3]);
  });

  test('Huber loss: ½x² inside delta, delta·(|x| − ½delta) outside', () => {
    const v = tf.tidy(() => huber(tf.tensor1d([0.5, -2, 3, 0]), 1).dataSync());
    assert.deepEqual(Array.from(v), [0.125, 1.5, 2.5, 0]);
    const w = tf.tidy(() => huber(tf.tensor1d([1, -3]), 2).dataSync());
    assert.deepEqual(Array.from(w), [0.5, 2 * (3 - 1)]);
  });

  test('no legal next action bootstraps nothing', () => {
    const b = batch3();
    b.nextMasks.fill(0);
    assert.deepEqual(Array.from(computeTargets(b, qT, null, 3, new Float32Array(3))), [1, 2, 3]);
  });
});

describe('Q network', () => {
  test('dueling head: Q = V + A − mean(A) from the last layer [A..., V]', () => {
    const net = buildQNetwork(3, 4, { hiddenSizes: [5], activation: 'relu', dueling: true }, new Rng(1), 't');
    assert.equal(net.spec.outputSize, 5);
    const xs = Float32Array.of(0.1, -2, 3, 1, 1, 1);
    const [raw, q] = tf.tidy(() => {
      const x = tf.tensor2d(xs, [2, 3]);
      return [net.forward(x).dataSync(), qValues(net, x, 4, true).dataSync()];
    });
    for (let r = 0; r < 2; r++) {
      const adv = Array.from(raw.slice(r * 5, r * 5 + 4));
      const v = raw[r * 5 + 4];
      const mean = adv.reduce((s, a) => s + a, 0) / 4;
      for (let a = 0; a < 4; a++) assert.ok(Math.abs(q[r * 4 + a] - (v + adv[a] - mean)) < 1e-5);
    }
    net.dispose();
  });

  test('config validation names the bad key', () => {
    assert.throws(() => resolveDqnConfig({ tau: 0 }), UsageError);
    assert.throws(() => resolveDqnConfig({ nStep: 0 }), /nStep/);
    assert.throws(() => resolveDqnConfig({ loss: 'l1' as 'mse' }), /loss/);
    assert.throws(() => resolveDqnConfig({ maxGradNorm: -1 }), /maxGradNorm/);
    // schedules default to fractions of totalSteps
    const c = resolveDqnConfig({ totalSteps: 2000 });
    assert.deepEqual(c.epsilon, { kind: 'linear', start: 1, end: 0.05, steps: 1000 });
    assert.deepEqual(c.perBeta, { kind: 'linear', start: 0.4, end: 1, steps: 2000 });
  });
});

describe('trainDqn', () => {
  test('masked contextual bandit: learns the best legal action per context (single Env, double DQN, Huber)', async () => {
    const envs: MaskedBanditEnv[] = [];
    const returns: number[] = [];
    const r = await trainDqn(
      () => {
        const e = new MaskedBanditEnv();
        envs.push(e);
        return e;
      },
      {
        totalSteps: 1500,
        hiddenSizes: [32],
        batchSize: 32,
        learningStarts: 200,
        trainFrequency: 1,
        targetUpdateInterval: 100,
        optimizer: { kind: 'adam', lr: 3e-3 },
        logEvery: 500,
      },
      { seed: 1, onIteration: (_, m) => void returns.push(m.meanEpisodeReturn) },
    );
    assert.equal(r.steps, 1500);
    assert.equal(r.episodes, 1500);
    assert.equal(r.gradientSteps, 1301);
    assert.equal(envs[0].violations, 0);
    for (let c = 0; c < 4; c++) {
      const obs = new Float32Array(4);
      obs[c] = 1;
      const mask = Uint8Array.from([0, 1, 2, 3].map((a) => (a === c ? 0 : 1)));
      assert.equal(r.agent.act(obs, mask, true), BANDIT_BEST_LEGAL[c], `context ${c}`);
    }
    // last report (ε = 0.05): close to the optimum 0.65 of legal play
    assert.ok(returns[2] > 0.6, `returns ${returns}`);
    r.agent.net.dispose();
  });

  test('8-cell chain with VecEnv, prioritised replay, dueling, 3-step returns, Polyak target: optimal greedy path', async () => {
    const L = 8;
    const envs: ChainEnv[] = [];
    const r = await trainDqn(
      () =>
        new SyncVecEnv(
          [0, 1, 2, 3].map(() => {
            const e = new ChainEnv(L, 30);
            envs.push(e);
            return e;
          }),
        ),
      {
        totalSteps: 5000,
        gamma: 0.9,
        hiddenSizes: [32],
        batchSize: 32,
        learningStarts: 500,
        trainFrequency: 2,
        targetUpdateInterval: 4,
        tau: 0.05,
        nStep: 3,
        prioritized: true,
        dueling: true,
        loss: 'mse',
        maxGradNorm: 1,
        optimizer: { kind: 'adam', lr: 3e-3 },
      },
      { seed: 2 },
    );
    assert.equal(
      envs.reduce((s, e) => s + e.violations, 0),
      0,
    );
    const env = new ChainEnv(L, 30);
    let res = env.reset();
    let n = 0;
    for (;;) {
      const st = env.step(r.agent.act(res.observation, res.info.actionMask, true));
      n++;
      if (st.terminated || st.truncated) {
        assert.ok(st.terminated, 'reached the goal');
        break;
      }
      res = { observation: st.observation, info: st.info };
    }
    assert.equal(n, L - 1);
    // Q(start, right) ≈ γ^(L−2)
    const obs = new Float32Array(L);
    obs[0] = 1;
    const q = tf.tidy(() => qValues(r.agent.net, tf.tensor2d(obs, [1, L]), 3, true).dataSync());
    assert.ok(Math.abs(q[1] - 0.9 ** (L - 2)) < 0.1, `Q(0, right) = ${q[1]}`);
    r.agent.net.dispose();
  });

  test('never chooses a masked action over 1e5 random-mask steps (100 envs, ε 1 → 0)', async () => {
    const envs = Array.from({ length: 100 }, () => new RandomMaskEnv(6));
    const r = await trainDqn(
      () => new SyncVecEnv(envs),
      {
        totalSteps: 100_000,
        hiddenSizes: [16],
        batchSize: 32,
        learningStarts: 1000,
        trainFrequency: 500,
        epsilon: { kind: 'linear', start: 1, end: 0, steps: 50_000 },
        logEvery: 100_000,
      },
      { seed: 3 },
    );
    assert.equal(
      envs.reduce((s, e) => s + e.steps, 0),
      100_000,
    );
    assert.equal(
      envs.reduce((s, e) => s + e.violations, 0),
      0,
    );
    assert.ok(r.gradientSteps > 150);
    r.agent.net.dispose();
  });

  test('same seed, same weights; checkpoint save/load/resume', async () => {
    const cfg = {
      totalSteps: 600,
      hiddenSizes: [8],
      batchSize: 16,
      learningStarts: 100,
      trainFrequency: 2,
      targetUpdateInterval: 50,
      logEvery: 300,
    };
    const a = await trainDqn(() => new ChainEnv(5, 20), cfg, { seed: 9 });
    const b = await trainDqn(() => new ChainEnv(5, 20), cfg, { seed: 9 });
    assert.deepEqual(a.agent.net.getWeights(), b.agent.net.getWeights());
    const dir = mkdtempSync(join(tmpdir(), 'lepton-dqn-'));
    try {
      const ck = join(dir, 'ck');
      const c = await trainDqn(
        () => new ChainEnv(5, 20),
        { ...cfg, checkpointEvery: 200 },
        { seed: 9, checkpointDir: ck },
      );
      assert.deepEqual(c.agent.net.getWeights(), a.agent.net.getWeights(), 'checkpointing does not perturb training');
      const loaded = await DqnAgent.load(ck);
      assert.deepEqual(loaded.net.getWeights(), a.agent.net.getWeights());
      assert.equal(loaded.numActions, 3);
      const resumed = await trainDqn(
        () => new ChainEnv(5, 20),
        { ...cfg, totalSteps: 900 },
        { seed: 9, checkpointDir: ck, resume: true },
      );
      assert.equal(resumed.steps, 900);
      assert.ok(resumed.gradientSteps > a.gradientSteps);
      const saved = join(dir, 'agent');
      await resumed.agent.save(saved);
      const again = await DqnAgent.load(saved);
      assert.deepEqual(again.net.getWeights(), resumed.agent.net.getWeights());
      for (const net of [c.agent.net, loaded.net, resumed.agent.net, again.net]) net.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    a.agent.net.dispose();
    b.agent.net.dispose();
  });
});
