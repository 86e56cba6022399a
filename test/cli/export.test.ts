/**
 * `lepton export`: the policy of a run without its training state. For EVERY agent of the registry
 * (RUNS is a Record over AgentKind: an agent added without a case here does not type-check), a tiny
 * DeepRM run is trained, exported, and evaluated twice on the same job sets — from checkpoint/ and,
 * with checkpoint/ moved away, from policy/ — and the two evaluations must agree to the last digit
 * (greedy and sampled), so committing only policy/ loses nothing an evaluation needs.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/tf/backend';
import { runTrain } from '../../src/cli/train';
import { runEvaluate } from '../../src/cli/evaluate';
import { runExport } from '../../src/cli/export';
import { deeprmGenerate } from '../../src/deeprm/generate';
import { AGENT_KINDS, type AgentKind } from '../../src/experiment/agents';
import { UsageError } from '../../src/util/errors';

before(async () => {
  await initBackend();
});

const ENV = { simuLen: 10, numNw: 5, numTrainSets: 2, numValidationSets: 2, numHeldOutSets: 2, evalEpisodeCap: 300 };
const RUNS: Record<AgentKind, Record<string, unknown>> = {
  pg: { rolloutsPerJobSet: 2, jobSetsPerBatch: 2 },
  a2c: { numEnvs: 2, numSteps: 8, hiddenSizes: [16] },
  a3c: { numWorkers: 2, numEnvs: 2, numSteps: 8, hiddenSizes: [16] },
  ppo: { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2, hiddenSizes: [16] },
  dqn: { hiddenSizes: [16], batchSize: 8, bufferSize: 400, learningStarts: 40, logEvery: 100 },
  qlearning: { bins: 2, logEvery: 100 },
};

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-export-'));
const jobs = path.join(root, 'heldout.json');

/** summary.csv without the wall-clock column. */
function summary(dir: string): string {
  const [head, ...rows] = fs.readFileSync(path.join(dir, 'summary.csv'), 'utf8').trim().split('\n');
  const wall = head.split(',').indexOf('wall_seconds');
  const drop = (l: string): string =>
    l
      .split(',')
      .filter((_, i) => i !== wall)
      .join(',');
  return [head, ...rows].map(drop).join('\n');
}

const bytesOf = (dir: string): number =>
  fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);

describe('lepton export: evaluation from policy/ equals evaluation from checkpoint/', () => {
  before(() => {
    fs.writeFileSync(
      jobs,
      JSON.stringify(
        deeprmGenerate({
          rate: 0.379,
          simuLen: 10,
          numEx: 3,
          seed: 314159,
          numNw: 5,
          end: 'all_done',
          episodeMaxLength: 300,
        }),
      ),
    );
  });

  for (const agent of AGENT_KINDS) {
    test(agent, async () => {
      const run = path.join(root, agent);
      const config = path.join(root, `${agent}.json`);
      fs.writeFileSync(config, JSON.stringify({ ...RUNS[agent], env: ENV }));
      const train = ['--env', 'deeprm', '--agent', agent, '--seed', '3', '--iterations', '2', '--eval-every', '0'];
      assert.equal(await runTrain([...train, '--no-final-heldout', '--config', config, '--out', run, '--quiet']), 0);
      assert.equal(await runExport(['--checkpoint', run]), 0);
      const policy = path.join(run, 'policy');
      const exp = JSON.parse(fs.readFileSync(path.join(policy, 'export.json'), 'utf8'));
      assert.equal(exp.config.from, path.resolve(run, 'checkpoint'));
      // The training state stays behind: the export is never larger than the checkpoint.
      assert.ok(bytesOf(policy) <= bytesOf(path.join(run, 'checkpoint')) + 4096);

      const fromCk = path.join(root, `${agent}-eval-ck`);
      assert.equal(await runEvaluate(['--checkpoint', run, '--jobs', jobs, '--out', fromCk]), 0);
      fs.renameSync(path.join(run, 'checkpoint'), path.join(root, `${agent}-checkpoint-aside`));
      const fromPolicy = path.join(root, `${agent}-eval-policy`);
      assert.equal(await runEvaluate(['--checkpoint', run, '--jobs', jobs, '--out', fromPolicy]), 0);
      assert.equal(summary(fromPolicy), summary(fromCk));
      const m = JSON.parse(fs.readFileSync(path.join(fromPolicy, 'manifest.json'), 'utf8'));
      assert.equal(m.config.checkpoint, policy);

      // Without a checkpoint there is nothing to export from.
      await assert.rejects(runExport(['--checkpoint', path.join(root, 'nowhere')]), UsageError);
    });
  }

  test('the replay buffer stays out of a DQN export', () => {
    const ck = path.join(root, 'dqn-checkpoint-aside');
    const pol = path.join(root, 'dqn', 'policy');
    assert.ok(bytesOf(ck) > 10 * bytesOf(pol), `checkpoint ${bytesOf(ck)} B vs policy ${bytesOf(pol)} B`);
  });

  test('a checkpoint folder needs --out; --out may not be the checkpoint itself', async () => {
    const ck = path.join(root, 'pg-checkpoint-aside');
    await assert.rejects(runExport(['--checkpoint', ck]), /give --out DIR/);
    await assert.rejects(runExport(['--checkpoint', ck, '--out', ck]), /the checkpoint itself/);
    const out = path.join(root, 'pg-elsewhere');
    assert.equal(await runExport(['--checkpoint', ck, '--out', out]), 0);
    assert.ok(fs.existsSync(path.join(out, 'model.json')));
  });
});
