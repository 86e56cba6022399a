import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/tf/backend';
import { Mlp } from '../../src/agents/nn';
import { FastMlp, PolicyAgent, loadPolicyAgent } from '../../src/agents/fastpath';
import { Rng } from '../../src/util/rng';

before(async () => {
  await initBackend();
});

describe('FastMlp', () => {
  for (const activation of ['relu', 'tanh'] as const) {
    test(`equals the tfjs forward pass within 1e-5 on random dense and sparse inputs (${activation})`, () => {
      const rng = new Rng(21);
      const net = new Mlp({ inputSize: 300, hiddenSizes: [20, 16], outputSize: 11, activation }, rng);
      // Non-zero biases so they are exercised too.
      net.setWeights(net.getWeights().map((w) => w.map((v, i) => (w.length <= 20 ? 0.1 * Math.sin(i) : v))));
      const fast = FastMlp.fromMlp(net);
      const n = 40;
      const obs = new Float32Array(n * 300);
      for (let i = 0; i < obs.length; i++) {
        const row = Math.floor(i / 300);
        // first half dense normals, second half 90 % zeros / ones like a DeepRM image
        obs[i] = row < n / 2 ? rng.normal() : rng.random() < 0.1 ? 1 : 0;
      }
      const ref = net.predict(obs, n);
      for (let r = 0; r < n; r++) {
        const out = fast.forward(obs, r * 300);
        for (let j = 0; j < 11; j++) {
          assert.ok(Math.abs(out[j] - ref[r * 11 + j]) < 1e-5, `row ${r} out ${j}: ${out[j]} vs ${ref[r * 11 + j]}`);
        }
      }
      // update() follows new tfjs weights.
      net.setWeights(net.getWeights().map((w) => w.map((v) => v * 0.5)));
      fast.updateFrom(net);
      const ref2 = net.predict(obs, 1);
      const out2 = fast.forward(obs, 0);
      for (let j = 0; j < 11; j++) assert.ok(Math.abs(out2[j] - ref2[j]) < 1e-5);
      net.dispose();
    });
  }
});

describe('PolicyAgent', () => {
  test('never picks a masked action over 1e5 random observations and masks (sampled and greedy)', () => {
    const rng = new Rng(3);
    const A = 6;
    const D = 12;
    // Large output weights make the policy very peaked, so masked actions would
    // be chosen often if masking were broken.
    const net = new Mlp({ inputSize: D, hiddenSizes: [8], outputSize: A, outputScale: 20 }, rng);
    const agent = new PolicyAgent('test', net, rng.fork());
    const obs = new Float32Array(D);
    const mask = new Uint8Array(A);
    const counts = new Array(A).fill(0);
    for (let step = 0; step < 100000; step++) {
      for (let i = 0; i < D; i++) obs[i] = rng.normal();
      let legal = 0;
      for (let a = 0; a < A; a++) legal += mask[a] = rng.random() < 0.4 ? 1 : 0;
      if (legal === 0) mask[rng.int(0, A)] = 1;
      const a = agent.act(obs, mask, step % 2 === 0);
      assert.equal(mask[a], 1, `step ${step}: masked action ${a} chosen`);
      counts[a]++;
    }
    for (const c of counts) assert.ok(c > 0); // every action is used when legal
    assert.throws(() => agent.act(obs, new Uint8Array(A)), /no legal action/);
    agent.dispose();
  });

  test('actBatch = act row by row (greedy); save/load round-trips the policy', async () => {
    const rng = new Rng(4);
    const net = new Mlp({ inputSize: 5, hiddenSizes: [4], outputSize: 3 }, rng);
    const agent = new PolicyAgent('ppo', net, new Rng(1), { lr: 1 });
    const n = 50;
    const obs = new Float32Array(n * 5).map(() => rng.normal());
    const masks = new Uint8Array(n * 3).map((_, i) => (i % 3 === 1 || rng.random() < 0.5 ? 1 : 0));
    const out = new Int32Array(n);
    agent.actBatch(obs, masks, n, out, true);
    for (let i = 0; i < n; i++) assert.equal(out[i], agent.act(obs.subarray(i * 5), masks.subarray(i * 3), true));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-fp-'));
    await agent.save(dir);
    const loaded = await loadPolicyAgent(dir);
    assert.equal(loaded.name, 'ppo');
    assert.deepEqual(loaded.meta, { lr: 1 });
    assert.deepEqual(loaded.policy.getWeights(), net.getWeights());
    fs.rmSync(dir, { recursive: true });
    agent.dispose();
    loaded.dispose();
  });
});
