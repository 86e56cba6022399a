import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tf } from '../../src/tf/tf';
import { initBackend } from '../../src/tf/backend';
import { Mlp, Optimizer, trainStep } from '../../src/agents/nn';
import {
  saveCheckpoint,
  loadCheckpoint,
  checkpointExists,
  dirHandler,
  storeNetwork,
  restoreNetwork,
} from '../../src/agents/checkpoint';
import { Rng } from '../../src/util/rng';

before(async () => {
  await initBackend();
});

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-ck-'));
}

describe('checkpoint', () => {
  test('round-trips networks, optimizer slots, rngs, counters, arrays and config exactly', async () => {
    const root = tmpDir();
    const dir = path.join(root, 'ck');
    const rng = new Rng(5);
    const net = new Mlp({ inputSize: 7, hiddenSizes: [5, 3], outputSize: 2, activation: 'tanh' }, rng, 'pi');
    const opt = new Optimizer(net.variables, { kind: 'adam', lr: 0.01 });
    const x = tf.tensor2d(
      new Float32Array(14).map(() => rng.normal()),
      [2, 7],
    );
    trainStep(opt, () => tf.mean(tf.square(net.forward(x))) as tf.Scalar);
    const arrays = {
      replayObs: new Float32Array([1.5, -2]),
      actions: new Int32Array([3, -1, 7]),
      flags: new Uint8Array([1, 0, 1]),
    };
    await saveCheckpoint(dir, {
      algo: 'test',
      networks: { pi: storeNetwork(net) },
      optimizers: { main: opt.getState() },
      rngs: { train: rng.getState() },
      counters: { iteration: 1, envSteps: 42 },
      config: { lr: 0.01, name: 'x' },
      arrays,
    });
    assert.ok(checkpointExists(dir));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['arrays.bin', 'model.json', 'state.json', 'weights.bin']);
    assert.deepEqual(fs.readdirSync(root), ['ck']); // no temp or .old dirs left behind

    const ck = await loadCheckpoint(dir);
    assert.equal(ck.algo, 'test');
    assert.deepEqual(ck.networks.pi.weights, net.getWeights());
    assert.deepEqual(ck.networks.pi.spec, net.spec);
    assert.deepEqual(ck.optimizers!.main, opt.getState());
    assert.deepEqual(ck.rngs!.train, rng.getState());
    assert.deepEqual(ck.counters, { iteration: 1, envSteps: 42 });
    assert.deepEqual(ck.config, { lr: 0.01, name: 'x' });
    assert.deepEqual(ck.arrays, arrays);
    const net2 = restoreNetwork(ck.networks.pi);
    assert.deepEqual(net2.predict(x.dataSync() as Float32Array, 2), net.predict(x.dataSync() as Float32Array, 2));

    // Overwriting an existing checkpoint replaces it atomically.
    await saveCheckpoint(dir, { algo: 'second', networks: {} });
    assert.equal((await loadCheckpoint(dir)).algo, 'second');
    assert.deepEqual(fs.readdirSync(root), ['ck']);
    tf.dispose(x);
    net.dispose();
    net2.dispose();
    opt.dispose();
    fs.rmSync(root, { recursive: true });
  });

  test('falls back to the previous checkpoint if a save died between its two renames', async () => {
    const root = tmpDir();
    const dir = path.join(root, 'ck');
    await saveCheckpoint(dir, { algo: 'old', networks: {} });
    fs.renameSync(dir, `${dir}.old`); // the state right after the first rename
    assert.ok(checkpointExists(dir));
    assert.equal((await loadCheckpoint(dir)).algo, 'old');
    await assert.rejects(loadCheckpoint(path.join(root, 'nothing')), /no checkpoint/);
    fs.rmSync(root, { recursive: true });
  });

  test('dirHandler works as a tfjs IOHandler for a LayersModel', async () => {
    const dir = tmpDir();
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
    await model.save(dirHandler(dir));
    const loaded = await tf.loadLayersModel(dirHandler(dir));
    const x = tf.ones([1, 4]);
    assert.deepEqual(
      Array.from((loaded.predict(x) as tf.Tensor).dataSync()),
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
    fs.rmSync(dir, { recursive: true });
  });

  test('resuming training from a checkpoint continues bit for bit (rmsprop, gradient steps on random batches)', async () => {
    const spec = { inputSize: 9, hiddenSizes: [6], outputSize: 3 };
    const run = (net: Mlp, opt: Optimizer, rng: Rng, steps: number): void => {
      for (let s = 0; s < steps; s++) {
        const xs = new Float32Array(4 * 9).map(() => rng.normal());
        trainStep(opt, () =>
          tf.tidy(() => tf.mean(tf.square(tf.sub(net.forward(tf.tensor2d(xs, [4, 9])), 1))) as tf.Scalar),
        );
      }
    };
    // Uninterrupted: 6 steps.
    const rngA = new Rng(9);
    const netA = new Mlp(spec, rngA);
    const optA = new Optimizer(netA.variables, { kind: 'rmsprop', lr: 0.01 });
    run(netA, optA, rngA, 6);
    // Interrupted after 3, saved, restored into fresh objects, 3 more.
    const rngB = new Rng(9);
    const netB = new Mlp(spec, rngB);
    const optB = new Optimizer(netB.variables, { kind: 'rmsprop', lr: 0.01 });
    run(netB, optB, rngB, 3);
    const dir = tmpDir();
    await saveCheckpoint(dir, {
      algo: 't',
      networks: { n: storeNetwork(netB) },
      optimizers: { o: optB.getState() },
      rngs: { r: rngB.getState() },
    });
    const ck = await loadCheckpoint(dir);
    const netC = restoreNetwork(ck.networks.n);
    const optC = new Optimizer(netC.variables, { kind: 'rmsprop', lr: 0.01 });
    optC.setState(ck.optimizers!.o);
    const rngC = new Rng(0);
    rngC.setState(ck.rngs!.r);
    run(netC, optC, rngC, 3);
    assert.deepEqual(netC.getWeights(), netA.getWeights());
    assert.deepEqual(optC.getState(), optA.getState());
    fs.rmSync(dir, { recursive: true });
  });
});
