import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { NStepAccumulator } from '../../src/agents/nstep';
import type { Transition } from '../../src/agents/replay';

interface Out {
  obs: number;
  action: number;
  reward: number;
  nextObs: number;
  terminated: boolean;
  discount: number;
  nextMask: number[];
}

/** Copies the scratch transition (obsSize 1) into a plain record. */
function collector(): { out: Out[]; sink: (t: Transition) => void } {
  const out: Out[] = [];
  return {
    out,
    sink: (t) =>
      out.push({
        obs: t.obs[0],
        action: t.action,
        reward: t.reward,
        nextObs: t.nextObs[0],
        terminated: t.terminated,
        discount: t.discount,
        nextMask: Array.from(t.nextMask),
      }),
  };
}

const o = (x: number): Float32Array => Float32Array.of(x);
const m = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('NStepAccumulator', () => {
  test('n=3, gamma=0.5: sliding window then terminated flush', () => {
    const acc = new NStepAccumulator(3, 0.5, 1, 2);
    const { out, sink } = collector();
    // states 0 -> 1 -> 2 -> 3 -> 4(terminal), rewards 1, 2, 4, 8, actions 10+t
    acc.push(o(0), 10, 1, o(1), m(1, 0), false, false, sink);
    acc.push(o(1), 11, 2, o(2), m(0, 1), false, false, sink);
    assert.equal(out.length, 0);
    acc.push(o(2), 12, 4, o(3), m(1, 1), false, false, sink);
    // R = 1 + 0.5*2 + 0.25*4 = 3, bootstrap from s3 with 0.5^3
    assert.deepEqual(out, [
      { obs: 0, action: 10, reward: 3, nextObs: 3, terminated: false, discount: 0.125, nextMask: [1, 1] },
    ]);
    acc.push(o(3), 13, 8, o(4), m(0, 0), true, false, sink);
    assert.equal(acc.pending, 0);
    assert.deepEqual(out.slice(1), [
      {
        obs: 1,
        action: 11,
        reward: 2 + 0.5 * 4 + 0.25 * 8,
        nextObs: 4,
        terminated: true,
        discount: 0.125,
        nextMask: [0, 0],
      },
      { obs: 2, action: 12, reward: 4 + 0.5 * 8, nextObs: 4, terminated: true, discount: 0.25, nextMask: [0, 0] },
      { obs: 3, action: 13, reward: 8, nextObs: 4, terminated: true, discount: 0.5, nextMask: [0, 0] },
    ]);
  });

  test('truncation bootstraps from the final observation with gamma^m', () => {
    const acc = new NStepAccumulator(4, 0.9, 1, 2);
    const { out, sink } = collector();
    acc.push(o(5), 0, 1, o(6), m(1, 1), false, false, sink);
    acc.push(o(6), 1, -1, o(7), m(1, 0), false, true, sink);
    assert.equal(out.length, 2);
    assert.equal(out[0].obs, 5);
    assert.ok(Math.abs(out[0].reward - (1 - 0.9)) < 1e-12);
    assert.equal(out[0].nextObs, 7);
    assert.equal(out[0].terminated, false);
    assert.ok(Math.abs(out[0].discount - 0.81) < 1e-12);
    assert.deepEqual(out[0].nextMask, [1, 0]);
    assert.deepEqual(
      { ...out[1] },
      { obs: 6, action: 1, reward: -1, nextObs: 7, terminated: false, discount: 0.9, nextMask: [1, 0] },
    );
  });

  test('truncation with unknown final observation drops the pending transitions', () => {
    const acc = new NStepAccumulator(3, 0.9, 1, 2);
    const { out, sink } = collector();
    acc.push(o(0), 0, 1, o(1), m(1, 1), false, false, sink);
    acc.push(o(1), 0, 1, null, null, false, true, sink);
    assert.equal(out.length, 0);
    assert.equal(acc.pending, 0);
    // a terminated end with unknown next obs is still emitted (nothing to bootstrap)
    acc.push(o(2), 1, 3, null, null, true, false, sink);
    assert.deepEqual(out, [
      { obs: 2, action: 1, reward: 3, nextObs: 0, terminated: true, discount: 0.9, nextMask: [0, 0] },
    ]);
  });

  test('n=1 is plain one-step transitions; episodes do not leak into each other', () => {
    const acc = new NStepAccumulator(1, 0.99, 1, 1);
    const { out, sink } = collector();
    acc.push(o(0), 0, 2, o(1), m(1), false, false, sink);
    acc.push(o(1), 0, 3, o(2), m(1), true, false, sink);
    acc.push(o(9), 0, 4, o(10), m(1), false, false, sink);
    assert.deepEqual(
      out.map((t) => [t.obs, t.reward, t.nextObs, t.terminated, t.discount]),
      [
        [0, 2, 1, false, 0.99],
        [1, 3, 2, true, 0.99],
        [9, 4, 10, false, 0.99],
      ],
    );
  });

  test('long episode: each emitted return equals the hand formula', () => {
    const n = 3;
    const g = 0.7;
    const acc = new NStepAccumulator(n, g, 1, 1);
    const { out, sink } = collector();
    const rewards = [3, -1, 2, 5, 0, 4, 1];
    rewards.forEach((r, t) => acc.push(o(t), 0, r, o(t + 1), m(1), t === rewards.length - 1, false, sink));
    assert.equal(out.length, rewards.length);
    for (let t = 0; t < rewards.length; t++) {
      const len = Math.min(n, rewards.length - t);
      let R = 0;
      for (let k = 0; k < len; k++) R += g ** k * rewards[t + k];
      assert.equal(out[t].obs, t);
      assert.ok(Math.abs(out[t].reward - R) < 1e-12, `t=${t}`);
      assert.ok(Math.abs(out[t].discount - g ** len) < 1e-12);
      assert.equal(out[t].nextObs, Math.min(t + n, rewards.length));
      assert.equal(out[t].terminated, t + n >= rewards.length);
    }
  });
});
