/**
 * Exact resume of the on-policy core (A2C, PPO): a run stopped after any update and resumed
 * from its checkpoint equals an uninterrupted run — weights, optimizer state, RNG streams and
 * every reported metric — even though episodes span rollouts (DeepRM episodes are longer than
 * a rollout, and DeepRM carries its colour RNG from one episode to the next).
 * The SIGKILL version through the CLI is test/rel/resume.test.ts.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/tf/backend';
import { trainA2c } from '../../src/agents/a2c';
import { trainPpo } from '../../src/agents/ppo';
import { loadCheckpoint } from '../../src/agents/checkpoint';
import type { Env, ResetResult, StepResult } from '../../src/env/types';
import { ReplayableEnv } from '../../src/env/replayable';
import { makeDeeprmTask } from '../../src/experiment/deeprmTask';
import { Chain5 } from '../helpers/toyEnvs';

before(async () => {
  await initBackend();
});

const TINY = { simuLen: 10, numNw: 5, numTrainSets: 2, numValidationSets: 1, numHeldOutSets: 1, evalEpisodeCap: 200 };
const deeprm = (): ((i: number) => Env) => {
  const task = makeDeeprmTask(TINY);
  return () => task.makeTrainEnv();
};

type Trainer = typeof trainA2c | typeof trainPpo;

/** Runs to the end, stopping (and resuming from the checkpoint) after each update in `stops`. */
async function run(
  train: Trainer,
  makeEnv: (i: number) => Env,
  cfg: Record<string, unknown>,
  stops: number[],
): Promise<{ weights: Float32Array[]; curve: string[]; state: unknown }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-onpolicy-resume-'));
  const ck = path.join(dir, 'ck');
  const curve: string[] = [];
  for (;;) {
    let stopped = false;
    const agent = await train(makeEnv, cfg, {
      seed: 11,
      checkpointDir: ck,
      onIteration: (it, m) => {
        curve[it - 1] = JSON.stringify(m);
        if (stops.includes(it) && !stopped) {
          stopped = true;
          stops = stops.filter((s) => s !== it);
          return false;
        }
        return true;
      },
    });
    const weights = agent.policy.getWeights();
    agent.dispose();
    if (!stopped) {
      const c = await loadCheckpoint(ck);
      fs.rmSync(dir, { recursive: true });
      return { weights, curve, state: [c.networks, c.optimizers, c.rngs, c.counters, c.arrays, c.extra] };
    }
  }
}

const CASES: { name: string; train: Trainer; env: () => (i: number) => Env; cfg: Record<string, unknown> }[] = [
  {
    name: 'a2c on DeepRM (episodes span rollouts, carried colour RNG)',
    train: trainA2c,
    env: deeprm,
    cfg: { totalSteps: 10 * 2 * 8, numEnvs: 2, numSteps: 8, hiddenSizes: [16], checkpointEvery: 4 },
  },
  {
    name: 'ppo on DeepRM',
    train: trainPpo,
    env: deeprm,
    cfg: { totalSteps: 6 * 2 * 16, numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [16] },
  },
  {
    name: 'a2c on Chain5 (truncated episodes)',
    train: trainA2c,
    env: () => () => new Chain5(6),
    cfg: { totalSteps: 12 * 3 * 4, numEnvs: 3, numSteps: 4, hiddenSizes: [8], normAdv: true, checkpointEvery: 5 },
  },
];

for (const c of CASES)
  test(`${c.name}: stop after updates 1, 3, 4 + resume equals an uninterrupted run`, async () => {
    const straight = await run(c.train, c.env(), c.cfg, []);
    const cut = await run(c.train, c.env(), c.cfg, [1, 3, 4]);
    assert.deepEqual(cut.curve, straight.curve);
    assert.deepEqual(cut.weights, straight.weights);
    assert.deepEqual(cut.state, straight.state);
  });

/** An env whose episodes depend on a hidden counter it does not declare as carried state. */
class Leaky implements Env {
  readonly observationSize = 1;
  readonly numActions = 1;
  private readonly obs = new Float32Array(1);
  private readonly mask = new Uint8Array([1]);
  private calls = 0;
  reset(): ResetResult {
    this.obs[0] = this.calls++;
    return { observation: this.obs, info: { actionMask: this.mask } };
  }
  step(): StepResult {
    return { observation: this.obs, reward: 0, terminated: false, truncated: false, info: { actionMask: this.mask } };
  }
}

test('ReplayableEnv restores a mid-episode Chain5 exactly and refuses an env replay cannot reproduce', () => {
  const a = new ReplayableEnv(new Chain5(50));
  a.reset(3);
  for (const x of [1, 1, 0, 1]) a.step(x);
  const snap = a.snapshot();
  assert.deepEqual(Array.from(snap.actions), [1, 1, 0, 1]);
  const b = new ReplayableEnv(new Chain5(50));
  const r = b.restore(snap);
  assert.deepEqual(Array.from(r.observation), [0, 0, 1, 0, 0]);
  assert.deepEqual(b.snapshot(), snap);

  const leaky = new ReplayableEnv(new Leaky());
  leaky.reset(0);
  leaky.reset(0); // the hidden counter moved on
  leaky.step(0);
  assert.throws(() => new ReplayableEnv(new Leaky()).restore(leaky.snapshot()), /does not reproduce/);
});
