/**
 * Exact resume of DQN: a run stopped at any report and resumed from its checkpoint equals an
 * uninterrupted run — weights, target network, optimizer, RNG streams, replay buffer (uniform,
 * and prioritised with its sum/min trees), n-step accumulators, the env mid-episode and every
 * reported metric except the wall-clock stepsPerSecond. The SIGKILL version through the CLI is
 * test/rel/resume.test.ts.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/tf/backend';
import { trainDqn } from '../../src/agents/dqn';
import { loadCheckpoint } from '../../src/agents/checkpoint';
import type { Env } from '../../src/env/types';
import { makeDeeprmTask } from '../../src/experiment/deeprmTask';
import { ChainEnv } from './maskedToyEnvs';

before(async () => {
  await initBackend();
});

const TINY = { simuLen: 10, numNw: 5, numTrainSets: 2, numValidationSets: 1, numHeldOutSets: 1, evalEpisodeCap: 200 };

async function run(
  makeEnv: () => Env,
  cfg: Record<string, unknown>,
  stops: number[],
): Promise<{ weights: Float32Array[]; curve: string[]; state: unknown }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-dqn-resume-'));
  const ck = path.join(dir, 'ck');
  const curve: string[] = [];
  for (let resume = false; ; resume = true) {
    let stopped = false;
    const res = await trainDqn(makeEnv, cfg, {
      seed: 13,
      checkpointDir: ck,
      resume,
      onIteration: (it, m) => {
        const { stepsPerSecond: _wall, ...rest } = m;
        curve[it] = JSON.stringify(rest);
        if (stops.includes(it)) {
          stops = stops.filter((s) => s !== it);
          stopped = true;
          return false;
        }
        return true;
      },
    });
    const weights = res.agent.net.getWeights();
    res.agent.net.dispose();
    if (!stopped) {
      const c = await loadCheckpoint(ck);
      fs.rmSync(dir, { recursive: true });
      return { weights, curve, state: [c.networks, c.optimizers, c.rngs, c.counters, c.arrays, c.extra] };
    }
  }
}

const BASE = {
  hiddenSizes: [8],
  batchSize: 8,
  learningStarts: 40,
  trainFrequency: 2,
  targetUpdateInterval: 30,
  logEvery: 50,
  checkpointEvery: 70,
};

const CASES: { name: string; env: () => () => Env; cfg: Record<string, unknown> }[] = [
  {
    name: 'uniform replay, ChainEnv',
    env: () => () => new ChainEnv(5, 20),
    cfg: { ...BASE, totalSteps: 400, bufferSize: 100 },
  },
  {
    name: 'PER + 3-step + dueling, ChainEnv (buffer wraps)',
    env: () => () => new ChainEnv(5, 20),
    cfg: { ...BASE, totalSteps: 400, bufferSize: 64, prioritized: true, nStep: 3, dueling: true, tau: 0.5 },
  },
  {
    name: 'PER + 2-step on DeepRM (long episodes, carried colour RNG)',
    env: () => {
      const task = makeDeeprmTask(TINY);
      return () => task.makeTrainEnv();
    },
    cfg: { ...BASE, totalSteps: 300, bufferSize: 200, prioritized: true, nStep: 2 },
  },
];

for (const c of CASES)
  test(`dqn ${c.name}: stop at reports 1, 2, 4 + resume equals an uninterrupted run`, async () => {
    const straight = await run(c.env(), c.cfg, []);
    const cut = await run(c.env(), c.cfg, [1, 2, 4]);
    assert.deepEqual(cut.curve, straight.curve);
    assert.deepEqual(cut.weights, straight.weights);
    assert.deepEqual(cut.state, straight.state);
  });
