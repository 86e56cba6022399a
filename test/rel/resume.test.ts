/**
 * Kill-and-resume equals an uninterrupted run (issue 7 §2): a training subprocess is
 * SIGKILLed at random instants and inside a checkpoint swap, resumed with --resume
 * until it finishes, and its final weights, optimizer state and learning curve (wall
 * time aside) must equal, byte for byte, those of a run that was never interrupted.
 *
 * Covered: pg (REINFORCE), whose resume is exact. a2c/ppo restart their env episodes
 * at a resume and dqn refills its replay buffer (docs/training.md), so for them a
 * resumed run is a different (valid) run; qlearning keeps no checkpoint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../src/util/rng';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-rel-resume-'));
const config = path.join(root, 'config.json');
fs.writeFileSync(
  config,
  JSON.stringify({
    rolloutsPerJobSet: 2,
    jobSetsPerBatch: 2,
    checkpointEvery: 1,
    env: { simuLen: 10, numNw: 5, numTrainSets: 2, numValidationSets: 2, numHeldOutSets: 2, evalEpisodeCap: 300 },
  }),
);
const ITERATIONS = 8;
const args = (out: string): string[] => [
  'train',
  '--agent',
  'pg',
  '--seed',
  '5',
  '--iterations',
  String(ITERATIONS),
  '--eval-every',
  '3',
  '--no-final-heldout',
  '--config',
  config,
  '--quiet',
  '--out',
  out,
];

/** Runs the CLI from source; kills it with SIGKILL after `killAfterMs` (if given). */
function run(argv: string[], opts: { killAfterMs?: number; fault?: string } = {}): Promise<number | 'killed'> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '..', 'helpers', 'run-cli.ts'), ...argv],
      {
        env: { ...process.env, ...(opts.fault ? { LEPTON_FAULT: opts.fault } : {}) },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const timer =
      opts.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve(0);
      else reject(new Error(`exit ${code}: ${err}`));
    });
  });
}

/** curve.csv without the wall_seconds column (the only one that may differ). */
function curveWithoutWall(dir: string): string {
  const [head, ...rows] = fs.readFileSync(path.join(dir, 'curve.csv'), 'utf8').trim().split('\n');
  const i = head.split(',').indexOf('wall_seconds');
  return [head, ...rows]
    .map((l) =>
      l
        .split(',')
        .filter((_, k) => k !== i)
        .join(','),
    )
    .join('\n');
}

function sameFiles(a: string, b: string, files: string[]): void {
  for (const f of files)
    assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), `${f} differs`);
}

test('pg: SIGKILL at random points and inside a checkpoint swap, then --resume, equals an uninterrupted run', async () => {
  const straight = path.join(root, 'straight');
  assert.equal(await run(args(straight)), 0);

  // Interrupted: killed inside the 3rd checkpoint swap, then at random instants, resumed until done.
  const cut = path.join(root, 'cut');
  const rng = new Rng(Number(process.env.LEPTON_RESUME_SEED ?? 7));
  let kills = 0;
  let result = await run(args(cut), { fault: 'checkpoint-swap:3' });
  if (result === 'killed') kills++;
  for (let attempt = 0; result !== 0 && attempt < 20; attempt++) {
    const resume =
      fs.existsSync(path.join(cut, 'checkpoint', 'state.json')) ||
      fs.existsSync(path.join(cut, 'checkpoint.old', 'state.json'));
    const argv = resume ? [...args(cut), '--resume'] : args(cut);
    // Start-up (tsx + tfjs) takes ~1 s and the run a few more: kill in 0.7-3.7 s, three times at most.
    result = await run(argv, kills < 3 ? { killAfterMs: 700 + rng.int(0, 3000) } : {});
    if (result === 'killed') kills++;
  }
  assert.equal(result, 0);
  assert.ok(kills >= 1);
  sameFiles(straight, cut, ['checkpoint/weights.bin', 'checkpoint/arrays.bin', 'checkpoint/model.json']);
  assert.equal(curveWithoutWall(cut), curveWithoutWall(straight));
  const s = JSON.parse(fs.readFileSync(path.join(straight, 'checkpoint', 'state.json'), 'utf8'));
  const c = JSON.parse(fs.readFileSync(path.join(cut, 'checkpoint', 'state.json'), 'utf8'));
  assert.deepEqual([c.counters, c.rngs, c.extra], [s.counters, s.rngs, s.extra]);
  // No temporaries left behind.
  assert.deepEqual(
    fs.readdirSync(cut).filter((n) => n.includes('.tmp-') || n.endsWith('.old')),
    [],
  );
});
