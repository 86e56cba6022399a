import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEEPRM_SETTING, deeprmJobSets, makeDeeprmTask, resolveDeeprmSetting } from '../../src/experiment/deeprmTask';
import { readCurve, runTraining, type TrainTask } from '../../src/experiment/train';
import { UsageError } from '../../src/util/errors';

/** Tiny setting as in train.test.ts: 5 slots, 10 arrival steps, 2 / 3 / 3 job sets. */
const TINY = { simuLen: 10, numNw: 5, numTrainSets: 2, numValidationSets: 3, numHeldOutSets: 3, evalEpisodeCap: 300 };
const TINY_PG = { rolloutsPerJobSet: 2, jobSetsPerBatch: 2 };

/** The task with its held-out and validation evaluations counted. */
function counted(task: TrainTask): { task: TrainTask; heldOutCalls: number[]; validationCalls: number[] } {
  const heldOutCalls: number[] = [];
  const validationCalls: number[] = [];
  let iteration = 0;
  return {
    heldOutCalls,
    validationCalls,
    task: {
      ...task,
      makeTrainEnv: () => task.makeTrainEnv(),
      evaluate: (a, g) => (heldOutCalls.push(iteration++), task.evaluate(a, g)),
      validate: (a, g) => (validationCalls.push(iteration++), task.validate!(a, g)),
    },
  };
}

describe('DeepRM validation split', () => {
  test('seed 271828, 100 sets at the held-out rate and cap, disjoint from training and held-out sets', () => {
    assert.equal(DEEPRM_SETTING.validationSeed, 271828);
    assert.equal(DEEPRM_SETTING.numValidationSets, 100);
    const small = resolveDeeprmSetting({ numTrainSets: 5, numValidationSets: 5, numHeldOutSets: 5 });
    const val = deeprmJobSets(small, 'validation');
    assert.equal(val.generator?.seed, 271828);
    assert.equal(val.params.numEx, 5);
    assert.equal(val.params.episodeMaxLength, DEEPRM_SETTING.evalEpisodeCap);
    assert.notDeepEqual(val.jobs.slice(0, 5), deeprmJobSets(small, 'heldout').jobs.slice(0, 5));
    assert.notDeepEqual(val.jobs.slice(0, 5), deeprmJobSets(small, 'train').jobs.slice(0, 5));
    assert.throws(() => resolveDeeprmSetting({ validationSeed: 314159 }), UsageError);
    assert.throws(() => resolveDeeprmSetting({ validationSeed: 42 }), UsageError);
  });

  test('evalSplit validation: periodic points on validation (val_*), held-out only once at the end', async () => {
    const c = counted(makeDeeprmTask(TINY));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-val-'));
    const res = await runTraining({
      agent: 'pg',
      task: c.task,
      overrides: TINY_PG,
      seed: 3,
      out,
      iterations: 4,
      evalEvery: 2,
      resume: false,
      evalSplit: 'validation',
      command: 'test',
    });
    // Iterations 0, 2, 4 × (greedy, sampled) on validation, then greedy + sampled on held-out.
    assert.deepEqual(c.validationCalls, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(c.heldOutCalls, [6, 7]);
    assert.equal(res.finalSplit, 'heldout');
    const curve = readCurve(path.join(out, 'curve.csv'));
    assert.deepEqual(
      curve.map((r) => Number.isFinite(r.val_unscheduled)),
      [true, false, true, false, true],
    );
    assert.deepEqual(
      curve.map((r) => Number.isFinite(r.eval_unscheduled)),
      [false, false, false, false, true],
    );
    const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    assert.equal(m.config.evalSplit, 'validation');
    assert.equal(m.config.setting.validationSeed, 271828);
    assert.equal(m.extra.heldOut.stochastic.meanSlowdown, curve[4].eval_mean_slowdown_stochastic);
    assert.equal(m.extra.validation.stochastic.meanSlowdown, curve[4].val_mean_slowdown_stochastic);
  });

  test('finalHeldOut false (pilot runs): the held-out sets are never evaluated', async () => {
    const c = counted(makeDeeprmTask(TINY));
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-val-'));
    const res = await runTraining({
      agent: 'pg',
      task: c.task,
      overrides: TINY_PG,
      seed: 3,
      out,
      iterations: 2,
      evalEvery: 2,
      resume: false,
      evalSplit: 'validation',
      finalHeldOut: false,
      command: 'test',
    });
    assert.equal(c.heldOutCalls.length, 0);
    assert.equal(c.validationCalls.length, 4);
    assert.equal(res.finalSplit, 'validation');
    const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    assert.equal(m.extra.heldOut, undefined);
  });

  test('a task without a validation split refuses evalSplit validation', async () => {
    const { validate: _v, ...noVal } = makeDeeprmTask(TINY);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-val-'));
    await assert.rejects(
      runTraining({
        agent: 'pg',
        task: noVal,
        overrides: TINY_PG,
        seed: 3,
        out,
        iterations: 1,
        evalEvery: 1,
        resume: false,
        evalSplit: 'validation',
        command: 'test',
      }),
      UsageError,
    );
  });
});
