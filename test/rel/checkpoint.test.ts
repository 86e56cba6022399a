/**
 * Checkpoints and --resume (issue 7 §1.5): a missing, foreign or corrupt checkpoint
 * and a resume with other settings are errors (exit 2, file named), never a silent
 * retrain or a run on garbage.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../../src/tf/backend';
import { cli } from '../helpers/cli';
import { resolveAgentConfig } from '../../src/experiment/train';
import { makeDeeprmTask } from '../../src/experiment/deeprmTask';

before(async () => {
  await initBackend();
});

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-rel-ck-'));
const config = path.join(root, 'config.json');
fs.writeFileSync(
  config,
  JSON.stringify({
    rolloutsPerJobSet: 2,
    jobSetsPerBatch: 2,
    env: { simuLen: 10, numNw: 5, numTrainSets: 2, numHeldOutSets: 2, numValidationSets: 2, evalEpisodeCap: 300 },
  }),
);
const train = (out: string, ...extra: string[]) =>
  cli([
    'train',
    '--agent',
    'pg',
    '--config',
    config,
    '--eval-every',
    '0',
    '--no-final-heldout',
    '--no-stochastic',
    '--quiet',
    '--out',
    out,
    ...extra,
  ]);

/** A trained 1-iteration run, copied fresh for each test that corrupts it. */
let base = '';
function copyRun(): string {
  const dir = fs.mkdtempSync(path.join(root, 'run-'));
  fs.cpSync(base, dir, { recursive: true });
  return dir;
}

