/**
 * The packing env: observation rows and mask, −ΔF(M) rewards that add up to the cluster's
 * fragmentation change, determinism per seed, and the Δ feature's argmin = FGD's choice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PackingEnv } from '../../src/env/packingEnv';
import { PACKING_FEATURES } from '../../src/env/packingObserver';
import { packingSetup } from '../../src/experiment/packing/setup';
import { fgdPolicy } from '../../src/schedulers/packing/fgd';
import type { PackingChoice } from '../../src/sim/packing/run';
import { Rng } from '../../src/util/rng';
import { randomLegalAction } from '../../src/agents/masks';

const setup = packingSetup({ podsFile: 'test/fixtures/openb/pods.csv', nodesFile: 'test/fixtures/openb/nodes.csv' });
const mk = (reward: 'frag' | 'alloc' = 'frag'): PackingEnv =>
  new PackingEnv(setup.clusterSpec, setup.interned.specs, setup.interned.podSpec, setup.frag, { reward });

test('packing env: rows of features per node, mask = nodes where the pod fits', () => {
  const env = mk();
  assert.equal(env.numActions, 4);
  assert.equal(env.observationSize, 4 * PACKING_FEATURES);
  const r = env.reset(0);
  const c = env.cluster;
  for (let n = 0; n < 4; n++) {
    const row = r.observation.subarray(n * PACKING_FEATURES, (n + 1) * PACKING_FEATURES);
    assert.equal(row[0], r.info.actionMask[n]);
    assert.equal(row[5], c.gpuCount[n] / 4); // largest node has 4 GPUs
    assert.equal(row[3], c.gpuCount[n] / 4); // empty cluster: all GPU capacity free
    assert.ok(Math.abs(row[1] - c.cpuCap[n] / 32000) < 1e-6);
  }
});

test('packing env: frag rewards sum to −(F_end − F_start); alloc rewards to the allocated GPUs; same seed → same episode', () => {
  for (const seed of [0, 1, 2, 3, 4]) {
    const env = mk();
    let r = env.reset(seed);
    const f0 = setup.frag.ofCluster(env.cluster);
    const rng = new Rng(seed);
    let sum = 0;
    const actions: number[] = [];
    for (let t = 0; t < 1000; t++) {
      const a = randomLegalAction(r.info.actionMask, 0, env.numActions, rng);
      actions.push(a);
      const s = env.step(a);
      sum += s.reward;
      if (s.terminated) break;
      r = { observation: s.observation, info: s.info };
    }
    const f1 = setup.frag.ofCluster(env.cluster);
    assert.ok(Math.abs(sum + (f1 - f0) / 1000) < 1e-9, `seed ${seed}`);
    // Replay with alloc rewards: same orders, same states.
    const env2 = mk('alloc');
    env2.reset(seed);
    let alloc = 0;
    for (const a of actions) alloc += env2.step(a).reward;
    assert.ok(Math.abs(alloc - env.cluster.allocatedGpuMilli / 1000) < 1e-9);
  }
});

test('packing env: the node with the least Δ feature is FGD’s choice', () => {
  const env = mk();
  let r = env.reset(7);
  const fgd = fgdPolicy(setup.frag);
  const out: PackingChoice = { node: -1, gpu: -1 };
  for (let t = 0; t < 100; t++) {
    // FGD's node has the least exact Δ (the float32 feature can merge near-ties).
    const s = (env as unknown as { order: Int32Array; pos: number }).order[(env as unknown as { pos: number }).pos];
    assert.equal(fgd.choose(env.cluster, setup.interned.specs, s, out), true);
    assert.equal(
      env.observer.delta[out.node],
      Math.min(...[...r.info.actionMask].flatMap((m, n) => (m ? [env.observer.delta[n]] : []))),
    );
    const st = env.step(out.node);
    if (st.terminated) break;
    r = { observation: st.observation, info: st.info };
  }
});
