import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/tf/tf';
import { initBackend, currentBackend, backendInfo } from '../../src/tf/backend';
import {
  Mlp,
  Optimizer,
  trainStep,
  maskTensor,
  maskedLogSoftmax,
  maskedEntropy,
  sampleMaskedSoftmax,
  pickColumns,
} from '../../src/agents/nn';
import { Rng } from '../../src/util/rng';
import { maskedArgmax } from '../../src/agents/masks';

before(async () => {
  await initBackend();
});

/** Reference forward pass with stock tfjs ops (autodiff by tfjs itself). */
function refForward(x: tf.Tensor2D, vars: tf.Variable[], act: 'relu' | 'tanh'): tf.Tensor2D {
  let h = x;
  const L = vars.length / 2;
  for (let l = 0; l < L; l++) {
    h = tf.add(tf.matMul(h, vars[2 * l] as tf.Tensor2D), vars[2 * l + 1]);
    if (l + 1 < L) h = act === 'relu' ? tf.relu(h) : tf.tanh(h);
  }
  return h;
}

describe('backend', () => {
  test('initBackend picks wasm here (no native tfjs-node installed) and reports it', async () => {
    assert.equal(await initBackend(), 'wasm');
    assert.equal(currentBackend(), 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
  });
});

describe('Mlp', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const act of ['relu', 'tanh'] as const) {
      test(`custom-gradient dense layers match tfjs autodiff (${backend}, ${act})`, async () => {
        await initBackend(backend);
        try {
          const rng = new Rng(7);
          const net = new Mlp({ inputSize: 13, hiddenSizes: [8, 6], outputSize: 4, activation: act }, rng);
          const xs = new Float32Array(5 * 13).map(() => rng.normal());
          const ws = new Float32Array(5 * 4).map(() => rng.normal());
          const x = tf.tensor2d(xs, [5, 13]);
          const w = tf.tensor2d(ws, [5, 4]);
          const ours = tf.variableGrads(() => tf.sum(tf.mul(net.forward(x), w)) as tf.Scalar, net.variables);
          const ref = tf.variableGrads(
            () => tf.sum(tf.mul(refForward(x, net.variables, act), w)) as tf.Scalar,
            net.variables,
          );
          assert.ok(Math.abs(ours.value.dataSync()[0] - ref.value.dataSync()[0]) < 1e-4);
          for (const v of net.variables) {
            const a = ours.grads[v.name].dataSync();
            const b = ref.grads[v.name].dataSync();
            assert.equal(a.length, b.length);
            for (let i = 0; i < a.length; i++)
              assert.ok(Math.abs(a[i] - b[i]) < 1e-4, `${v.name}[${i}]: ${a[i]} vs ${b[i]}`);
          }
          tf.dispose([x, w, ours.value, ref.value, ...Object.values(ours.grads), ...Object.values(ref.grads)]);
          net.dispose();
        } finally {
          await initBackend('wasm');
        }
      });
    }
  }

  test('same seed → same initial weights; glorot bound respected; deeprm init is N(0, 0.01)', () => {
    const a = new Mlp({ inputSize: 30, hiddenSizes: [10], outputSize: 3 }, new Rng(1));
    const b = new Mlp({ inputSize: 30, hiddenSizes: [10], outputSize: 3 }, new Rng(1));
    assert.deepEqual(a.getWeights(), b.getWeights());
    const limit = Math.sqrt(6 / 40);
    for (const v of a.getWeights()[0]) assert.ok(Math.abs(v) <= limit);
    assert.deepEqual(Array.from(a.getWeights()[1]), new Array(10).fill(0));
    const d = new Mlp({ inputSize: 4480, hiddenSizes: [20], outputSize: 11, init: 'deeprm' }, new Rng(2));
    assert.equal(d.numParams, 4480 * 20 + 20 + 20 * 11 + 11); // 89,851 as the DeepRM spec says
    const w = d.getWeights()[0];
    const sd = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
    assert.ok(Math.abs(sd - 0.01) < 0.0005, `std ${sd}`);
    a.dispose();
    b.dispose();
    d.dispose();
  });

  test('predict computes relu(xW0+b0)W1+b1 exactly on a hand-set net', () => {
    const net = new Mlp({ inputSize: 2, hiddenSizes: [2], outputSize: 1 }, new Rng(0));
    net.setWeights([
      new Float32Array([1, -1, 2, 1]),
      new Float32Array([0, 0.5]),
      new Float32Array([3, -2]),
      new Float32Array([0.25]),
    ]);
    // x=(1,2): h = relu([1*1+2*2, 1*-1+2*1+0.5]) = [5, 1.5]; y = 15 - 3 + 0.25 = 12.25
    // x=(-1,0): h = relu([-1, 1.5]) = [0, 1.5]; y = -3 + 0.25 = -2.75
    assert.deepEqual(Array.from(net.predict(new Float32Array([1, 2, -1, 0]), 2)), [12.25, -2.75]);
    net.dispose();
  });

  test('no tensor leaks across predict and trainStep', () => {
    const net = new Mlp({ inputSize: 6, hiddenSizes: [4], outputSize: 3 }, new Rng(3));
    const opt = new Optimizer(net.variables, { kind: 'adam', lr: 0.01 });
    const x = tf.tensor2d(new Float32Array(12).fill(0.5), [2, 6]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      net.predict(new Float32Array(12), 2);
      trainStep(
        opt,
        () => ({ loss: tf.mean(tf.square(net.forward(x))) as tf.Scalar, metrics: { m: tf.scalar(1) } }),
        1.0,
      );
    }
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
    opt.dispose();
    net.dispose();
  });
});