function refused(r: { code: number; err: string }, re: RegExp): void {
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}: ${r.err}`);
  assert.match(r.err, re);
}

describe('checkpoints and --resume', () => {
  before(async () => {
    base = path.join(root, 'base');
    const r = await train(base, '--seed', '3', '--iterations', '1');
    assert.equal(r.code, 0, r.err);
  });

  test('--resume with no checkpoint is an error, not a silent retrain', async () => {
    const out = path.join(root, 'empty');
    refused(await train(out, '--seed', '3', '--iterations', '2', '--resume'), /--resume: no checkpoint in/);
    const dir = copyRun();
    fs.rmSync(path.join(dir, 'checkpoint', 'state.json'));
    refused(await train(dir, '--seed', '3', '--iterations', '2', '--resume'), /no checkpoint/);
    const file = copyRun();
    fs.rmSync(path.join(file, 'checkpoint'), { recursive: true });
    fs.writeFileSync(path.join(file, 'checkpoint'), 'x');
    refused(await train(file, '--seed', '3', '--iterations', '2', '--resume'), /checkpoint is a file/);
  });

  test('--resume with another seed or config is refused unless --force-config-change', async () => {
    const dir = copyRun();
    refused(await train(dir, '--seed', '4', '--iterations', '2', '--resume'), /other settings \(seed 3 → 4\)/);
    const forced = await train(dir, '--seed', '4', '--iterations', '2', '--resume', '--force-config-change');
    assert.equal(forced.code, 0, forced.err);
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    assert.deepEqual(m.extra.resumedWithChanges, ['seed 3 → 4']);
  });

  test('corrupt counters, RNG states and NaN weights are refused naming the file', async () => {
    const edit = (dir: string, f: (s: Record<string, unknown>) => void): void => {
      const p = path.join(dir, 'checkpoint', 'state.json');
      const s = JSON.parse(fs.readFileSync(p, 'utf8'));
      f(s);
      fs.writeFileSync(p, JSON.stringify(s));
    };
    for (const [name, f, re] of [
      [
        'counter -5',
        (s: Record<string, unknown>) => ((s.counters as Record<string, number>).iteration = -5),
        /counters\.iteration/,
      ],
      [
        'counter 1e9',
        (s: Record<string, unknown>) => ((s.counters as Record<string, number>).iteration = 1e9),
        /iteration 1000000000, outside/,
      ],
      ['rng ["x"]', (s: Record<string, unknown>) => ((s.rngs as Record<string, unknown>).train = ['x']), /rngs\.train/],
      ['unknown key', (s: Record<string, unknown>) => (s.extra2 = 1), /unknown key 'extra2'/],
    ] as const) {
      const dir = copyRun();
      edit(dir, f);
      refused(
        await train(dir, '--seed', '3', '--iterations', '2', '--resume'),
        new RegExp(`state\\.json.*${re.source}|${re.source}`),
      );
      void name;
    }
    const nan = copyRun();
    const w = path.join(nan, 'checkpoint', 'weights.bin');
    const bytes = fs.readFileSync(w);
    bytes.writeFloatLE(NaN, 8);
    fs.writeFileSync(w, bytes);
    refused(await train(nan, '--seed', '3', '--iterations', '2', '--resume'), /weights\.bin: .*NaN/);
    const cut = copyRun();
    fs.truncateSync(path.join(cut, 'checkpoint', 'weights.bin'), 100);
    refused(
      await train(cut, '--seed', '3', '--iterations', '2', '--resume'),
      /weights\.bin: 100 bytes, but model\.json declares/,
    );
    const trunc = copyRun();
    const st = path.join(trunc, 'checkpoint', 'state.json');
    fs.writeFileSync(st, fs.readFileSync(st, 'utf8').slice(0, 40));
    refused(await train(trunc, '--seed', '3', '--iterations', '2', '--resume'), /state\.json:\d+: invalid JSON/);
  });

  test('a model.json weights path cannot leave the checkpoint folder', async () => {
    const dir = copyRun();
    const p = path.join(dir, 'checkpoint', 'model.json');
    const m = JSON.parse(fs.readFileSync(p, 'utf8'));
    m.weightsManifest[0].paths = ['../../../../etc/hostname'];
    fs.writeFileSync(p, JSON.stringify(m));
    refused(
      await cli([
        'evaluate',
        '--checkpoint',
        dir,
        '--jobs',
        path.join(root, 'none.json'),
        '--out',
        path.join(dir, 'ev'),
      ]),
      /weights path "\.\.\/\.\.\/\.\.\/\.\.\/etc\/hostname" must name a file in/,
    );
  });

  test('evaluate honours the checkpoint.old fallback; orphan checkpoint temporaries are cleaned', async () => {
    const dir = copyRun();
    fs.renameSync(path.join(dir, 'checkpoint'), path.join(dir, 'checkpoint.old'));
    const jobs = path.join(root, 'jobs.json');
    assert.equal(
      (
        await cli([
          'deeprm',
          'generate',
          '--num-ex',
          '2',
          '--simu-len',
          '10',
          '--num-nw',
          '5',
          '--seed',
          '9',
          '--out',
          jobs,
        ])
      ).code,
      0,
    );
    const ev = await cli([
      'evaluate',
      '--checkpoint',
      dir,
      '--jobs',
      jobs,
      '--policy',
      'sjf',
      '--no-stochastic',
      '--out',
      path.join(root, 'ev-old'),
    ]);
    assert.equal(ev.code, 0, ev.err);
    // A killed save leaves checkpoint.tmp-<pid>-<n>; a dead pid's is removed by the next save.
    const run = copyRun();
    const orphan = path.join(run, 'checkpoint.tmp-4194305-0');
    fs.mkdirSync(orphan);
    assert.equal((await train(run, '--seed', '3', '--iterations', '2', '--resume')).code, 0);
    assert.ok(!fs.existsSync(orphan));
  });

  test('pg: the final weights do not depend on --eval-every (evaluation draws on no training randomness)', async () => {
    const a = path.join(root, 'every0');
    const b = path.join(root, 'every2');
    assert.equal((await train(a, '--seed', '3', '--iterations', '4')).code, 0);
    const r = await cli([
      'train',
      '--agent',
      'pg',
      '--config',
      config,
      '--eval-every',
      '2',
      '--quiet',
      '--seed',
      '3',
      '--iterations',
      '4',
      '--out',
      b,
    ]);
    assert.equal(r.code, 0, r.err);
    for (const f of ['weights.bin', 'arrays.bin'])
      assert.ok(
        fs.readFileSync(path.join(a, 'checkpoint', f)).equals(fs.readFileSync(path.join(b, 'checkpoint', f))),
        `${f} differs between --eval-every 0 and 2`,
      );
  });

  test('dqn checkpoints periodically when trained from the CLI', () => {
    const cfg = resolveAgentConfig('dqn', makeDeeprmTask({ simuLen: 10, numNw: 5, numTrainSets: 2 }), {});
    assert.ok(
      (cfg.checkpointEvery as number) > 0 && (cfg.checkpointEvery as number) <= (cfg.totalSteps as number) / 10,
    );
  });
});
