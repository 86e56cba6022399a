/**
 * RLScheduler's kernel network (Mlp `rows`): one MLP scores each job row, so permuting the job
 * rows of an observation permutes the logits the same way — in tfjs and in the fast path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mlp } from '../../src/agents/nn';
import { FastMlp } from '../../src/agents/fastpath';
import { initBackend } from '../../src/tf/backend';
import { tf } from '../../src/tf/tf';
import { Rng } from '../../src/util/rng';

const ROWS = 128;
const F = 8;

function permuteRows(obs: Float32Array, perm: number[]): Float32Array {
  const out = new Float32Array(obs.length);
  perm.forEach((src, dst) => out.set(obs.subarray(src * F, (src + 1) * F), dst * F));
  return out;
}

test('kernel network: permuting job rows permutes the logits (tfjs forward and fast path)', async () => {
  await initBackend();
  const rng = new Rng(5);
  const net = new Mlp({ inputSize: ROWS * F, hiddenSizes: [32, 16, 8], outputSize: ROWS, rows: ROWS }, rng.fork());
  assert.deepEqual(net.sizes, [8, 32, 16, 8, 1]);
  const fast = FastMlp.fromMlp(net);
  for (let trial = 0; trial < 3; trial++) {
    const obs = new Float32Array(ROWS * F).map(() => rng.random());
    const perm = Array.from({ length: ROWS }, (_, i) => i);
    rng.shuffle(perm);
    const permuted = permuteRows(obs, perm);
    const a = Float32Array.from(fast.forward(obs));
    const b = Float32Array.from(fast.forward(permuted));
    for (let i = 0; i < ROWS; i++) assert.equal(b[i], a[perm[i]], `fast path row ${i}`);
    const t = tf.tidy(() => net.forward(tf.tensor2d([...obs, ...permuted], [2, ROWS * F])).dataSync() as Float32Array);
    for (let i = 0; i < ROWS; i++) {
      assert.ok(Math.abs(t[ROWS + i] - t[perm[i]]) < 1e-5, `tfjs row ${i}`);
      assert.ok(Math.abs(t[i] - a[i]) < 1e-4, `tfjs = fast path, row ${i}`);
    }
    // The permutation is not the identity on the scores: the test would catch a row mix-up.
    assert.ok(perm.some((p, i) => p !== i && a[p] !== a[i]));
  }
  net.dispose();
});

test('kernel network: rows must divide the input and output sizes', () => {
  assert.throws(() => new Mlp({ inputSize: 10, hiddenSizes: [4], outputSize: 3, rows: 3 }, new Rng(1)), /rows 3/);
});
