import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/tf/backend';
import { trainReinforce } from '../../src/agents/reinforce';
import { loadCheckpoint } from '../../src/agents/checkpoint';
import type { PolicyAgent } from '../../src/agents/fastpath';
import { Chain5, MaskedBandit } from '../helpers/toyEnvs';

before(async () => {
  await initBackend();
});

/** Fraction of 300 fresh (context, mask) draws where the greedy action is the best legal one. */
function banditAccuracy(agent: PolicyAgent): number {
  const env = new MaskedBandit();
  let ok = 0;
  for (let s = 0; s < 300; s++) {
    const { observation, info } = env.reset(100000 + s);
    const a = agent.act(observation, info.actionMask, true);
    assert.equal(info.actionMask[a], 1);
    if (a === MaskedBandit.best(env.context, info.actionMask)) ok++;
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

describe('trainReinforce', () => {
  test('learns the best legal arm of a masked contextual bandit (unseen draws, greedy ≥ 97 %)', async () => {
    const log: number[] = [];
    const agent = await trainReinforce(
      () => new MaskedBandit(),
      {
        iterations: 40,
        numJobSets: 96,
        rolloutsPerJobSet: 4,
        jobSetsPerBatch: 24,
        init: 'glorot',
        optimizer: { kind: 'rmsprop', lr: 0.02 },
      },
      { seed: 1, onIteration: (_, m) => void log.push(m.meanReturn) },
    );
    assert.equal(log.length, 40);
    assert.ok(log[39] > log[0] + 0.1, `mean return ${log[0]} → ${log[39]}`);
    const acc = banditAccuracy(agent);
    assert.ok(acc >= 0.97, `greedy accuracy ${acc}`);
    agent.dispose();
  });

  test('learns the optimal path of the 5-state chain (return 0.7)', async () => {
    const agent = await trainReinforce(
      () => new Chain5(),
      {
        iterations: 40,
        numJobSets: 2,
        rolloutsPerJobSet: 10,
        jobSetsPerBatch: 1,
        init: 'glorot',
        optimizer: { kind: 'rmsprop', lr: 0.02 },
      },
      { seed: 2 },
    );
    assert.ok(Math.abs(greedyChainReturn(agent) - Chain5.OPTIMAL_RETURN) < 1e-6);
    agent.dispose();
  });

  test('same seed → identical weights; onIteration returning false stops early', async () => {
    const cfg = { iterations: 3, numJobSets: 4, rolloutsPerJobSet: 3, jobSetsPerBatch: 2 };
    const a = await trainReinforce(() => new Chain5(), cfg, { seed: 5 });
    const b = await trainReinforce(() => new Chain5(), cfg, { seed: 5 });
    assert.deepEqual(a.policy.getWeights(), b.policy.getWeights());
    let calls = 0;
    const c = await trainReinforce(() => new Chain5(), cfg, { seed: 5, onIteration: () => ++calls < 2 });
    assert.equal(calls, 2);
    [a, b, c].forEach((x) => x.dispose());
  });

  test('resuming from a checkpoint continues exactly as the uninterrupted run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-re-'));
    const ckDir = path.join(dir, 'ck');
    const cfg = {
      numJobSets: 6,
      rolloutsPerJobSet: 4,
      jobSetsPerBatch: 3,
      checkpointEvery: 2,
      init: 'glorot' as const,
      optimizer: { kind: 'rmsprop' as const, lr: 0.01 },
    };
    const full = await trainReinforce(() => new MaskedBandit(), { ...cfg, iterations: 5 }, { seed: 9 });
    // Interrupted run: stop after iteration 3 (checkpoint written at 2 and on stop at 3).
    const part = await trainReinforce(
      () => new MaskedBandit(),
      { ...cfg, iterations: 5 },
      { seed: 9, checkpointDir: ckDir, onIteration: (it) => it < 3 },
    );
    assert.equal((await loadCheckpoint(ckDir)).counters!.iteration, 3);
    // A new process would start from scratch with the same call: it must resume at 3.
    const seen: number[] = [];
    const resumed = await trainReinforce(
      () => new MaskedBandit(),
      { ...cfg, iterations: 5 },
      { seed: 9, checkpointDir: ckDir, onIteration: (it) => void seen.push(it) },
    );
    assert.deepEqual(seen, [4, 5]);
    assert.deepEqual(resumed.policy.getWeights(), full.policy.getWeights());
    assert.deepEqual(resumed.rng.getState(), full.rng.getState());
    [full, part, resumed].forEach((x) => x.dispose());
    fs.rmSync(dir, { recursive: true });
  });
});

describe('trainReinforce: fused kernels vs tfjs', () => {
  const cfg = {
    numJobSets: 6,
    rolloutsPerJobSet: 3,
    jobSetsPerBatch: 3,
    init: 'glorot' as const,
    entropyCoef: 0.01,
    optimizer: { kind: 'rmsprop' as const, lr: 0.02 },
  };
  test('iteration 1 plays the same episodes (same actions and RNG draws); later weights agree to rounding', async () => {
    const runs: Record<string, { returns: number[]; norms: number[]; agent: PolicyAgent }> = {};
    for (const trainBackend of ['fused', 'tfjs'] as const) {
      const returns: number[] = [];
      const norms: number[] = [];
      const agent = await trainReinforce(
        () => new MaskedBandit(),
        { ...cfg, iterations: 3, trainBackend },
        {
          seed: 4,
          onIteration: (_, m) => {
            returns.push(m.meanReturn);
            norms.push(m.gradNorm);
          },
        },
      );
      runs[trainBackend] = { returns, norms, agent };
    }
    const [f, t] = [runs.fused, runs.tfjs];
    assert.equal(f.returns[0], t.returns[0]);
    assert.ok(Math.abs(f.norms[0] - t.norms[0]) <= 1e-4 * t.norms[0], `grad norm ${f.norms[0]} vs ${t.norms[0]}`);
    const fw = f.agent.policy.getWeights();
    const tw = t.agent.policy.getWeights();
    fw.forEach((w, l) =>
      w.forEach((v, i) => assert.ok(Math.abs(v - tw[l][i]) < 1e-3, `layer ${l}[${i}]: ${v} vs ${tw[l][i]}`)),
    );
    f.agent.dispose();
    t.agent.dispose();
  });
});
