import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/tf/backend';
import { runTraining, readCurve, resolveAgentConfig, iterationsOf, loadTrainedAgent } from '../../src/experiment/train';
import { makeDeeprmTask } from '../../src/experiment/deeprmTask';
import { makeClusterTask, resolveClusterSetting } from '../../src/experiment/trainCluster';
import { UsageError } from '../../src/util/errors';
import { AGENTS } from '../../src/experiment/agents';

before(async () => {
  await initBackend();
});

/** A tiny DeepRM setting: 5 slots, 10 arrival steps, 2 training and 3 held-out job sets. */
const TINY = { simuLen: 10, numNw: 5, numTrainSets: 2, numHeldOutSets: 3, evalEpisodeCap: 300 };
const TINY_PG = { rolloutsPerJobSet: 2, jobSetsPerBatch: 2 };

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-train-'));
}

describe('runTraining (deeprm, pg)', () => {
  test('writes curve.csv, checkpoint and manifest; a resumed run continues exactly where an uninterrupted one would be', async () => {
    const task = makeDeeprmTask(TINY);
    const base = { agent: 'pg' as const, task, overrides: TINY_PG, seed: 3, evalEvery: 2, command: 'test' };

    const straight = tmp();
    await runTraining({ ...base, out: straight, iterations: 6, resume: false });

    const split = tmp();
    const first = await runTraining({ ...base, out: split, iterations: 4, resume: false });
    assert.equal(first.iterations, 4);
    for (const f of ['curve.csv', 'manifest.json', 'checkpoint/state.json', 'checkpoint/weights.bin'])
      assert.ok(fs.existsSync(path.join(split, f)), f);
    const c4 = readCurve(path.join(split, 'curve.csv'));
    assert.deepEqual(
      c4.map((r) => r.iteration),
      [0, 1, 2, 3, 4],
    );
    // Held-out evaluations at 0 (untrained), 2 and 4 only (a greedy policy that never
    // schedules has no mean slowdown: NaN, with every job counted as unscheduled).
    assert.deepEqual(
      c4.map((r) => Number.isFinite(r.eval_unscheduled)),
      [true, false, true, false, true],
    );
    for (const r of c4)
      if (Number.isFinite(r.eval_mean_slowdown_stochastic)) assert.ok(r.eval_mean_slowdown_stochastic >= 1);
    assert.equal(c4.filter((r) => r.eval_mean_slowdown_stochastic >= 1).length, 3);
    const m = JSON.parse(fs.readFileSync(path.join(split, 'manifest.json'), 'utf8'));
    // pg's 4480 → 20 network trains on the fused kernels (src/nn/); the tfjs backend is kept too.
    assert.equal(m.backend, 'fused');
    assert.equal(m.extra.trainBackend, 'fused');
    assert.equal(m.extra.tfjsBackend, 'wasm');
    assert.deepEqual(m.seeds, [3]);
    assert.equal(m.config.agent, 'pg');
    assert.equal(m.config.setting.heldOutSeed, 314159);
    assert.equal(m.config.setting.trainSeed, 42);
    assert.equal(m.config.hyperparameters.rolloutsPerJobSet, 2);
    assert.equal(m.config.hyperparameters.maxGradNorm, 'Infinity');

    // Without --resume an existing checkpoint is refused.
    await assert.rejects(runTraining({ ...base, out: split, iterations: 6, resume: false }), UsageError);

    const resumed = await runTraining({ ...base, out: split, iterations: 6, resume: true });
    assert.equal(resumed.iterations, 6);
    const a = readCurve(path.join(straight, 'curve.csv'));
    const b = readCurve(path.join(split, 'curve.csv'));
    assert.deepEqual(
      b.map((r) => r.iteration),
      [0, 1, 2, 3, 4, 5, 6],
    );
    // Identical training metrics and evaluations (wall times differ, of course).
    const strip = (rows: typeof a) => rows.map(({ wall_seconds: _w, ...rest }) => rest);
    assert.deepEqual(strip(b), strip(a));
    assert.ok(b[6].wall_seconds >= b[4].wall_seconds);

    // The checkpoint loads as a greedy-capable agent.
    const agent = await loadTrainedAgent(path.join(split, 'checkpoint'));
    assert.equal(agent.name, 'reinforce');
  });
});

