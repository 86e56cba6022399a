import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/tf/backend';
import { trainPpo } from '../../src/agents/ppo';
import { FinalObservation } from '../../src/agents/onPolicy';
import { loadCheckpoint } from '../../src/agents/checkpoint';
import type { PolicyAgent } from '../../src/agents/fastpath';
import { Chain5, MaskedBandit } from '../helpers/toyEnvs';

before(async () => {
  await initBackend();
});

function banditAccuracy(agent: PolicyAgent): number {
  const env = new MaskedBandit();
  let ok = 0;
  for (let s = 0; s < 300; s++) {
    const { observation, info } = env.reset(100000 + s);
    if (agent.act(observation, info.actionMask, true) === MaskedBandit.best(env.context, info.actionMask)) ok++;
  }
  return ok / 300;
}

function greedyChainReturn(agent: PolicyAgent): number {
  const env = new Chain5();
  let { observation, info } = env.reset();
  let total = 0;
  for (;;) {
    const r = env.step(agent.act(observation, info.actionMask, true));
    total += r.reward;
    if (r.terminated || r.truncated) return total;
    ({ observation, info } = r);
  }
}

describe('trainPpo', () => {
  test('learns the best legal arm of a masked contextual bandit', async () => {
    const log: Record<string, number>[] = [];
    const agent = await trainPpo(
      () => new MaskedBandit(),
      { totalSteps: 40 * 128, numEnvs: 4, numSteps: 32, lr: 3e-3, hiddenSizes: [32], entCoef: 0.003 },
      { seed: 1, onIteration: (_, m) => void log.push(m) },
    );
    assert.equal(log.length, 40);
    assert.ok(log[39].meanReturn > log[0].meanReturn + 0.1, `return ${log[0].meanReturn} → ${log[39].meanReturn}`);
    for (const m of log)
      assert.ok(Number.isFinite(m.loss) && m.approxKl >= -1e-6 && m.clipFrac >= 0 && m.clipFrac <= 1);
    assert.equal(log[39].globalStep, 40 * 128);
    const acc = banditAccuracy(agent);
    assert.ok(acc >= 0.97, `greedy accuracy ${acc}`);
    agent.dispose();
  });

  test('learns the optimal path of the 5-state chain (return 0.7)', async () => {
    const agent = await trainPpo(
      () => new Chain5(),
      { totalSteps: 30 * 128, numEnvs: 4, numSteps: 32, lr: 3e-3, hiddenSizes: [32] },
      { seed: 2 },
    );
    assert.ok(Math.abs(greedyChainReturn(agent) - Chain5.OPTIMAL_RETURN) < 1e-6);
    agent.dispose();
  });

  test('same seed → identical weights; checkpoint restores weights and counters', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-ppo-'));
    const cfg = { totalSteps: 3 * 64, numEnvs: 2, numSteps: 32, hiddenSizes: [8], checkpointEvery: 1 };
    const a = await trainPpo(() => new Chain5(), cfg, { seed: 5, checkpointDir: path.join(dir, 'ck') });
    const b = await trainPpo(() => new Chain5(), cfg, { seed: 5 });
    assert.deepEqual(a.policy.getWeights(), b.policy.getWeights());
    const ck = await loadCheckpoint(path.join(dir, 'ck'));
    assert.equal(ck.algo, 'ppo');
    assert.deepEqual(ck.counters, { update: 3, globalStep: 192 });
    assert.deepEqual(ck.networks.policy.weights, a.policy.getWeights());
    assert.ok(ck.networks.value);
    // Training with a finished checkpoint resumes at the end: no further updates.
    let calls = 0;
    const c = await trainPpo(() => new Chain5(), cfg, {
      seed: 5,
      checkpointDir: path.join(dir, 'ck'),
      onIteration: () => void calls++,
    });
    assert.equal(calls, 0);
    assert.deepEqual(c.policy.getWeights(), a.policy.getWeights());
    [a, b, c].forEach((x) => x.dispose());
    fs.rmSync(dir, { recursive: true });
  });

  test('FinalObservation keeps the last observation of a finished episode', () => {
    const env = new FinalObservation(new Chain5(2));
    env.reset();
    env.step(1); // pos 1
    const r = env.step(1); // pos 2, truncated at t = 2
    assert.equal(r.truncated, true);
    assert.deepEqual(Array.from(env.final), [0, 0, 1, 0, 0]);
    env.reset();
    assert.deepEqual(Array.from(env.final), [0, 0, 1, 0, 0]); // survives the auto-reset
  });
});
