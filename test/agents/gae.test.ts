import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeGae, discountedReturns, timeBaselineAdvantages, normalize } from '../../src/agents/gae';

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-5): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) < tol, `[${i}] ${actual[i]} vs ${expected[i]}`);
  }
}

describe('discountedReturns', () => {
  test('hand-computed with γ = 0.5 and a bootstrap', () => {
    // G2 = 3 + 0.5·4 = 5, G1 = 2 + 2.5 = 4.5, G0 = 1 + 2.25 = 3.25
    close(discountedReturns([1, 2, 3], 0.5, 4), [3.25, 4.5, 5]);
  });
  test('γ = 1 (DeepRM) is the reverse cumulative sum', () => {
    close(discountedReturns([-1, -0.5, -0.25], 1), [-1.75, -0.75, -0.25]);
  });
});

describe('computeGae', () => {
  const base = { numSteps: 3, numEnvs: 1, gamma: 0.9, lambda: 0.5 };
  test('no episode end: bootstraps from lastValues through the whole rollout', () => {
    const r = computeGae({
      ...base,
      rewards: [1, 0, 2],
      values: [0.5, 1, 1.5],
      terminated: [0, 0, 0],
      truncated: [0, 0, 0],
      truncValues: [0, 0, 0],
      lastValues: [2],
    });
    // δ2 = 2 + 0.9·2 − 1.5 = 2.3; δ1 = 0 + 0.9·1.5 − 1 = 0.35; δ0 = 1 + 0.9·1 − 0.5 = 1.4
    // A2 = 2.3; A1 = 0.35 + 0.45·2.3 = 1.385; A0 = 1.4 + 0.45·1.385 = 2.02325
    close(r.advantages, [2.02325, 1.385, 2.3]);
    close(r.returns, [2.52325, 2.385, 3.8]);
  });
  test('termination: no bootstrap, and nothing flows back across the episode boundary', () => {
    const r = computeGae({
      ...base,
      rewards: [1, 0, 2],
      values: [0.5, 1, 1.5],
      terminated: [0, 1, 0],
      truncated: [0, 0, 0],
      truncValues: [0, 0, 0],
      lastValues: [2],
    });
    // A2 = 2.3 (new episode); δ1 = 0 + 0 − 1 = −1, A1 = −1; δ0 = 1.4, A0 = 1.4 + 0.45·(−1) = 0.95
    close(r.advantages, [0.95, -1, 2.3]);
  });
  test('truncation: bootstraps with V(final obs), still no flow across the boundary', () => {
    const r = computeGae({
      ...base,
      rewards: [1, 0, 2],
      values: [0.5, 1, 1.5],
      terminated: [0, 0, 0],
      truncated: [0, 1, 0],
      truncValues: [0, 3, 0],
      lastValues: [2],
    });
    // δ1 = 0 + 0.9·3 − 1 = 1.7, A1 = 1.7; A0 = 1.4 + 0.45·1.7 = 2.165
    close(r.advantages, [2.165, 1.7, 2.3]);
    close(r.returns, [2.665, 2.7, 3.8]);
  });
  test('λ = 1 gives n-step returns; two envs interleaved time-major stay independent', () => {
    const r = computeGae({
      numSteps: 2,
      numEnvs: 2,
      gamma: 0.5,
      lambda: 1,
      rewards: [1, 10, 1, 20], // env0: 1, 1; env1: 10, 20
      values: [0, 0, 0, 0],
      terminated: [0, 0, 0, 1],
      truncated: [0, 0, 0, 0],
      truncValues: [0, 0, 0, 0],
      lastValues: [4, 99],
    });
    // env0: G1 = 1 + 0.5·4 = 3, G0 = 1 + 1.5 = 2.5; env1 terminated at t=1: G1 = 20, G0 = 10 + 10 = 20
    close(r.returns, [2.5, 20, 3, 20]);
  });
});

describe('timeBaselineAdvantages', () => {
  test('baseline is the per-step mean, shorter trajectories padded with 0', () => {
    const adv = timeBaselineAdvantages([new Float32Array([3, 2, 1]), new Float32Array([5])]);
    // b = [(3+5)/2, (2+0)/2, (1+0)/2] = [4, 1, 0.5]
    close(adv[0], [-1, 1, 0.5]);
    close(adv[1], [1]);
  });
});

describe('normalize', () => {
  test('zero mean, unit population std', () => {
    close(normalize(new Float32Array([1, 2, 3])), [-Math.sqrt(1.5), 0, Math.sqrt(1.5)], 1e-5);
  });
});
