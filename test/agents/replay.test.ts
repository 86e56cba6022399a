import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PrioritizedReplay, type Transition, UniformReplay } from '../../src/agents/replay';
import { Rng } from '../../src/util/rng';

/** Transition i: obs [i, -i], action i%3, reward i/2, nextObs [i+1, 0], terminated on multiples of 4, mask with bit i%3 cleared. */
function tr(i: number): Transition {
  const nextMask = Uint8Array.of(1, 1, 1);
  nextMask[i % 3] = 0;
  return {
    obs: Float32Array.of(i, -i),
    action: i % 3,
    reward: i / 2,
    nextObs: Float32Array.of(i + 1, 0),
    terminated: i % 4 === 0,
    discount: 0.9 ** (1 + (i % 2)),
    nextMask,
  };
}

/** Asserts that batch row j holds transition i. */
function assertRow(b: ReturnType<UniformReplay['sample']>, j: number, i: number): void {
  const t = tr(i);
  assert.deepEqual(Array.from(b.obs.subarray(2 * j, 2 * j + 2)), Array.from(t.obs));
  assert.equal(b.actions[j], t.action);
  assert.equal(b.rewards[j], t.reward);
  assert.deepEqual(Array.from(b.nextObs.subarray(2 * j, 2 * j + 2)), Array.from(t.nextObs));
  assert.equal(b.terminated[j], t.terminated ? 1 : 0);
  assert.equal(b.discounts[j], Math.fround(t.discount));
  assert.deepEqual(Array.from(b.nextMasks.subarray(3 * j, 3 * j + 3)), Array.from(t.nextMask));
}

describe('UniformReplay', () => {
  test('stores copies and samples them back intact; ring overwrites the oldest', () => {
    const buf = new UniformReplay(5, 2, 3);
    const t0 = tr(0);
    assert.equal(buf.add(t0), 0);
    t0.obs[0] = 99; // the buffer copied it
    for (let i = 1; i < 8; i++) buf.add(tr(i));
    assert.equal(buf.size, 5);
    // slots now hold transitions 5,6,7,3,4
    const held = [5, 6, 7, 3, 4];
    const rng = new Rng(3);
    const seen = new Set<number>();
    for (let k = 0; k < 50; k++) {
      const b = buf.sample(4, rng);
      for (let j = 0; j < 4; j++) {
        const slot = b.indices[j];
        assertRow(b, j, held[slot]);
        assert.equal(b.weights[j], 1);
        seen.add(slot);
      }
    }
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4]);
  });

  test('only filled slots are sampled, uniformly (chi-square)', () => {
    const buf = new UniformReplay(100, 2, 3);
    for (let i = 0; i < 10; i++) buf.add(tr(i));
    const rng = new Rng(7);
    const counts = new Array(10).fill(0);
    const N = 50_000;
    for (let k = 0; k < N / 50; k++) {
      const b = buf.sample(50, rng);
      for (let j = 0; j < 50; j++) counts[b.indices[j]]++;
    }
    const e = N / 10;
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    assert.ok(chi2 < 27.88, `chi2(9) = ${chi2}`); // 99.9% quantile
  });

  test('empty buffer and wrong shapes throw', () => {
    const buf = new UniformReplay(4, 2, 3);
    assert.throws(() => buf.sample(1, new Rng(1)));
    assert.throws(() => buf.add({ ...tr(1), obs: new Float32Array(3) }));
    assert.throws(() => buf.add({ ...tr(1), nextMask: new Uint8Array(2) }));
  });
});

describe('PrioritizedReplay', () => {
  test('new transitions enter at the max priority seen so far', () => {
    const buf = new PrioritizedReplay(8, 2, 3, { alpha: 0.5, epsilon: 0.01 });
    buf.add(tr(0));
    assert.equal(buf.priority(0), 1); // initial max raw priority 1, 1^0.5
    buf.updatePriorities(Int32Array.of(0), [3.99]);
    assert.ok(Math.abs(buf.priority(0) - 2) < 1e-12); // (3.99+0.01)^0.5
    buf.add(tr(1));
    assert.ok(Math.abs(buf.priority(1) - 2) < 1e-12);
    buf.updatePriorities(Int32Array.of(0, 1), [0.24, -0.99]); // |δ| is used
    assert.ok(Math.abs(buf.priority(0) - 0.5) < 1e-12);
    assert.ok(Math.abs(buf.priority(1) - 1) < 1e-12);
    buf.add(tr(2)); // max stays 4 (raw) even though no slot holds it now
    assert.ok(Math.abs(buf.priority(2) - 2) < 1e-12);
  });

  test('sampling frequency ∝ (|δ|+ε)^α and weights = (p_min/p_i)^β', () => {
    const alpha = 0.7;
    const eps = 0.05;
    const buf = new PrioritizedReplay(6, 2, 3, { alpha, epsilon: eps });
    for (let i = 0; i < 6; i++) buf.add(tr(i));
    const td = [0.95, 2.95, 0.15, 4.95, 1.95, 0.45];
    buf.updatePriorities(Int32Array.of(0, 1, 2, 3, 4, 5), td);
    const p = td.map((d) => (d + eps) ** alpha);
    const total = p.reduce((a, b) => a + b, 0);
    const pMin = Math.min(...p);
    const beta = 0.4;
    const rng = new Rng(2024);
    const counts = new Array(6).fill(0);
    const B = 32;
    const rounds = 3000;
    for (let k = 0; k < rounds; k++) {
      const b = buf.sample(B, rng, beta);
      for (let j = 0; j < B; j++) {
        const s = b.indices[j];
        counts[s]++;
        assertRow(b, j, s);
        assert.ok(Math.abs(b.weights[j] - (pMin / p[s]) ** beta) < 1e-6);
      }
    }
    const N = B * rounds;
    let chi2 = 0;
    for (let i = 0; i < 6; i++) {
      const e = (N * p[i]) / total;
      chi2 += (counts[i] - e) ** 2 / e;
    }
    // stratified sampling has less variance than multinomial, so the chi-square(5) bound is conservative
    assert.ok(chi2 < 20.52, `chi2 = ${chi2}`);
    // the slot with the smallest priority has weight exactly 1
    const b = buf.sample(B, rng, 1);
    for (let j = 0; j < B; j++) if (b.indices[j] === 2) assert.equal(b.weights[j], 1);
  });

  test('alpha = 0 samples uniformly with unit weights', () => {
    const buf = new PrioritizedReplay(4, 2, 3, { alpha: 0, epsilon: 1e-6 });
    for (let i = 0; i < 4; i++) buf.add(tr(i));
    buf.updatePriorities(Int32Array.of(0, 1, 2, 3), [100, 0, 5, 1]);
    const b = buf.sample(8, new Rng(1), 1);
    for (let j = 0; j < 8; j++) assert.equal(b.weights[j], 1);
    // stratified over equal masses: exactly two draws per slot
    const counts = [0, 0, 0, 0];
    for (let j = 0; j < 8; j++) counts[b.indices[j]]++;
    assert.deepEqual(counts, [2, 2, 2, 2]);
  });
});
