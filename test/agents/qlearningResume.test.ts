/**
 * Exact resume of tabular Q-learning: stopped at any report and resumed from its checkpoint,
 * the table, RNG streams, counters and every reported metric equal an uninterrupted run's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QLearningAgent, trainQLearning } from '../../src/agents/qlearning';
import { loadCheckpoint } from '../../src/agents/checkpoint';
import type { Env } from '../../src/env/types';
import { makeDeeprmTask } from '../../src/experiment/deeprmTask';
import { Rng } from '../../src/util/rng';
import { ChainEnv } from './maskedToyEnvs';

const TINY = { simuLen: 10, numNw: 5, numTrainSets: 2, numValidationSets: 1, numHeldOutSets: 1, evalEpisodeCap: 200 };

async function run(makeEnv: () => Env, cfg: Record<string, unknown>, stops: number[]): Promise<unknown> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-ql-resume-'));
  const ck = path.join(dir, 'ck');
  const curve: string[] = [];
  for (let resume = false; ; resume = true) {
    let stopped = false;
    const res = await trainQLearning(makeEnv, cfg, {
      seed: 17,
      checkpointDir: ck,
      resume,
      onIteration: (it, m) => {
        curve[it] = JSON.stringify(m);
        if (stops.includes(it)) {
          stops = stops.filter((s) => s !== it);
          stopped = true;
          return false;
        }
        return true;
      },
    });
    if (!stopped) {
      const c = await loadCheckpoint(ck);
      const loaded = await QLearningAgent.load(ck, new Rng(0));
      assert.deepEqual(loaded.q, res.agent.q);
      fs.rmSync(dir, { recursive: true });
      return [curve, Array.from(res.agent.q), c.rngs, c.counters, c.arrays, c.extra];
    }
  }
}

for (const [name, env, cfg] of [
  ['ChainEnv', () => () => new ChainEnv(5, 20), { totalSteps: 1_000, bins: 2, logEvery: 100, checkpointEvery: 150 }],
  [
    'DeepRM (long episodes, carried colour RNG)',
    () => {
      const task = makeDeeprmTask(TINY);
      return () => task.makeTrainEnv();
    },
    { totalSteps: 600, bins: 2, logEvery: 70, checkpointEvery: 100 },
  ],
] as const)
  test(`qlearning on ${name}: stop at reports 1, 2, 5 + resume equals an uninterrupted run`, async () => {
    const straight = await run(env(), cfg, []);
    const cut = await run(env(), cfg, [1, 2, 5]);
    assert.deepEqual(cut, straight);
  });
