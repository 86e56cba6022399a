/**
 * The fused Float32Array kernels (src/nn/) against hand-computed values and against tfjs
 * (src/agents/nn.ts), which is what they replace: same forward outputs, same gradients of the
 * same losses, same optimizer updates step for step.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initBackend } from '../../src/tf/backend';
import { tf } from '../../src/tf/tf';
import {
  Mlp,
  Optimizer,
  computeGrads,
  maskTensor,
  maskedEntropy,
  maskedLogSoftmax,
  pickColumns,
  applyGrads,
  type OptimizerConfig,
} from '../../src/agents/nn';
import { FusedMlp, layerSlices } from '../../src/nn/mlp';
import { HeadScratch, policyGradientLoss, ppoPolicyLoss, valueLoss, type PpoPolicyStats } from '../../src/nn/heads';
import { FusedOptimizer, clipGradNorm } from '../../src/nn/optim';
import { chooseTrainBackend } from '../../src/nn/backend';
import { Rng } from '../../src/util/rng';

before(async () => {
  await initBackend();
});

/** |a − b| ≤ atol + rtol·|b| elementwise, with the first offending index in the message. */
function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(b[i]);
    if (!(Math.abs(a[i] - b[i]) <= tol)) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]} (tol ${tol})`);
  }
}

/** A random problem: a network, sparse 0/1-ish inputs, masks with ≥ 1 legal action, actions, weights. */
function problem(seed: number, D: number, hidden: number[], A: number, n: number, act: 'relu' | 'tanh') {
  const rng = new Rng(seed);
  const net = new Mlp({ inputSize: D, hiddenSizes: hidden, outputSize: A, activation: act }, rng.fork(), 't');
  // Non-zero biases too (Mlp starts them at 0): a gradient bug on b must show.
  net.setWeights(net.getWeights().map((w, i) => (i % 2 === 1 ? w.map(() => rng.normal() * 0.3) : w)));
  const x = new Float32Array(n * D);
  for (let i = 0; i < x.length; i++) {
    const u = rng.random();
    x[i] = u < 0.7 ? 0 : u < 0.9 ? 1 : rng.normal(); // mostly empty, some 1s, some reals
  }
  const masks = new Uint8Array(n * A);
  const actions = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const legal: number[] = [];
    for (let a = 0; a < A; a++) if (rng.random() < 0.6) legal.push(a);
    if (legal.length === 0) legal.push(rng.int(0, A));
    for (const a of legal) masks[r * A + a] = 1;
    actions[r] = legal[rng.int(0, legal.length)];
  }
  const w = new Float32Array(n).map(() => rng.normal());
  return { rng, net, x, masks, actions, w };
}

function fusedOf(net: Mlp): FusedMlp {
  const f = new FusedMlp(net.sizes, net.spec.activation);
  f.setWeights(net.getWeights());
  return f;
}

describe('FusedMlp: hand-computed micro case', () => {
  test('2 → 2 ReLU → 2: outputs and every gradient entry', () => {
    // W0 = [[1, -1], [2, 0.5]], b0 = [0, 0.25]; W1 = [[1, 2], [-1, 1]], b1 = [0.5, -0.5]; x = [1, 0] and [0, 2].
    const f = new FusedMlp([2, 2, 2], 'relu');
    f.setWeights([
      new Float32Array([1, -1, 2, 0.5]),
      new Float32Array([0, 0.25]),
      new Float32Array([1, 2, -1, 1]),
      new Float32Array([0.5, -0.5]),
    ]);
    const y = f.forward(new Float32Array([1, 0, 0, 2]), 2);
    // row 0: z = [1, -0.75] → h = [1, 0] → y = [1.5, 1.5]; row 1: z = [4, 1.25] → h = [4, 1.25] → y = [3.25, 8.75]
    assert.deepEqual([...y.subarray(0, 4)], [1.5, 1.5, 3.25, 8.75]);
    f.zeroGrad();
    f.backward(new Float64Array([1, 0, 0, 1])); // dL/dy: row 0 = [1, 0], row 1 = [0, 1]
    // dW1 = h0ᵀ·[1,0] + h1ᵀ·[0,1] = [[1, 4], [0, 1.25]]; db1 = [1, 1]
    // dh row 0 = W1[:,0] = [1, -1] → ReLU mask [1, 0] → [1, 0]; row 1 = W1[:,1] = [2, 1] → [2, 1]
    // dW0 = x0ᵀ·[1,0] + x1ᵀ·[2,1] = [[1, 0], [4, 2]]; db0 = [3, 1]
    assert.deepEqual([...f.grads], [1, 0, 4, 2, 3, 1, 1, 4, 0, 1.25, 1, 1]);
  });

  test('layerSlices lays out [W0, b0, W1, b1]', () => {
    assert.deepEqual(layerSlices([3, 2, 4]), {
      slices: [
        { w: 0, b: 6 },
        { w: 8, b: 16 },
      ],
      total: 20,
    });
  });

  test('masked policy-gradient head, hand-computed: 2 legal actions of 3', () => {
    // logits [0, ln 3, 5], action 1 legal with 0: p = [1/4, 3/4, 0]; w = 2, β = 0, scale 1.
    const s = new HeadScratch(3);
    const d = new Float64Array(3);
    const loss = policyGradientLoss(
      new Float32Array([0, Math.log(3), 5]),
      new Uint8Array([1, 1, 0]),
      new Int32Array([1]),
      new Float32Array([2]),
      1,
      0,
      1,
      d,
      s,
    );
    assert.ok(Math.abs(loss - -2 * Math.log(0.75)) < 1e-6);
    // dL/dz = −w([j=a] − p_j) = [2·0.25, −2·0.25, 0]
    assertClose(d, [0.5, -0.5, 0], 1e-6, 1e-7, 'dLogits');
  });
});

describe('FusedMlp + heads equal tfjs (property tests)', () => {
  const shapes = fc.record({
    seed: fc.integer({ min: 1, max: 1e6 }),
    D: fc.integer({ min: 1, max: 40 }),
    hidden: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 0, maxLength: 2 }),
    A: fc.integer({ min: 2, max: 7 }), // tfjs's oneHot needs depth ≥ 2
    n: fc.integer({ min: 1, max: 9 }),
    act: fc.constantFrom<'relu' | 'tanh'>('relu', 'tanh'),
    beta: fc.constantFrom(0, 0.05),
  });

  test('forward outputs and the REINFORCE gradient (log-prob·weight + entropy bonus)', () => {
    fc.assert(
      fc.property(shapes, ({ seed, D, hidden, A, n, act, beta }) => {
        const { net, x, masks, actions, w } = problem(seed, D, hidden, A, n, act);
        const f = fusedOf(net);
        const scale = 1 / n;
        const ref = computeGrads(net.variables, () => {
          const xt = tf.tensor2d(x, [n, D]);
          const m = maskTensor(masks, n, A);
          const logits = net.forward(xt);
          const logp = pickColumns(maskedLogSoftmax(logits, m), actions);
          let obj = tf.sum(tf.mul(logp, tf.tensor1d(w)));
          if (beta !== 0) obj = tf.add(obj, tf.mul(beta, tf.sum(maskedEntropy(logits, m))));
          return tf.mul(-scale, obj) as tf.Scalar;
        });
        const tfLogits = net.predict(x, n);
        const logits = f.forward(x, n);
        assertClose(logits.subarray(0, n * A), tfLogits, 1e-4, 1e-5, 'logits');
        const d = new Float64Array(n * A);
        const loss = policyGradientLoss(logits, masks, actions, w, n, beta, scale, d, new HeadScratch(A));
        f.zeroGrad();
        f.backward(d);
        assert.ok(Math.abs(loss - ref.loss) <= 1e-4 + 1e-4 * Math.abs(ref.loss), `loss ${loss} vs ${ref.loss}`);
        const flat = Float32Array.from(ref.grads.flatMap((g) => [...(g.dataSync() as Float32Array)]));
        assertClose(f.grads, flat, 1e-3, 1e-5, 'grads');
        tf.dispose(ref.grads);
        net.dispose();
      }),
      { numRuns: 60 },
    );
  });

  test('PPO clipped surrogate, entropy and clipped value loss (actor and critic)', () => {
    fc.assert(
      fc.property(shapes, fc.boolean(), ({ seed, D, hidden, A, n, act }, clipV) => {
        const { rng, net: actor, x, masks, actions, w: adv } = problem(seed, D, hidden, A, n, act);
        const critic = new Mlp({ inputSize: D, hiddenSizes: hidden, outputSize: 1, activation: act }, rng.fork(), 'c');
        const fa = fusedOf(actor);
        const fc_ = fusedOf(critic);
        // Old log-probs near the current ones so both clipped and unclipped rows occur.
        const cur = fa.forward(x, n);
        const oldLogp = new Float32Array(n);
        const s = new HeadScratch(A);
        for (let r = 0; r < n; r++) {
          let max = -Infinity;
          for (let a = 0; a < A; a++) if (masks[r * A + a] && cur[r * A + a] > max) max = cur[r * A + a];
          let z = 0;
          for (let a = 0; a < A; a++) if (masks[r * A + a]) z += Math.exp(cur[r * A + a] - max);
          oldLogp[r] = cur[r * A + actions[r]] - max - Math.log(z) + 0.3 * rng.normal();
        }
        const vNow = fc_.forward(x, n);
        const oldV = new Float32Array(n).map((_, r) => vNow[r] + 0.3 * rng.normal());
        const ret = new Float32Array(n).map(() => rng.normal());
        const [clip, entC, vfC] = [0.2, 0.01, 0.5];
        const ref = computeGrads([...actor.variables, ...critic.variables], () => {
          const xt = tf.tensor2d(x, [n, D]);
          const m = maskTensor(masks, n, A);
          const logits = actor.forward(xt);
          const newLogp = pickColumns(maskedLogSoftmax(logits, m), actions);
          const ratio = tf.exp(tf.sub(newLogp, tf.tensor1d(oldLogp)));
          const a = tf.tensor1d(adv);
          const pgLoss = tf.mean(
            tf.maximum(tf.mul(tf.neg(a), ratio), tf.mul(tf.neg(a), tf.clipByValue(ratio, 1 - clip, 1 + clip))),
          );
          const v = tf.reshape(critic.forward(xt), [n]);
          const rt = tf.tensor1d(ret);
          let vLoss: tf.Tensor;
          if (clipV) {
            const ov = tf.tensor1d(oldV);
            const vc = tf.add(ov, tf.clipByValue(tf.sub(v, ov), -clip, clip));
            vLoss = tf.mul(0.5, tf.mean(tf.maximum(tf.square(tf.sub(v, rt)), tf.square(tf.sub(vc, rt)))));
          } else vLoss = tf.mul(0.5, tf.mean(tf.square(tf.sub(v, rt))));
          const ent = tf.mean(maskedEntropy(logits, m));
          return tf.add(tf.sub(pgLoss, tf.mul(entC, ent)), tf.mul(vfC, vLoss)) as tf.Scalar;
        });
        const logits = fa.forward(x, n);
        const dL = new Float64Array(n * A);
        const stats: PpoPolicyStats = { pgLoss: 0, entropy: 0, approxKl: 0, clipFrac: 0 };
        const lp = ppoPolicyLoss(logits, masks, actions, oldLogp, adv, n, clip, entC, dL, s, stats);
        const v = fc_.forward(x, n);
        const dV = new Float64Array(n);
        const lv = valueLoss(v, ret, oldV, n, clipV, clip, vfC, dV);
        fa.zeroGrad();
        fa.backward(dL);
        fc_.zeroGrad();
        fc_.backward(dV);
        const total = lp + vfC * lv;
        assert.ok(Math.abs(total - ref.loss) <= 1e-4 + 1e-4 * Math.abs(ref.loss), `loss ${total} vs ${ref.loss}`);
        const flat = Float32Array.from(ref.grads.flatMap((g) => [...(g.dataSync() as Float32Array)]));
        const mine = new Float32Array(fa.grads.length + fc_.grads.length);
        mine.set(fa.grads);
        mine.set(fc_.grads, fa.grads.length);
        assertClose(mine, flat, 2e-3, 2e-5, 'grads');
        tf.dispose(ref.grads);
        actor.dispose();
        critic.dispose();
      }),
      { numRuns: 60 },
    );
  });

  test('the policy-gradient head agrees with central finite differences (float64)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 2, max: 6 }), (seed, A) => {
        const rng = new Rng(seed);
        const logits = new Float32Array(A).map(() => rng.normal());
        const mask = new Uint8Array(A).map(() => (rng.random() < 0.7 ? 1 : 0));
        mask[0] = 1;
        const act = new Int32Array([0]);
        const wt = new Float32Array([rng.normal()]);
        const s = new HeadScratch(A);
        const d = new Float64Array(A);
        policyGradientLoss(logits, mask, act, wt, 1, 0.1, 1, d, s);
        // Finite differences on a float64 copy: perturb one legal logit at a time.
        const f64 = (z: Float64Array): number => {
          const tmp = new Float64Array(A);
          return policyGradientLoss(z as unknown as Float32Array, mask, act, wt, 1, 0.1, 1, tmp, new HeadScratch(A));
        };
        for (let j = 0; j < A; j++) {
          const hi = Float64Array.from(logits);
          const lo = Float64Array.from(logits);
          hi[j] += 1e-5;
          lo[j] -= 1e-5;
          const fd = (f64(hi) - f64(lo)) / 2e-5;
          assert.ok(Math.abs(fd - d[j]) < 1e-5, `j=${j}: fd ${fd} vs ${d[j]}`);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('FusedOptimizer equals tfjs Optimizer step for step', () => {
  const configs: OptimizerConfig[] = [
    { kind: 'adam', lr: 1e-3 },
    { kind: 'adam', lr: 2.5e-4, eps: 1e-5 },
    { kind: 'rmsprop', lr: 1e-3, rho: 0.9, eps: 1e-9 },
    { kind: 'sgd', lr: 0.05 },
  ];
  for (const cfg of configs) {
    test(`${cfg.kind} lr ${cfg.lr}: 12 steps, then state exchanged both ways`, () => {
      const rng = new Rng(7);
      const net = new Mlp({ inputSize: 5, hiddenSizes: [4], outputSize: 3 }, rng.fork(), 'o');
      const sizes = net.variables.map((v) => v.size);
      const f = fusedOf(net);
      const tOpt = new Optimizer(net.variables, cfg);
      const fOpt = new FusedOptimizer(f.params, cfg, sizes);
      const g = new Float32Array(f.params.length);
      for (let step = 0; step < 12; step++) {
        for (let i = 0; i < g.length; i++) g[i] = rng.normal() * (step % 3 === 0 ? 1e-3 : 1);
        const gs: tf.Tensor[] = [];
        let off = 0;
        for (const v of net.variables) {
          gs.push(tf.tensor(g.slice(off, off + v.size), v.shape));
          off += v.size;
        }
        tOpt.apply(gs);
        tf.dispose(gs);
        fOpt.apply(g);
        const ref = Float32Array.from(net.getWeights().flatMap((w) => [...w]));
        assertClose(f.params, ref, 1e-5, 1e-7, `${cfg.kind} step ${step + 1}`);
      }
      // The state formats are the same: the fused optimizer continues a tfjs state and vice versa.
      const st = tOpt.getState();
      const other = new FusedOptimizer(new Float32Array(f.params), cfg, sizes);
      other.setState(st);
      assert.equal(other.step, 12);
      const back = other.getState();
      assert.equal(back.slots.length, st.slots.length);
      back.slots.forEach((sl, i) => assertClose(sl, st.slots[i], 1e-5, 1e-9, `slot ${i}`));
      tOpt.setState(fOpt.getState());
      assert.equal(tOpt.step, 12);
      tOpt.dispose();
      net.dispose();
    });
  }

  test('setState rejects a state of another kind or layout', () => {
    const o = new FusedOptimizer(new Float32Array(6), { kind: 'adam', lr: 1e-3 }, [4, 2]);
    assert.throws(() => o.setState({ kind: 'rmsprop', step: 1, slots: [] }), /rmsprop/);
    assert.throws(() => o.setState({ kind: 'adam', step: 1, slots: [new Float32Array(6)] }), /2 slots|expected 4/);
    assert.throws(() => new FusedOptimizer(new Float32Array(6), { kind: 'sgd', lr: 1 }, [5]), /segments/);
  });

  test('clipGradNorm equals applyGrads clipping', () => {
    const g = new Float32Array([3, 4, 0, 12]); // norm 13
    const n = clipGradNorm(g, 1.3);
    assert.equal(n, 13);
    assertClose(
      g,
      [3, 4, 0, 12].map((v) => (v * 1.3) / (13 + 1e-6)),
      1e-6,
      0,
      'clipped',
    );
    const h = new Float32Array([0.1, 0.2]);
    clipGradNorm(h, 10);
    assert.deepEqual([...h], [Math.fround(0.1), Math.fround(0.2)]);
    // The tfjs path gives the same scaled update.
    const net = new Mlp({ inputSize: 1, hiddenSizes: [], outputSize: 4 }, new Rng(1), 'c');
    const before = net.getWeights()[0];
    const opt = new Optimizer(net.variables, { kind: 'sgd', lr: 1 });
    const gs = [tf.tensor2d([3, 4, 0, 12], [1, 4]), tf.zeros([4])];
    assert.equal(applyGrads(opt, gs, 1.3), 13);
    const after = net.getWeights()[0];
    assertClose(
      after.map((v, i) => before[i] - v),
      g,
      1e-5,
      1e-7,
      'tfjs clipped step',
    );
    tf.dispose(gs);
    net.dispose();
  });
});

describe('train backend choice', () => {
  test("'auto' picks fused for small plain MLPs only; explicit choices are kept or refused", () => {
    assert.equal(chooseTrainBackend('auto', { hiddenSizes: [20] }), 'fused');
    assert.equal(chooseTrainBackend('auto', { hiddenSizes: [64, 64] }), 'fused');
    assert.equal(chooseTrainBackend('auto', { hiddenSizes: [1024] }), 'tfjs');
    assert.equal(chooseTrainBackend('auto', { hiddenSizes: [20], kernelRows: 128 }), 'tfjs');
    assert.equal(chooseTrainBackend('tfjs', { hiddenSizes: [20] }), 'tfjs');
    assert.equal(chooseTrainBackend('fused', { hiddenSizes: [1024] }), 'fused');
    assert.throws(() => chooseTrainBackend('fused', { hiddenSizes: [20], kernelRows: 128 }), /kernel/);
  });
});
