import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { sharedDataset } from '../../src/workload/traces';

test('lepton rlsched replay writes the spec output format, deterministically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlsched-cli-'));
  const args = (out: string): string[] => [
    'rlsched',
    'replay',
    '--trace',
    sharedDataset('hpc-swf', 'HPC2N-2002-2.2-cln.swf.gz'),
    '--len',
    '64',
    '--iter',
    '3',
    '--seed',
    '7',
    '--slice',
    '10000',
    '--policy',
    'sjf,f1',
    '--backfill',
    'both',
    '--out',
    out,
  ];
  assert.equal(await main(args(join(dir, 'a.json'))), 0);
  assert.equal(await main(args(join(dir, 'b.json'))), 0);
  const a = readFileSync(join(dir, 'a.json'), 'utf8');
  assert.equal(a, readFileSync(join(dir, 'b.json'), 'utf8'), 'same seed → byte-identical output');
  const o = JSON.parse(a);
  assert.deepEqual(o.protocol, { seq_len: 64, iters: 3, seed: 7, slice: 10000, start_index_range: [64, 9935] });
  assert.deepEqual(o.cluster, { max_nodes: 240, max_procs: 240 });
  assert.equal(o.sequences.length, 3);
  assert.equal(o.sequences[0].job_ids.length, 64);
  assert.deepEqual(Object.keys(o.results), ['no_backfill', 'backfill']);
  for (const m of ['no_backfill', 'backfill']) {
    assert.deepEqual(Object.keys(o.results[m]), ['sjf', 'f1']);
    const r = o.results[m].sjf;
    assert.equal(r.per_sequence.length, 3);
    assert.equal(r.start_times.length, 3);
    assert.equal(r.start_times[0].length, 64);
    const mean = r.per_sequence.reduce((x: number, y: number) => x + y, 0) / 3;
    assert.ok(Math.abs(mean - r.mean_bsld) < 1e-9 * mean);
  }
});

test('lepton rlsched replay rejects bad input with exit 2', async () => {
  const t = sharedDataset('hpc-swf', 'lublin_256.swf');
  for (const extra of [
    ['--policy', 'fifo'],
    ['--backfill', 'maybe'],
    ['--len', '0'],
    ['--len', '6000'],
    ['--slice', '20000'],
    ['--iter', '1.5'],
  ]) {
    const code = await main(['rlsched', 'replay', '--trace', t, '--out', '/tmp/never.json', ...extra]);
    assert.equal(code, 2, extra.join(' '));
  }
  assert.equal(await main(['rlsched', 'replay', '--trace', '/nonexistent.swf', '--out', '/tmp/x.json']), 2);
});

test('lepton train --env rlsched + lepton evaluate --rlsched-trace: agent beside the heuristics on identical sequences', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlsched-train-'));
  const trace = sharedDataset('hpc-swf', 'lublin_256.swf');
  const train = [
    'train',
    '--env',
    'rlsched',
    '--trace',
    trace,
    '--agent',
    'qlearning',
    '--iterations',
    '1',
    '--eval-every',
    '0',
    '--no-final-heldout',
    '--quiet',
    '--seed',
    '1',
    '--out',
    join(dir, 'run'),
  ];
  assert.equal(await main(train), 0);
  const ev = (out: string): string[] => [
    'evaluate',
    '--checkpoint',
    join(dir, 'run'),
    '--rlsched-trace',
    trace,
    '--len',
    '64',
    '--iter',
    '2',
    '--policy',
    'sjf,f1',
    '--out',
    out,
  ];
  assert.equal(await main(ev(join(dir, 'ev'))), 0);
  const summary = readFileSync(join(dir, 'ev', 'summary.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(summary[0], 'policy,mode,mean_bsld,ci95_lo,ci95_hi,sequences');
  assert.deepEqual(
    summary.slice(1).map((l) => l.split(',').slice(0, 2).join(',')),
    ['sjf,no_backfill', 'f1,no_backfill', 'qlearning,no_backfill', 'sjf,backfill', 'f1,backfill', 'qlearning,backfill'],
  );
  // the heuristic rows equal `lepton rlsched replay` on the same protocol
  assert.equal(
    await main([
      'rlsched',
      'replay',
      '--trace',
      trace,
      '--len',
      '64',
      '--iter',
      '2',
      '--policy',
      'sjf',
      '--out',
      join(dir, 'r.json'),
    ]),
    0,
  );
  const replay = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  const sjfRow = summary[1].split(',');
  assert.equal(Number(sjfRow[2]), replay.results.no_backfill.sjf.mean_bsld);
  const m = JSON.parse(readFileSync(join(dir, 'ev', 'manifest.json'), 'utf8'));
  assert.deepEqual(
    m.extra.starts,
    replay.sequences.map((s: { start_index: number }) => s.start_index),
  );
});
