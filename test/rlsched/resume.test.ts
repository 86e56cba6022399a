/**
 * What results/rlscheduler relies on when a training is cut by the session's end or made longer:
 * a `--env rlsched` PPO run with the behaviour-cloning warm start and backfilling during training
 * (the `ppobcbf` family of scripts/reproduce-rlscheduler.sh) stopped after k iterations and
 * continued with `--resume` equals, byte for byte, a run that was never stopped; and a run
 * continued with a LARGER `--iterations` equals a run trained that long from the start (no
 * learning-rate annealing), which is how the 4×-budget runs reuse the 1× run's checkpoint.
 * (test/rel/resume.test.ts kills runs of every agent, on the DeepRM env only.)
 */
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { sharedDataset } from '../../src/workload/traces';

const dir = mkdtempSync(join(tmpdir(), 'rlsched-resume-'));
const config = join(dir, 'ppobcbf.json');
writeFileSync(
  config,
  JSON.stringify({
    numEnvs: 2,
    numSteps: 16,
    numMinibatches: 2,
    updateEpochs: 2,
    hiddenSizes: [8, 4],
    checkpointEvery: 1,
    bcSteps: 48,
    bcEpochs: 2,
    env: { expert: 'auto', seqLen: 24, numValidation: 2 },
  }),
);

const train = (out: string, iterations: number, resume = false): Promise<number> =>
  main([
    'train',
    '--env',
    'rlsched',
    '--trace',
    sharedDataset('hpc-swf', 'lublin_256_new2.swf'),
    '--agent',
    'ppo',
    '--config',
    config,
    '--backfill',
    '--seed',
    '3',
    '--iterations',
    String(iterations),
    '--eval-every',
    '0',
    '--no-stochastic',
    '--no-final-heldout',
    '--quiet',
    ...(resume ? ['--resume'] : []),
    '--out',
    out,
  ]);

/**
 * Everything a run leaves that must not depend on how it was cut: weights, optimizer and stored
 * arrays (as hashes), counters, RNG states, and the training columns of curve.csv. Left out: the
 * wall-clock columns, and the evaluation columns (val_*, eval_*), since a run that ended at k and was
 * continued keeps the validation it made at its end k, where a straight run made none.
 */
function fingerprint(run: string): Record<string, unknown> {
  const state = JSON.parse(readFileSync(join(run, 'checkpoint', 'state.json'), 'utf8'));
  const [head, ...rows] = readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  const keep = cols.map((c) => !['wall_seconds', 'stepsPerSecond'].includes(c) && !/^(val|eval)_/.test(c));
  const hash = (f: string): string =>
    createHash('sha256')
      .update(readFileSync(join(run, 'checkpoint', f)))
      .digest('hex');
  return {
    weights: hash('weights.bin'),
    arrays: hash('arrays.bin'),
    state: [state.counters, state.rngs, state.optimizers, state.config],
    curve: [head, ...rows].map((l) =>
      l
        .split(',')
        .filter((_, i) => keep[i])
        .join(','),
    ),
  };
}

test('rlsched ppobcbf: stopped after 2 iterations and resumed to 4 equals 4 straight, and 4 → 6 equals 6 straight', async () => {
  const straight4 = join(dir, 'straight4');
  const cut = join(dir, 'cut');
  assert.equal(await train(straight4, 4), 0);
  assert.equal(await train(cut, 2), 0);
  const at2 = fingerprint(cut);
  assert.equal(await train(cut, 4, true), 0);
  const at4 = fingerprint(cut);
  // the check can fail: the 2-iteration state differs from the 4-iteration one
  assert.notDeepEqual(at2.weights, at4.weights);
  assert.deepEqual(at4, fingerprint(straight4));

  const straight6 = join(dir, 'straight6');
  assert.equal(await train(straight6, 6), 0);
  assert.equal(await train(cut, 6, true), 0);
  assert.deepEqual(fingerprint(cut), fingerprint(straight6));
});
