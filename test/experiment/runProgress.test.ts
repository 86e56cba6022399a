/**
 * runProgress: what the result tables say about a run that is not finished (pending, at its
 * checkpoint step), and checkpointIteration, the iteration --resume continues from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { checkpointIteration, runProgress } from '../../src/experiment/runProgress';
import { sharedDataset } from '../../src/workload/traces';

test('checkpointIteration: iterations, updates, or steps / logEvery (hand cases)', () => {
  assert.equal(checkpointIteration({ iteration: 5, globalStep: 99 }, 2048), 5);
  assert.equal(checkpointIteration({ update: 7, globalStep: 7168 }, undefined), 7);
  assert.equal(checkpointIteration({ step: 6144 }, 2048), 3);
  assert.equal(checkpointIteration({ step: 5000 }, 2048), 2);
  assert.ok(Number.isNaN(checkpointIteration({ step: 10 }, undefined)));
  assert.ok(Number.isNaN(checkpointIteration({ step: 10 }, 0)));
  assert.equal(checkpointIteration({}, 2048), 0);
  assert.equal(checkpointIteration(undefined, 2048), 0);
});

test('runProgress: not started, checkpointed part-way at its step, finished; --resume continues from there', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'run-progress-'));
  const run = join(dir, 'run');
  assert.deepEqual(await runProgress(run), { state: 'not started', iteration: null, steps: null });
  const config = join(dir, 'ppo.json');
  writeFileSync(
    config,
    JSON.stringify({
      numEnvs: 2,
      numSteps: 8,
      numMinibatches: 2,
      updateEpochs: 1,
      hiddenSizes: [4],
      checkpointEvery: 1,
      env: { seqLen: 16, numValidation: 1 },
    }),
  );
  const train = (iterations: number, resume: boolean): Promise<number> =>
    main([
      'train',
      '--env',
      'rlsched',
      '--trace',
      sharedDataset('hpc-swf', 'lublin_256.swf'),
      '--agent',
      'ppo',
      '--config',
      config,
      '--seed',
      '2',
      '--iterations',
      String(iterations),
      '--eval-every',
      '0',
      '--no-stochastic',
      '--no-final-heldout',
      '--quiet',
      ...(resume ? ['--resume'] : []),
      '--out',
      run,
    ]);
  assert.equal(await train(3, false), 0);
  assert.deepEqual(await runProgress(run), { state: 'finished', iteration: 3, steps: 3 * 2 * 8 });
  // A run cut after its last checkpoint has no manifest yet: pending at that step.
  rmSync(join(run, 'manifest.json'));
  assert.deepEqual(await runProgress(run), { state: 'checkpointed', iteration: 3, steps: 48 });
  // Growing it to 5 iterations continues from iteration 3, as the pending list says.
  assert.equal(await train(5, true), 0);
  assert.deepEqual(await runProgress(run), { state: 'finished', iteration: 5, steps: 80 });
});