describe('optimizers (hand-computed single steps)', () => {
  function oneStep(kind: 'rmsprop' | 'adam' | 'sgd', g: number, steps = 1): number[] {
    const v = tf.variable(tf.tensor1d([1, -2]));
    const opt = new Optimizer([v], { kind, lr: 0.1 });
    for (let s = 0; s < steps; s++) opt.apply([tf.tensor1d([g, -g])]);
    const out = Array.from(v.dataSync());
    opt.dispose();
    v.dispose();
    return out;
  }
  test('sgd: v - lr g', () => {
    const [a, b] = oneStep('sgd', 2);
    assert.ok(Math.abs(a - 0.8) < 1e-6 && Math.abs(b + 1.8) < 1e-6);
  });
  test('rmsprop (DeepRM form): acc = 0.1 g²; v - lr g / sqrt(acc + 1e-9)', () => {
    // g=2: acc = 0.4, step = 0.1*2/sqrt(0.4) = 0.316227...
    const [a, b] = oneStep('rmsprop', 2);
    assert.ok(Math.abs(a - (1 - 0.2 / Math.sqrt(0.4))) < 1e-6, `${a}`);
    assert.ok(Math.abs(b - (-2 + 0.2 / Math.sqrt(0.4))) < 1e-6, `${b}`);
  });
  test('adam: first step moves by lr·g/(|g|+eps·…) ≈ lr; two steps with constant g move 2 lr', () => {
    // step1: m=0.1g, s=0.001g², lrT = 0.1*sqrt(0.001)/0.1; Δ = lrT*m/(sqrt(s)+1e-8) ≈ 0.1
    const [a] = oneStep('adam', 3);
    assert.ok(Math.abs(a - 0.9) < 1e-6, `${a}`);
    const [c] = oneStep('adam', 3, 2);
    assert.ok(Math.abs(c - 0.8) < 1e-6, `${c}`);
  });
  test('getState/setState round-trips exactly', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const opt = new Optimizer([v], { kind: 'adam', lr: 0.1 });
    opt.apply([tf.tensor1d([0.3, -1, 2])]);
    const st = opt.getState();
    assert.equal(st.step, 1);
    assert.equal(st.slots.length, 2);
    const opt2 = new Optimizer([v], { kind: 'adam', lr: 0.1 });
    opt2.setState(st);
    assert.deepEqual(opt2.getState(), st);
    assert.throws(() => new Optimizer([v], { kind: 'rmsprop', lr: 0.1 }).setState(st), /adam/);
    opt.dispose();
    opt2.dispose();
    v.dispose();
  });
  test('trainStep clips the global gradient norm', () => {
    const v = tf.variable(tf.tensor1d([0, 0]));
    const opt = new Optimizer([v], { kind: 'sgd', lr: 1 });
    // loss = 3 v0 + 4 v1 → grad (3, 4), norm 5; clipped to norm 1 → step (0.6, 0.8)
    const r = trainStep(opt, () => tf.sum(tf.mul(v, tf.tensor1d([3, 4]))) as tf.Scalar, 1);
    assert.ok(Math.abs(r.gradNorm - 5) < 1e-6);
    const [a, b] = Array.from(v.dataSync());
    assert.ok(Math.abs(a + 0.6) < 1e-5 && Math.abs(b + 0.8) < 1e-5, `${a} ${b}`);
    opt.dispose();
    v.dispose();
  });
});