describe('resolveAgentConfig', () => {
  const task = makeDeeprmTask(TINY);
  test('task defaults, overrides and --iterations compose; unknown keys are rejected', () => {
    const pg = resolveAgentConfig('pg', task, { rolloutsPerJobSet: 3 }, 7);
    assert.equal(pg.numJobSets, 2); // = the task's training sets
    assert.equal(pg.rolloutsPerJobSet, 3);
    assert.equal(iterationsOf('pg', pg as Record<string, number>), 7);
    const ppo = resolveAgentConfig('ppo', task, { numEnvs: 2, numSteps: 16 }, 5);
    assert.equal(ppo.totalSteps, 2 * 16 * 5);
    assert.equal(iterationsOf('ppo', ppo as Record<string, number>), 5);
    const dqn = resolveAgentConfig('dqn', task, { logEvery: 100 }, 4);
    assert.equal(dqn.totalSteps, 400);
    // ε schedule follows the run length (half of it) unless given.
    assert.deepEqual(dqn.epsilon, { kind: 'linear', start: 1, end: 0.05, steps: 200 });
    assert.throws(() => resolveAgentConfig('pg', task, { learningRate: 1 }), UsageError);
    assert.throws(() => resolveAgentConfig('pg', task, {}, 0), UsageError);
  });
});

describe('the logged-steps agents (dqn, qlearning share one run-length rule)', () => {
  test('one reported iteration = logEvery env steps; a partial last report counts', () => {
    const task = makeDeeprmTask(TINY);
    for (const kind of ['dqn', 'qlearning'] as const) {
      const c = resolveAgentConfig(kind, task, { logEvery: 50 }, 6);
      assert.equal(c.totalSteps, 300, kind);
      assert.equal(iterationsOf(kind, c as Record<string, number>), 6, kind);
      assert.equal(AGENTS[kind].iterationsOf({ totalSteps: 301, logEvery: 50 }), 7, kind);
      assert.equal(AGENTS[kind].iterationUnit, 'logEvery env steps');
      assert.equal(AGENTS[kind].training.mode, 'whole');
    }
  });
});

describe('runTraining (other agents, tiny)', () => {
  test('qlearning and dqn train, evaluate at the end and leave a loadable checkpoint', async () => {
    const task = makeDeeprmTask(TINY);
    for (const [agent, overrides] of [
      ['qlearning', { logEvery: 50 }],
      ['dqn', { logEvery: 50, learningStarts: 20, batchSize: 8, hiddenSizes: [8] }],
    ] as const) {
      const out = tmp();
      const r = await runTraining({
        agent,
        task,
        overrides,
        seed: 1,
        out,
        iterations: 2,
        evalEvery: 1,
        resume: false,
        command: 'test',
      });
      assert.equal(r.iterations, 2);
      const curve = readCurve(path.join(out, 'curve.csv'));
      assert.deepEqual(
        curve.map((x) => x.iteration),
        [1, 2],
      );
      assert.ok(Number.isNaN(curve[0].eval_mean_slowdown));
      assert.ok(curve[1].eval_mean_slowdown >= 1);
      const loaded = await loadTrainedAgent(path.join(out, 'checkpoint'));
      assert.equal(loaded.name, agent);
    }
  });

  test('cluster task: disjoint seeds are enforced and pg trains on it', async () => {
    assert.throws(() => resolveClusterSetting({ trainSeedBase: 10, numTrainSets: 5, heldOutSeedBase: 12 }), UsageError);
    const task = makeClusterTask({ jobs: 12, numTrainSets: 2, numHeldOutSets: 2 });
    const out = tmp();
    const r = await runTraining({
      agent: 'pg',
      task,
      overrides: { rolloutsPerJobSet: 2, jobSetsPerBatch: 2 },
      seed: 1,
      out,
      iterations: 2,
      evalEvery: 2,
      resume: false,
      command: 'test',
    });
    assert.equal(r.iterations, 2);
    assert.ok(r.final.greedy.meanSlowdown >= 1);
    assert.equal(r.final.stochastic, undefined);
  });
});
