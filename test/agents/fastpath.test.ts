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

describe('FastMlp.forwardBatch', () => {
  for (const activation of ['relu', 'tanh'] as const)
    test(`equals forward() row by row, to the bit, on mixed dense/sparse batches of odd and even sizes (${activation})`, () => {
      const rng = new Rng(77);
      // 13 and 7 outputs: the 4-wide kernels' remainder columns are exercised too.
      const net = new Mlp({ inputSize: 53, hiddenSizes: [64, 13], outputSize: 7, activation }, rng);
      net.setWeights(net.getWeights().map((w) => w.map((v, i) => (w.length <= 64 ? 0.1 * Math.cos(i) : v))));
      const fast = FastMlp.fromMlp(net);
      for (const n of [1, 2, 5, 64, 257]) {
        const obs = new Float32Array(n * 53);
        for (let i = 0; i < obs.length; i++) {
          const row = Math.floor(i / 53);
          obs[i] = row % 3 === 2 ? (rng.random() < 0.1 ? 1 : 0) : rng.normal();
        }
        const out = fast.forwardBatch(obs, n, new Float32Array(n * 7));
        for (let r = 0; r < n; r++) {
          const one = fast.forward(obs, r * 53);
          for (let j = 0; j < 7; j++)
            assert.ok(out[r * 7 + j] === one[j], `n ${n} row ${r} out ${j}: ${out[r * 7 + j]} vs ${one[j]}`);
        }
      }
      // After update() the batched path follows the new weights too.
      net.setWeights(net.getWeights().map((w) => w.map((v) => v * -0.5)));
      fast.updateFrom(net);
      const obs = new Float32Array(4 * 53).map(() => rng.normal());
      const out = fast.forwardBatch(obs, 4, new Float32Array(28));
      for (let r = 0; r < 4; r++) {
        const one = fast.forward(obs, r * 53);
        for (let j = 0; j < 7; j++) assert.ok(out[r * 7 + j] === one[j]);
      }
      assert.throws(() => fast.forwardBatch(obs, 5, new Float32Array(35)), /inputs/);
      net.dispose();
    });
});

describe('PolicyAgent', () => {
  test('actBatch picks the same actions, and draws the same random numbers, as act() row by row', () => {
    const D = 10;
    const A = 5;
    const net = new Mlp({ inputSize: D, hiddenSizes: [16], outputSize: A }, new Rng(5));
    const a = new PolicyAgent('a', net, new Rng(9));
    const b = new PolicyAgent('b', net, new Rng(9));
    const rng = new Rng(4);
    const n = 33;
    const obs = new Float32Array(n * D).map(() => rng.normal());
    const masks = new Uint8Array(n * A).map((_, i) => (i % A === 0 || rng.random() < 0.5 ? 1 : 0));
    for (const greedy of [true, false]) {
      const batch = new Int32Array(n);
      a.actBatch(obs, masks, n, batch, greedy);
      for (let i = 0; i < n; i++)
        assert.equal(batch[i], b.act(obs.subarray(i * D, (i + 1) * D), masks.subarray(i * A, (i + 1) * A), greedy));
    }
    net.dispose();
  });

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
