/**
 * Decision latency (batch 1) and one training step (batch 256) for a DeepRM-sized
 * policy network (4480 → 20 ReLU → 11): tfjs on wasm / cpu vs the typed-array
 * fast path, and our custom-gradient step vs stock tfjs autodiff.
 *
 *   npx tsx scripts/bench-nn.ts
 */
import {
  tf,
  initBackend,
  Mlp,
  Optimizer,
  trainStep,
  maskTensor,
  maskedLogSoftmax,
  pickColumns,
  DEEPRM_RMSPROP,
  FastMlp,
  Rng,
} from 'lepton';

const D = 20 * 224;
const H = 20;
const A = 11;
const B = 256;

/** Best of 5 rounds (the minimum is the least disturbed by other processes). */
function time(label: string, reps: number, f: () => void): number {
  for (let i = 0; i < Math.min(20, reps); i++) f(); // warm-up
  let best = Infinity;
  const per = Math.max(1, Math.floor(reps / 5));
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let i = 0; i < per; i++) f();
    best = Math.min(best, ((performance.now() - t0) / per) * 1000);
  }
  const us = best;
  console.log(`${label.padEnd(58)} ${us >= 1000 ? (us / 1000).toFixed(2) + ' ms' : us.toFixed(1) + ' µs'}`);
  return us;
}

/** A DeepRM-like image: `density` of the cells are 1, the rest 0. */
function image(rng: Rng, n: number, density: number): Float32Array {
  const x = new Float32Array(n * D);
  for (let i = 0; i < x.length; i++) x[i] = rng.random() < density ? 1 : 0;
  return x;
}

/** Stock tfjs ops and autodiff (matMul gradients use transpose flags). */
function stockForward(x: tf.Tensor2D, v: tf.Variable[]): tf.Tensor2D {
  const h = tf.relu(tf.add(tf.matMul(x, v[0] as tf.Tensor2D), v[1]));
  return tf.add(tf.matMul(h, v[2] as tf.Tensor2D), v[3]);
}

async function main(): Promise<void> {
  const rng = new Rng(1);
  const x1 = image(rng, 1, 0.2);
  const xb = image(rng, B, 0.2);
  const masks = new Uint8Array(B * A).fill(1);
  const actions = new Int32Array(B).map(() => rng.int(0, A));
  const adv = new Float32Array(B).map(() => rng.normal());
  console.log(`DeepRM-sized net ${D} → ${H} ReLU → ${A}; inputs 20 % ones`);

  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend(backend);
    const net = new Mlp({ inputSize: D, hiddenSizes: [H], outputSize: A, init: 'deeprm' }, new Rng(2));
    console.log(`-- ${backend} (tfjs)`);
    time(`${backend}: Mlp.predict, batch 1`, 300, () => net.predict(x1, 1));
    const layers = tf.sequential({
      layers: [tf.layers.dense({ units: H, activation: 'relu', inputShape: [D] }), tf.layers.dense({ units: A })],
    });
    const xt = tf.tensor2d(x1, [1, D]);
    time(`${backend}: tf.LayersModel.predict, batch 1`, 300, () =>
      tf.tidy(() => (layers.predict(xt) as tf.Tensor).dataSync()),
    );
    xt.dispose();
    const loss = (fwd: (x: tf.Tensor2D) => tf.Tensor2D) => (): tf.Scalar => {
      const x = tf.tensor2d(xb, [B, D]);
      const logp = pickColumns(maskedLogSoftmax(fwd(x), maskTensor(masks, B, A)), actions);
      return tf.neg(tf.mean(tf.mul(logp, tf.tensor1d(adv)))) as tf.Scalar;
    };
    const opt = new Optimizer(net.variables, DEEPRM_RMSPROP);
    const reps = backend === 'wasm' ? 50 : 10;
    time(`${backend}: train step batch ${B}, custom-gradient Mlp`, reps, () =>
      trainStep(
        opt,
        loss((x) => net.forward(x)),
      ),
    );
    time(`${backend}: train step batch ${B}, stock tfjs autodiff`, reps, () =>
      trainStep(
        opt,
        loss((x) => stockForward(x, net.variables)),
      ),
    );
    opt.dispose();
    layers.dispose();
    net.dispose();
  }

  await initBackend('wasm');
  const net = new Mlp({ inputSize: D, hiddenSizes: [H], outputSize: A, init: 'deeprm' }, new Rng(2));
  const fast = FastMlp.fromMlp(net);
  console.log('-- fast path (plain typed arrays)');
  time('fastpath: batch 1, 20 % ones', 3000, () => fast.forward(x1));
  const dense = new Float32Array(D).map(() => rng.normal());
  time('fastpath: batch 1, dense input', 3000, () => fast.forward(dense));
  const empty = image(rng, 1, 0.05);
  time('fastpath: batch 1, 5 % ones', 3000, () => fast.forward(empty));
  net.dispose();
}

void main();
