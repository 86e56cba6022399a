import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QLearningAgent, binHashKey, fnv1a, resolveQLearningConfig, trainQLearning } from '../../src/agents/qlearning';
import { scheduleValue } from '../../src/agents/schedules';
import { maskedArgmax, maskedMax, randomLegalAction } from '../../src/agents/masks';
import { UsageError } from '../../src/util/errors';
import { Rng } from '../../src/util/rng';
import { BANDIT_BEST_LEGAL, ChainEnv, MaskedBanditEnv, RandomMaskEnv } from './maskedToyEnvs';

describe('state hashing', () => {
  test('FNV-1a matches the published 32-bit test vectors', () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    assert.equal(fnv1a(enc('')), 0x811c9dc5);
    assert.equal(fnv1a(enc('a')), 0xe40c292c);
    assert.equal(fnv1a(enc('foobar')), 0xbf9cf968);
  });

  test('binHashKey quantises (with clamping) then hashes the bin bytes', () => {
    const key = binHashKey(10, 0, 1);
    assert.equal(key(Float32Array.of(0.05, 0.95, 0.5)), fnv1a(Uint8Array.of(0, 9, 5)));
    assert.equal(key(Float32Array.of(-5, 5, NaN)), fnv1a(Uint8Array.of(0, 9, 0)));
    assert.equal(key(Float32Array.of(0.01, 0.99, 0.51)), key(Float32Array.of(0.09, 0.91, 0.59)), 'same bins, same key');
    assert.notEqual(key(Float32Array.of(0.05, 0.95, 0.5)), key(Float32Array.of(0.15, 0.95, 0.5)));
    // more than 256 bins: two little-endian bytes per component; bin 299 = 0x012b
    const wide = binHashKey(300, -1, 1);
    assert.equal(wide(Float32Array.of(0.999, -1)), fnv1a(Uint8Array.of(0x2b, 0x01, 0, 0)));
  });
});

describe('masked selection helpers', () => {
  test('argmax / max ignore masked actions; random draws only legal ones', () => {
    const q = [9, 1, 5, 7, 3];
    const mask = Uint8Array.of(0, 1, 1, 0, 1);
    assert.equal(maskedArgmax(q, 0, mask, 0, 5), 2);
    assert.equal(maskedMax(q, 0, mask, 0, 5), 5);
    assert.equal(maskedArgmax(q, 0, new Uint8Array(5), 0, 5), -1);
    assert.equal(maskedMax(q, 0, new Uint8Array(5), 0, 5), 0);
    // offsets select a row
    assert.equal(maskedArgmax([0, 0, 4, 8], 2, Uint8Array.of(1, 1, 1, 0), 2, 2), 0);
    const rng = new Rng(5);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[randomLegalAction(mask, 0, 5, rng)]++;
    assert.equal(counts[0] + counts[3], 0);
    for (const a of [1, 2, 4]) assert.ok(Math.abs(counts[a] - 10_000) < 500, `count ${counts[a]}`);
    assert.throws(() => randomLegalAction(new Uint8Array(3), 0, 3, rng));
  });
});

