import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/tf/backend';
import { runTrain } from '../../src/cli/train';
import { runEvaluate } from '../../src/cli/evaluate';
import { readCurve } from '../../src/experiment/train';
import { deeprmGenerate } from '../../src/deeprm/generate';
import { deeprmReplay } from '../../src/deeprm/replay';
import { parseJobsFile } from '../../src/deeprm/params';
import { UsageError } from '../../src/util/errors';
import { main } from '../../src/cli/main';
import { REINFORCE_DEFAULTS } from '../../src/agents/reinforce';

before(async () => {
  await initBackend();
});

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe('lepton train / evaluate (tiny DeepRM setting)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-cli-train-'));
  const out = path.join(root, 'run');
  const config = path.join(root, 'config.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      rolloutsPerJobSet: 2,
      jobSetsPerBatch: 2,
      env: { simuLen: 10, numNw: 5, numTrainSets: 2, numHeldOutSets: 2, evalEpisodeCap: 300 },
    }),
  );
  const args = [
    '--env',
    'deeprm',
    '--agent',
    'pg',
    '--seed',
    '2',
    '--eval-every',
    '1',
    '--config',
    config,
    '--out',
    out,
    '--quiet',
  ];

  test('train writes curve.csv, manifest.json, checkpoint/; --resume continues; a rerun without it is refused', async () => {
    assert.equal(await runTrain([...args, '--iterations', '2']), 0);
    for (const f of ['curve.csv', 'manifest.json', 'checkpoint/model.json', 'checkpoint/state.json'])
      assert.ok(fs.existsSync(path.join(out, f)), f);
    assert.deepEqual(
      readCurve(path.join(out, 'curve.csv')).map((r) => r.iteration),
      [0, 1, 2],
    );
    const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    // pg's 4480 → 20 network trains on the fused kernels (src/nn/); the tfjs backend is kept too.
    assert.equal(m.backend, 'fused');
    assert.equal(m.extra.trainBackend, 'fused');
    assert.equal(m.extra.tfjsBackend, 'wasm');
    assert.equal(m.extra.iterationsDone, 2);
    assert.match(m.command, /^lepton train --env deeprm/);

    await assert.rejects(runTrain([...args, '--iterations', '3']), UsageError);
    assert.equal(await runTrain([...args, '--iterations', '3', '--resume']), 0);
    const curve = readCurve(path.join(out, 'curve.csv'));
    assert.deepEqual(
      curve.map((r) => r.iteration),
      [0, 1, 2, 3],
    );
    const m2 = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    assert.equal(m2.extra.resumedFrom, 2);
    assert.equal(m2.extra.iterationsDone, 3);
  });

  test('LEPTON_TRAIN_ITERATIONS (the small setting of the README test) shrinks a run to its value; --iterations wins; a bad value exits 2', async () => {
    const to = (dir: string): string[] => args.map((a) => (a === out ? path.join(root, dir) : a));
    const iterationsOf = (dir: string): number[] =>
      readCurve(path.join(root, dir, 'curve.csv')).map((r) => r.iteration);
    const saved = process.env.LEPTON_TRAIN_ITERATIONS;
    try {
      process.env.LEPTON_TRAIN_ITERATIONS = '1';
      assert.ok(REINFORCE_DEFAULTS.iterations > 1, 'the default run is longer than the small setting');
      assert.equal(await runTrain(to('env-1')), 0);
      assert.deepEqual(iterationsOf('env-1'), [0, 1]);
      const m = JSON.parse(fs.readFileSync(path.join(root, 'env-1', 'manifest.json'), 'utf8'));
      assert.equal(m.extra.iterationsDone, 1);
      assert.equal(await runTrain([...to('env-explicit'), '--iterations', '2']), 0);
      assert.deepEqual(iterationsOf('env-explicit'), [0, 1, 2]);
      for (const bad of ['0', '1.5', 'two', '-3']) {
        process.env.LEPTON_TRAIN_ITERATIONS = bad;
        await assert.rejects(runTrain(to(`env-bad`)), (e: unknown) => {
          assert.ok(e instanceof UsageError);
          assert.match(e.message, /LEPTON_TRAIN_ITERATIONS must be an integer/);
          return true;
        });
      }
    } finally {
      if (saved === undefined) delete process.env.LEPTON_TRAIN_ITERATIONS;
      else process.env.LEPTON_TRAIN_ITERATIONS = saved;
    }
  });

  test('evaluate compares the agent with SJF/Packer/Random on the same job sets', async () => {
    const jobs = path.join(root, 'heldout.json');
    const json = deeprmGenerate({
      rate: 0.379,
      simuLen: 10,
      numEx: 4,
      seed: 314159,
      numNw: 5,
      end: 'all_done',
      episodeMaxLength: 300,
    });
    fs.writeFileSync(jobs, JSON.stringify(json));
    const evDir = path.join(root, 'eval');
    assert.equal(await runEvaluate(['--checkpoint', out, '--jobs', jobs, '--out', evDir]), 0);
    const rows = csvRows(path.join(evDir, 'summary.csv'));
    assert.deepEqual(
      rows.map((r) => r.policy),
      ['agent:reinforce', 'agent:reinforce:sample', 'sjf', 'packer', 'random'],
    );
    const ref = deeprmReplay(parseJobsFile(json), { policies: ['sjf', 'packer'] });
    const sjf = rows.find((r) => r.policy === 'sjf')!;
    assert.ok(Math.abs(Number(sjf.mean_slowdown) - ref.sjf.mean_slowdown!) < 1e-6);
    assert.equal(sjf.ratio_to_sjf, '1');
    assert.equal(sjf.job_sets, '4');
    const packer = rows.find((r) => r.policy === 'packer')!;
    assert.ok(Math.abs(Number(packer.mean_slowdown) - ref.packer.mean_slowdown!) < 1e-6);
    for (const r of rows)
      assert.ok(Number(r.ci_lo) <= Number(r.mean_slowdown) && Number(r.mean_slowdown) <= Number(r.ci_hi), r.policy);
    // One jobs.csv row per (policy, job).
    assert.equal(csvRows(path.join(evDir, 'jobs.csv')).length, 5 * json.jobs.length);
    const m = JSON.parse(fs.readFileSync(path.join(evDir, 'manifest.json'), 'utf8'));
    assert.equal(m.trace.jobs, json.jobs.length);
    assert.equal(m.config.trainConfig.agent, 'pg');

    // Job sets of another shape than the agent was trained on are refused.
    const wrong = path.join(root, 'wrong.json');
    fs.writeFileSync(
      wrong,
      JSON.stringify(deeprmGenerate({ rate: 0.379, simuLen: 10, numEx: 2, seed: 314159, numNw: 10 })),
    );
    await assert.rejects(runEvaluate(['--checkpoint', out, '--jobs', wrong, '--out', evDir]), UsageError);
  });
});

