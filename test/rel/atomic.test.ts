/**
 * Killed runs never leave a mixed or truncated output (issue 7 §1.3): `simulate` and
 * `deeprm generate` subprocesses are SIGKILLed at random instants while replacing an
 * older output; after every kill the target holds the complete old output or the
 * complete new one (possibly as OUT.prev, restored by the next run), never a mix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../src/util/rng';
import { recoverOutput } from '../../src/util/atomic';
import { cli } from '../helpers/cli';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-rel-atomic-'));

function run(argv: string[], killAfterMs?: number): Promise<number | 'killed'> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '..', 'helpers', 'run-cli.ts'), ...argv],
      { stdio: 'ignore' },
    );
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : (code ?? -1));
    });
  });
}

/** A Philly-format trace big enough that writing jobs.csv takes a while. */
function trace(n: number): string {
  const f = path.join(root, 'trace.csv');
  let s = 'timestamp,duration,num_gpus,gpu_time,cluster\n';
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2017, 9, 1) + i * 37_000).toISOString().slice(0, 19).replace('T', ' ');
    s += `${t},${(i * 7919) % 5000}.0,${1 + (i % 4)},0.0,vc\n`;
  }
  fs.writeFileSync(f, s);
  return f;
}

/** Which run a simulate output folder holds: every file must agree on the policy list. */
function policiesOf(dir: string): string {
  const summary = fs.readFileSync(path.join(dir, 'summary.csv'), 'utf8').trim().split('\n').slice(1);
  const fromSummary = summary.map((l) => l.split(',')[0]).join(',');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.config.policies.join(','), fromSummary, 'manifest.json and summary.csv disagree');
  const jobs = fs.readFileSync(path.join(dir, 'jobs.csv'), 'utf8');
  assert.ok(jobs.endsWith('\n'), 'jobs.csv is truncated');
  const lines = jobs.trimEnd().split('\n');
  assert.equal(lines.length - 1, summary.length * manifest.trace.jobs, 'jobs.csv row count');
  assert.deepEqual([...new Set(lines.slice(1).map((l) => l.split(',')[0]))].join(','), fromSummary);
  return fromSummary;
}

test('simulate killed at random instants leaves the old set or the new set, never a mix', async () => {
  const t = trace(20_000);
  const out = path.join(root, 'out');
  const base = ['simulate', '--trace', t, '--cluster', 'uniform:8x8', '--quiet', '--out', out];
  assert.equal((await cli([...base, '--policy', 'fifo'])).code, 0);
  assert.equal(policiesOf(out), 'fifo');
  const rng = new Rng(11);
  let finished = false;
  for (let k = 0; k < 4 && !finished; k++) {
    const r = await run([...base, '--policy', 'sjf,fifo'], 800 + rng.int(0, 4000));
    finished = r === 0;
    // A kill between the two renames leaves only OUT.prev: the next writer restores it.
    recoverOutput(out);
    assert.ok(['fifo', 'sjf,fifo'].includes(policiesOf(out)));
  }
  assert.equal((await cli([...base, '--policy', 'sjf,fifo'])).code, 0);
  assert.equal(policiesOf(out), 'sjf,fifo');
  // The finished run cleaned every temporary of the killed ones.
  assert.deepEqual(
    fs.readdirSync(root).filter((n) => n.startsWith('out.')),
    [],
  );
});

test('deeprm generate killed at random instants never leaves a truncated JOBS file', async () => {
  const jobs = path.join(root, 'jobs.json');
  const gen = (seed: number): string[] => [
    'deeprm',
    'generate',
    '--num-ex',
    '3000',
    '--simu-len',
    '50',
    '--seed',
    String(seed),
    '--out',
    jobs,
  ];
  assert.equal((await cli(gen(1))).code, 0);
  const old = fs.readFileSync(jobs, 'utf8');
  const rng = new Rng(5);
  for (let k = 0; k < 3; k++) {
    await run(gen(2), 800 + rng.int(0, 3000));
    const now = fs.readFileSync(jobs, 'utf8');
    const parsed = JSON.parse(now) as { generator: { seed: number } };
    assert.ok(now === old || parsed.generator.seed === 2);
  }
});