describe('QLearningAgent', () => {
  test('update bootstraps from the best *legal* next action and not after termination', () => {
    const c = resolveQLearningConfig({ learningRate: 0.5, gamma: 0.9, bins: 2, tableSize: 1024 });
    const agent = new QLearningAgent(3, c, new Rng(1));
    const s = Float32Array.of(1, 0);
    const s2 = Float32Array.of(0, 1);
    const row2 = agent.row(s2) * 3;
    agent.q[row2 + 0] = 10; // masked next action with the largest value
    agent.q[row2 + 1] = 2;
    agent.q[row2 + 2] = 4;
    const td = agent.update(s, 1, 1, s2, Uint8Array.of(0, 1, 1), false);
    assert.ok(Math.abs(td - (1 + 0.9 * 4)) < 1e-12);
    assert.ok(Math.abs(agent.q[agent.row(s) * 3 + 1] - 0.5 * 4.6) < 1e-12);
    const td2 = agent.update(s, 0, 1, s2, Uint8Array.of(1, 1, 1), true);
    assert.equal(td2, 1);
  });

  test('config validation names the bad key', () => {
    assert.throws(() => resolveQLearningConfig({ gamma: 1.5 }), UsageError);
    assert.throws(() => resolveQLearningConfig({ bins: 0 }), /bins/);
    assert.throws(
      () => resolveQLearningConfig({ epsilon: { kind: 'exponential', start: 1, end: 0, decay: 2 } }),
      /epsilon/,
    );
  });

  test('solves a 6-cell chain: Q matches the known optimum γ^k', async () => {
    const L = 6;
    const gamma = 0.9;
    const envs: ChainEnv[] = [];
    const iterations: number[] = [];
    const { agent, steps } = await trainQLearning(
      () => {
        const e = new ChainEnv(L, 30);
        envs.push(e);
        return e;
      },
      {
        totalSteps: 20_000,
        learningRate: 0.5,
        gamma,
        bins: 2,
        obsLow: 0,
        obsHigh: 1,
        epsilon: { kind: 'constant', value: 0.3 },
        logEvery: 5_000,
      },
      { seed: 42, onIteration: (i, m) => void iterations.push(i, m.step) },
    );
    assert.equal(steps, 20_000);
    assert.deepEqual(iterations, [0, 5000, 1, 10000, 2, 15000, 3, 20000]);
    assert.equal(envs[0].violations, 0);
    const obs = new Float32Array(L);
    for (let s = 0; s < L - 1; s++) {
      obs.fill(0);
      obs[s] = 1;
      const row = agent.row(obs) * 3;
      assert.ok(Math.abs(agent.q[row + 1] - gamma ** (L - 2 - s)) < 1e-3, `Q(${s}, right) = ${agent.q[row + 1]}`);
      if (s > 0) assert.ok(Math.abs(agent.q[row + 0] - gamma ** (L - s)) < 1e-3, `Q(${s}, left) = ${agent.q[row]}`);
      assert.equal(agent.q[row + 2], 0, 'the always-masked action is never updated');
    }
    // greedy rollout reaches the goal in the minimum L-1 steps
    const env = new ChainEnv(L, 30);
    let r = env.reset();
    let n = 0;
    for (;;) {
      const st = env.step(agent.act(r.observation, r.info.actionMask, true));
      n++;
      if (st.terminated || st.truncated) {
        assert.equal(st.reward, 1);
        break;
      }
      r = { observation: st.observation, info: st.info };
    }
    assert.equal(n, L - 1);
  });

  test('masked contextual bandit: greedy picks the best legal action in every context', async () => {
    const { agent } = await trainQLearning(
      () => new MaskedBanditEnv(),
      { totalSteps: 4_000, learningRate: 0.2, bins: 2, epsilon: { kind: 'linear', start: 1, end: 0.1, steps: 2_000 } },
      { seed: 7 },
    );
    for (let c = 0; c < 4; c++) {
      const obs = new Float32Array(4);
      obs[c] = 1;
      const mask = Uint8Array.from([0, 1, 2, 3].map((a) => (a === c ? 0 : 1)));
      assert.equal(agent.act(obs, mask, true), BANDIT_BEST_LEGAL[c], `context ${c}`);
    }
  });

  test('never chooses a masked action over 1e5 random-mask steps', async () => {
    const envs: RandomMaskEnv[] = [];
    await trainQLearning(
      () => {
        const e = new RandomMaskEnv(6);
        envs.push(e);
        return e;
      },
      { totalSteps: 100_000, bins: 4, epsilon: { kind: 'linear', start: 1, end: 0, steps: 50_000 }, logEvery: 100_000 },
      { seed: 3 },
    );
    assert.equal(envs[0].steps, 100_000);
    assert.equal(envs[0].violations, 0);
  });

  test('same seed, same table; save/load round-trips', async () => {
    const cfg = {
      totalSteps: 3_000,
      bins: 2,
      epsilon: { kind: 'exponential' as const, start: 1, end: 0.05, decay: 0.999 },
    };
    const a = (await trainQLearning(() => new ChainEnv(5, 20), cfg, { seed: 11 })).agent;
    const b = (await trainQLearning(() => new ChainEnv(5, 20), cfg, { seed: 11 })).agent;
    const c = (await trainQLearning(() => new ChainEnv(5, 20), cfg, { seed: 12 })).agent;
    assert.deepEqual(a.q, b.q);
    assert.notDeepEqual(a.q, c.q);
    assert.ok(Math.abs(a.epsilon - scheduleValue(cfg.epsilon, 2_999)) < 1e-12);
    const dir = mkdtempSync(join(tmpdir(), 'lepton-ql-'));
    try {
      await a.save(dir);
      const loaded = await QLearningAgent.load(dir, new Rng(0));
      assert.deepEqual(loaded.q, a.q);
      assert.deepEqual(loaded.config, a.config);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('schedules', () => {
  test('linear, exponential and constant values', () => {
    const lin = { kind: 'linear' as const, start: 1, end: 0.1, steps: 100 };
    assert.equal(scheduleValue(lin, 0), 1);
    assert.ok(Math.abs(scheduleValue(lin, 50) - 0.55) < 1e-12);
    assert.equal(scheduleValue(lin, 100), 0.1);
    assert.equal(scheduleValue(lin, 1e9), 0.1);
    const exp = { kind: 'exponential' as const, start: 1, end: 0.2, decay: 0.5 };
    assert.equal(scheduleValue(exp, 0), 1);
    assert.equal(scheduleValue(exp, 2), 0.2 + 0.8 * 0.25);
    assert.equal(scheduleValue({ kind: 'constant', value: 0.3 }, 77), 0.3);
    // beta anneals upward the same way
    assert.equal(scheduleValue({ kind: 'linear', start: 0.4, end: 1, steps: 10 }, 5), 0.7);
  });
});