describe('lepton train / evaluate (cluster)', () => {
  test('a cluster agent trains and is compared with heuristics on a trace, in the layout of lepton simulate', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-cli-cluster-'));
    const out = path.join(root, 'run');
    const config = path.join(root, 'config.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        rolloutsPerJobSet: 2,
        jobSetsPerBatch: 2,
        env: { jobs: 12, numTrainSets: 2, numHeldOutSets: 2 },
      }),
    );
    assert.equal(
      await runTrain([
        '--env',
        'cluster',
        '--agent',
        'pg',
        '--iterations',
        '2',
        '--eval-every',
        '0',
        '--config',
        config,
        '--out',
        out,
        '--quiet',
      ]),
      0,
    );
    const curve = readCurve(path.join(out, 'curve.csv'));
    assert.deepEqual(
      curve.map((r) => r.iteration),
      [1, 2],
    );
    assert.ok(curve[1].eval_mean_slowdown >= 1);
    const evDir = path.join(root, 'eval');
    const trace = path.join('test', 'fixtures', 'helios_sample.csv');
    assert.equal(
      await runEvaluate([
        '--checkpoint',
        out,
        '--trace',
        trace,
        '--cluster',
        'uniform:4x4',
        '--skip-invalid',
        '--out',
        evDir,
        '--no-report',
        '--quiet',
      ]),
      0,
    );
    for (const f of ['summary.csv', 'jobs.csv', 'manifest.json']) assert.ok(fs.existsSync(path.join(evDir, f)), f);
    assert.deepEqual(
      csvRows(path.join(evDir, 'summary.csv')).map((r) => r.policy),
      ['agent:run', 'fifo', 'sjf', 'tiresias'],
    );
    const m = JSON.parse(fs.readFileSync(path.join(evDir, 'manifest.json'), 'utf8'));
    assert.equal(m.config.mode, 'cluster');
    assert.equal(m.extra.agents[0].window, 10); // from the training manifest's setting
    assert.equal(m.trace.kind, 'helios');

    // The same agent as a policy of `lepton simulate`, beside heuristics.
    const simDir = path.join(root, 'sim');
    assert.equal(
      await main([
        'simulate',
        '--trace',
        trace,
        '--cluster',
        'uniform:4x4',
        '--skip-invalid',
        '--agent',
        out,
        '--policy',
        'fifo',
        '--out',
        simDir,
        '--no-report',
        '--quiet',
      ]),
      0,
    );
    assert.deepEqual(
      csvRows(path.join(simDir, 'summary.csv')).map((r) => r.policy),
      ['agent:run', 'fifo'],
    );
    const sm = JSON.parse(fs.readFileSync(path.join(simDir, 'manifest.json'), 'utf8'));
    assert.ok(sm.backend, 'the manifest records the tfjs backend when an agent ran');
  });
});
