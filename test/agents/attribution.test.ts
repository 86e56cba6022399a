import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  actionProbabilities,
  gradLogProb,
  groupSums,
  integratedGradients,
  logProb,
  maskedSoftmax,
  occlusion,
  type MlpWeights,
} from '../../src/agents/attribution';
import { Rng } from '../../src/util/rng';

function randomNet(sizes: number[], seed: number, activation: 'relu' | 'tanh' = 'relu'): MlpWeights {
  const rng = new Rng(seed);
  const weights: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    weights.push(Float32Array.from({ length: sizes[l] * sizes[l + 1] }, () => rng.random() * 2 - 1));
    weights.push(Float32Array.from({ length: sizes[l + 1] }, () => rng.random() * 0.2 - 0.1));
  }
  return { sizes, weights, activation };
}

describe('attribution', () => {
  test('hand-computed: 1 input, identity-like net, two legal actions', () => {
    // logits = [2x, 0, 5] with action 2 illegal: p0 = e^{2x} / (e^{2x} + 1), d log p0 / dx = 2 (1 − p0).
    const net: MlpWeights = {
      sizes: [1, 1, 3],
      weights: [Float32Array.of(1), Float32Array.of(0), Float32Array.of(2, 0, 5), Float32Array.of(0, 0, 0)],
      activation: 'relu',
    };
    const mask = Uint8Array.of(1, 1, 0);
    const x = Float32Array.of(0.5);
    const p0 = Math.exp(1) / (Math.exp(1) + 1);
    assert.ok(Math.abs(actionProbabilities(net, x, mask)[0] - p0) < 1e-12);
    assert.equal(actionProbabilities(net, x, mask)[2], 0, 'illegal action has probability 0');
    assert.ok(Math.abs(gradLogProb(net, x, mask, 0)[0] - 2 * (1 - p0)) < 1e-12);
    // Integrated gradients from 0 to 0.5: log p0(0.5) − log p0(0) = 1 − log(1 + e) + log 2.
    const ig = integratedGradients(net, x, mask, 0, 200);
    assert.ok(Math.abs(ig[0] - (1 - Math.log(1 + Math.E) + Math.log(2))) < 1e-5);
  });

  test('the gradient matches central finite differences (relu and tanh)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom<'relu' | 'tanh'>('relu', 'tanh'), (seed, act) => {
        const net = randomNet([6, 5, 4], seed, act);
        const rng = new Rng(seed + 1);
        const x = Float32Array.from({ length: 6 }, () => rng.random());
        const mask = Uint8Array.of(1, 0, 1, 1);
        const g = gradLogProb(net, x, mask, 2);
        const h = 1e-6;
        for (let i = 0; i < 6; i++) {
          const a = Float64Array.from(x);
          const b = Float64Array.from(x);
          a[i] += h;
          b[i] -= h;
          const fd = (logProb(net, a, mask, 2) - logProb(net, b, mask, 2)) / (2 * h);
          // float64 throughout; a ReLU kink inside [x − 1e-6, x + 1e-6] has probability ~0.
          assert.ok(Math.abs(fd - g[i]) < 1e-6 + 1e-5 * Math.abs(fd), `input ${i}: fd ${fd} vs grad ${g[i]}`);
        }
      }),
      { numRuns: 30 },
    );
  });

  test('completeness: integrated gradients add up to log p(x) − log p(baseline)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const net = randomNet([12, 8, 5], seed, 'tanh');
        const rng = new Rng(seed + 7);
        const x = Float32Array.from({ length: 12 }, () => rng.random());
        const mask = Uint8Array.of(1, 1, 0, 1, 1);
        const ig = integratedGradients(net, x, mask, 3, 256);
        const total = ig.reduce((s, v) => s + v, 0);
        const gap = logProb(net, x, mask, 3) - logProb(net, new Float32Array(12), mask, 3);
        assert.ok(Math.abs(total - gap) < 1e-3, `Σ ${total} vs gap ${gap}`);
      }),
      { numRuns: 20 },
    );
  });

  test('occlusion of inputs the net ignores is zero; group sums add the members', () => {
    const net = randomNet([4, 3, 2], 3);
    // Zero the first-layer weights of inputs 2 and 3: they cannot matter.
    for (let j = 0; j < 3; j++) net.weights[0][2 * 3 + j] = net.weights[0][3 * 3 + j] = 0;
    const x = Float32Array.of(0.3, 0.9, 0.5, 0.7);
    const mask = Uint8Array.of(1, 1);
    const occ = occlusion(net, x, mask, 0, [
      { name: 'a', indices: Int32Array.of(0, 1) },
      { name: 'ignored', indices: Int32Array.of(2, 3) },
    ]);
    assert.equal(occ[1].delta, 0);
    const sums = groupSums(Float64Array.of(1, 2, 3, 4), [{ name: 'x', indices: Int32Array.of(1, 3) }]);
    assert.deepEqual(sums, [{ group: 'x', value: 6 }]);
    assert.deepEqual(Array.from(maskedSoftmax([0, 100, 0], Uint8Array.of(1, 0, 1))), [0.5, 0, 0.5]);
  });

  test('bad inputs are rejected', () => {
    const net = randomNet([3, 2, 2], 1);
    assert.throws(() => actionProbabilities(net, new Float32Array(4), Uint8Array.of(1, 1)), /input has 4 values/);
    assert.throws(() => actionProbabilities(net, new Float32Array(3), Uint8Array.of(0, 0)), /no legal action/);
    assert.throws(() => gradLogProb(net, new Float32Array(3), Uint8Array.of(1, 0), 1), /not legal/);
  });
});