describe('masks', () => {
  test('masked log-softmax / entropy / pickColumns, hand-computed', () => {
    const logits = tf.tensor2d([
      [1, 2, 3],
      [0, 0, 5],
    ]);
    const mask = maskTensor(new Uint8Array([1, 0, 1, 1, 1, 0]), 2, 3);
    const lp = maskedLogSoftmax(logits, mask).arraySync() as number[][];
    const z = Math.log(Math.exp(1) + Math.exp(3));
    assert.ok(Math.abs(lp[0][0] - (1 - z)) < 1e-6 && Math.abs(lp[0][2] - (3 - z)) < 1e-6);
    assert.ok(lp[0][1] < -1e8);
    assert.ok(Math.abs(lp[1][0] - Math.log(0.5)) < 1e-6);
    const ent = maskedEntropy(logits, mask).arraySync() as number[];
    const p = Math.exp(1 - z);
    assert.ok(Math.abs(ent[0] - -(p * Math.log(p) + (1 - p) * Math.log(1 - p))) < 1e-6);
    assert.ok(Math.abs(ent[1] - Math.log(2)) < 1e-6);
    const picked = pickColumns(
      tf.tensor2d([
        [1, 2, 3],
        [4, 5, 6],
      ]),
      new Int32Array([2, 0]),
    ).arraySync();
    assert.deepEqual(picked, [3, 4]);
  });

  test('maskedArgmax ignores masked entries, breaks ties low, returns -1 when all masked', () => {
    assert.equal(maskedArgmax([5, 1, 3], 0, new Uint8Array([0, 1, 1]), 0, 3), 2);
    assert.equal(maskedArgmax([9, 2, 2, 0], 1, new Uint8Array([9, 1, 1, 1]), 1, 3), 0); // offsets
    assert.equal(maskedArgmax([1, 1], 0, new Uint8Array([0, 0]), 0, 2), -1);
  });

  test('sampleMaskedSoftmax: never masked, frequencies follow softmax', () => {
    const rng = new Rng(11);
    const logits = [0, Math.log(3), 100, 0];
    const mask = new Uint8Array([1, 1, 0, 0]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleMaskedSoftmax(logits, 0, mask, 0, 4, rng)]++;
    assert.equal(counts[2] + counts[3], 0);
    assert.ok(Math.abs(counts[1] / 20000 - 0.75) < 0.015, `${counts}`);
    assert.equal(sampleMaskedSoftmax(logits, 0, new Uint8Array(4), 0, 4, rng), -1);
  });
});

describe('backendInfo', () => {
  test('wasm under Node: SIMD on, one thread', async () => {
    await initBackend('wasm');
    assert.deepEqual(backendInfo(), { backend: 'wasm', simd: true, threads: 1 });
  });
});
