import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/tf/backend';
import { trainA2c } from '../../src/agents/a2c';
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

const opt = { kind: 'rmsprop' as const, lr: 0.005, rho: 0.99, eps: 1e-5 };

describe('trainA2c', () => {
  test('learns the best legal arm of a masked contextual bandit', async () => {
    const log: Record<string, number>[] = [];
    const agent = await trainA2c(
      () => new MaskedBandit(),
      { totalSteps: 300 * 40, numEnvs: 8, numSteps: 5, hiddenSizes: [32], optimizer: opt, entCoef: 0.003 },
      { seed: 1, onIteration: (_, m) => void log.push(m) },
    );
    assert.equal(log.length, 300);
    const early = log.slice(0, 20).reduce((s, m) => s + m.meanReturn, 0) / 20;
    const late = log.slice(-20).reduce((s, m) => s + m.meanReturn, 0) / 20;
    assert.ok(late > early + 0.1, `return ${early} → ${late}`);
    const acc = banditAccuracy(agent);
    assert.ok(acc >= 0.97, `greedy accuracy ${acc}`);
    agent.dispose();
  });

  test('learns the optimal path of the 5-state chain (return 0.7)', async () => {
    const agent = await trainA2c(
      () => new Chain5(),
      { totalSteps: 300 * 40, numEnvs: 8, numSteps: 5, hiddenSizes: [32], optimizer: opt },
      { seed: 2 },
    );
    assert.ok(Math.abs(greedyChainReturn(agent) - Chain5.OPTIMAL_RETURN) < 1e-6);
    agent.dispose();
  });

  test('same seed → identical weights; checkpoint holds policy, value, optimizer and counters', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-a2c-'));
    const cfg = { totalSteps: 10 * 8, numEnvs: 2, numSteps: 4, hiddenSizes: [8], checkpointEvery: 5 };
    const a = await trainA2c(() => new Chain5(), cfg, { seed: 5, checkpointDir: path.join(dir, 'ck') });
    const b = await trainA2c(() => new Chain5(), cfg, { seed: 5 });
    assert.deepEqual(a.policy.getWeights(), b.policy.getWeights());
    const ck = await loadCheckpoint(path.join(dir, 'ck'));
    assert.equal(ck.algo, 'a2c');
    assert.deepEqual(ck.counters, { update: 10, globalStep: 80 });
    assert.deepEqual(ck.networks.policy.weights, a.policy.getWeights());
    assert.equal(ck.optimizers!.main.step, 10);
    [a, b].forEach((x) => x.dispose());
    fs.rmSync(dir, { recursive: true });
  });
});
