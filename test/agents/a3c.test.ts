/**
 * A3C (src/agents/a3c.ts): one worker without threads is A2C on the fused backend, number for
 * number; with two workers the weights are a function of the seed alone — identical with worker
 * threads under random delays, without threads, and across repeated runs — and differ for another
 * seed (so the comparison can fail).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainA3c, type A3cConfig } from '../../src/agents/a3c';
import { trainA2c } from '../../src/agents/a2c';
import { makeDeeprmTask } from '../../src/experiment/deeprmTask';
import type { PolicyAgent } from '../../src/agents/fastpath';

const task = makeDeeprmTask({ simuLen: 10, numNw: 5, numTrainSets: 3 });
const makeEnv = (): ReturnType<typeof task.makeTrainEnv> => task.makeTrainEnv();

const weights = (a: PolicyAgent): number[] => a.policy.getWeights().flatMap((w) => Array.from(w));

const SMALL: Partial<A3cConfig> = {
  numWorkers: 2,
  numEnvs: 2,
  numSteps: 6,
  totalSteps: 2 * 2 * 6 * 12,
  hiddenSizes: [16],
  optimizer: { kind: 'rmsprop', lr: 3e-3, rho: 0.99, eps: 1e-5 },
};

test('a3c: one worker without threads equals fused A2C, weight for weight', async () => {
  const common = { numEnvs: 3, numSteps: 5, totalSteps: 3 * 5 * 10, hiddenSizes: [16], entCoef: 0.01 };
  const a2c = await trainA2c(makeEnv, { ...common, trainBackend: 'fused' }, { seed: 4 });
  const a3c = await trainA3c(makeEnv, { ...common, numWorkers: 1, threads: false }, { seed: 4 });
  const w = weights(a3c);
  assert.deepEqual(w, weights(a2c));
  // Training moved the weights (the comparison is not between two untrained networks).
  const untrained = await trainA3c(makeEnv, { ...common, numWorkers: 1, threads: false, totalSteps: 15 }, { seed: 4 });
  assert.notDeepEqual(w, weights(untrained));
  a2c.dispose();
  a3c.dispose();
  untrained.dispose();
});

test('a3c: same seed, same weights — threads with random delays, no threads, repeated; another seed differs', async () => {
  const recipe = task.trainEnvRecipe!;
  const metrics: number[][] = [];
  const run = async (seed: number, threads: boolean, jitterMs = 0, jitterSeed = 0): Promise<number[]> => {
    const rows: number[] = [];
    const a = await trainA3c(
      makeEnv,
      { ...SMALL, threads },
      {
        seed,
        envRecipe: recipe,
        jitterMs,
        jitterSeed,
        onIteration: (_it, m) => {
          rows.push(m.globalStep, m.loss, m.gradNorm, m.entropy);
        },
      },
    );
    metrics.push(rows);
    const w = weights(a);
    a.dispose();
    return w;
  };
  const inline = await run(9, false);
  const threaded = await run(9, true, 5, 1);
  const threadedAgain = await run(9, true, 5, 2);
  assert.deepEqual(threaded, inline);
  assert.deepEqual(threadedAgain, inline);
  assert.deepEqual(metrics[1], metrics[0]);
  assert.deepEqual(metrics[2], metrics[0]);
  assert.equal(metrics[0].length, 4 * 12);
  assert.equal(metrics[0][4 * 11], 2 * 2 * 6 * 12); // globalStep after the last round
  assert.notDeepEqual(await run(10, true), inline);
});

test('a3c: threads without an env recipe is refused, naming the way out', async () => {
  await assert.rejects(trainA3c(makeEnv, { ...SMALL, threads: true }, { seed: 1 }), /env recipe.*"threads": false/);
});
