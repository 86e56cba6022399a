import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { sharedDataset } from '../../src/workload/traces';

const philly = sharedDataset('philly', 'philly_jobs_pollux.csv');

/** Runs the CLI in-process with stdout/stderr captured. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

test(
  'simulate twice gives byte-identical outputs (manifest aside)',
  { skip: !existsSync(philly) && 'shared Philly trace not found' },
  async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'lepton-sim-'));
    const args = [
      'simulate',
      '--trace',
      'philly',
      '--vc',
      'ee9e8c',
      '--policy',
      'fifo,sjf,tiresias,random',
      '--seed',
      '3',
      '--quiet',
    ];
    const out = path.join(tmp, 'out');
    const files = ['summary.csv', 'jobs.csv', 'report.html'];
    const a = await cli([...args, '--out', out]);
    assert.equal(a.code, 0, a.err);
    const first = files.map((f) => readFileSync(path.join(out, f)));
    const b = await cli([...args, '--out', out]);
    assert.equal(b.code, 0, b.err);
    assert.match(a.out, /policy\s+finished/);
    files.forEach((f, i) => assert.ok(first[i].equals(readFileSync(path.join(out, f))), `${f} differs`));
    const summary = readFileSync(path.join(out, 'summary.csv'), 'utf8').trim().split('\n');
    assert.equal(summary.length, 5); // header + 4 policies
    const jobsRows = readFileSync(path.join(out, 'jobs.csv'), 'utf8').trim().split('\n').length - 1;
    assert.equal(jobsRows, 4 * 1511);
    const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    assert.equal(m.trace.jobs, 1511);
    assert.match(m.trace.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(m.seeds, [3]);
    assert.ok(m.gitRevision && m.node && m.packages);
  },
);

test('a corrupted trace gives a clear file:line error and exit code 2; --skip-invalid counts the row', async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'lepton-bad-'));
  const file = path.join(tmp, 'bad.csv');
  writeFileSync(
    file,
    'timestamp,duration,num_gpus,gpu_time,cluster\n2017-10-09 07:01:55,66.0,1,66.0,vc1\n2017-10-09 07:02:55,abc,1,66.0,vc1\n2017-10-09 07:03:55,10,2,20,vc1\n',
  );
  const bad = await cli([
    'simulate',
    '--trace',
    'philly',
    '--trace-file',
    file,
    '--cluster',
    'uniform:1x4',
    '--out',
    path.join(tmp, 'o'),
    '--quiet',
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad\.csv:3: field 'duration'/);
  const skip = await cli([
    'simulate',
    '--trace',
    'philly',
    '--trace-file',
    file,
    '--cluster',
    'uniform:1x4',
    '--skip-invalid',
    '--out',
    path.join(tmp, 'o'),
    '--quiet',
  ]);
  assert.equal(skip.code, 0, skip.err);
  assert.match(skip.err, /rows read 3 = jobs 2 \+ filtered 0 \+ skipped 1/);
  const fine = path.join(tmp, 'fine.csv');
  writeFileSync(
    fine,
    'timestamp,duration,num_gpus,gpu_time,cluster\n2017-10-09 07:01:55,66.0,1,66.0,vc1\n2017-10-09 07:03:55,10,2,20,vc1\n',
  );
  const big = await cli([
    'simulate',
    '--trace',
    'philly',
    '--trace-file',
    fine,
    '--cluster',
    'uniform:1x1',
    '--out',
    path.join(tmp, 'o'),
    '--quiet',
  ]);
  assert.equal(big.code, 2);
  assert.match(big.err, /fine\.csv:3: field 'gpus'.*can never fit/);
});

test('unknown options and policies are usage errors', async () => {
  const r = await cli(['simulate', '--polcy', 'fifo']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option '--polcy'/);
  const p = await cli(['simulate', '--policy', 'nope']);
  assert.equal(p.code, 2);
  assert.match(p.err, /unknown policy 'nope'/);
  const h = await cli(['simulate', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /Usage: lepton simulate/);
});

test('issue 10 three-job case through the CLI: srtf on uniform:1x4 preempts only B, A ends at 1000', async () => {
  // test/fixtures/three-jobs.csv: A (1 GPU, 1000 s) and B (3 GPUs, 500 s) at 0, C (3 GPUs, 100 s) at 10.
  const tmp = mkdtempSync(path.join(tmpdir(), 'lepton-three-'));
  const fixture = path.join(__dirname, '..', 'fixtures', 'three-jobs.csv');
  const a = await cli([
    'simulate',
    '--trace',
    fixture,
    '--cluster',
    'uniform:1x4',
    '--policy',
    'srtf',
    '--quiet',
    '--out',
    tmp,
  ]);
  assert.equal(a.code, 0, a.err);
  assert.match(
    a.out,
    /oracle policies \(they read what no scheduler knows at submit time\):\n {2}srtf: true remaining times/,
  );
  const rows = readFileSync(path.join(tmp, 'jobs.csv'), 'utf8').trim().split('\n');
  const head = rows[0].split(',');
  const col = (row: string, name: string): string => row.split(',')[head.indexOf(name)];
  const finish = rows.slice(1).map((row) => [col(row, 'duration'), col(row, 'finish'), col(row, 'preemptions')]);
  assert.deepEqual(finish, [
    ['1000', '1000', '0'], // A
    ['500', '600', '1'], // B: preempted at 10, restarts when C ends at 110
    ['100', '110', '0'], // C
  ]);
});

test('policy options reach the policy from --policy-opt and --config, and land in the manifest', async () => {
  // tiresias with thresholds [5, 9] and no ticks on the three-job fixture (A, B at 0; C at 10):
  // at t10 A attained 10 -> queue 2, B 30 -> queue 2, C queue 0; order C, A, B (equal queues by
  // arrival); greedy: C (3 GPUs), A (1) -> B is preempted. With the default threshold (3600) all
  // three share queue 0 and C waits for B instead.
  const fixture = path.join(__dirname, '..', 'fixtures', 'three-jobs.csv');
  const tmp = mkdtempSync(path.join(tmpdir(), 'lepton-opts-'));
  const base = ['simulate', '--trace', fixture, '--cluster', 'uniform:1x4', '--policy', 'tiresias', '--quiet'];
  const finishes = (dir: string): string[] =>
    readFileSync(path.join(dir, 'jobs.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((r) => r.split(',')[11]);
  const viaFlag = path.join(tmp, 'flag');
  const f = await cli([...base, '--policy-opt', 'tiresias.thresholds=5:9,tiresias.tickInterval=0', '--out', viaFlag]);
  assert.equal(f.code, 0, f.err);
  assert.deepEqual(finishes(viaFlag), ['1000', '600', '110']);
  const cfg = path.join(tmp, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ policyOptions: { tiresias: { thresholds: [5, 9], tickInterval: 0 } } }));
  const viaConfig = path.join(tmp, 'config');
  const c = await cli([...base, '--config', cfg, '--out', viaConfig]);
  assert.equal(c.code, 0, c.err);
  assert.deepEqual(finishes(viaConfig), ['1000', '600', '110']);
  const m = JSON.parse(readFileSync(path.join(viaConfig, 'manifest.json'), 'utf8'));
  assert.deepEqual(m.config.policyOptions, { tiresias: { thresholds: [5, 9], tickInterval: 0 } });
  const plain = path.join(tmp, 'plain');
  assert.equal((await cli([...base, '--out', plain])).code, 0);
  assert.deepEqual(finishes(plain), ['1000', '500', '600']);
  // Typos are errors, never ignored.
  writeFileSync(cfg, JSON.stringify({ policyOptions: { tiresias: { treshold: [5] } } }));
  const bad = await cli([...base, '--config', cfg, '--out', path.join(tmp, 'bad')]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /cfg\.json: policyOptions\.tiresias: policy 'tiresias' has no option 'treshold'/);
  const bad2 = await cli([...base, '--policy-opt', 'las.tickInterval=5', '--out', path.join(tmp, 'bad2')]);
  assert.equal(bad2.code, 2);
  assert.match(bad2.err, /options given for policy 'las', which is not in --policy/);
});
