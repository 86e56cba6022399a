import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cli } from '../helpers/cli';

test('start labels oracle policies under its table, as simulate does', async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'lepton-start-')), 'run');
  const r = await cli(['start', '--seeds', '1', '--policy', 'fifo,srtf', '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /oracle policies \(they read what no scheduler knows at submit time\):\n {2}srtf: /);
  assert.doesNotMatch(r.out, /\n {2}fifo: /);
});

/** Parses a plain CSV (no quoted fields) into header-keyed rows. */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])));
}

test('start across seeds: bootstrap bounds named in the header, inside the per-seed values', async () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'lepton-start-')), 'run');
  const seeds = [1, 2, 3];
  const r = await cli(['start', '--seeds', seeds.join(','), '--policy', 'fifo,sjf', '--out', out, '--quiet']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /mean \[95% interval: percentile bootstrap of the mean over seeds/);
  assert.doesNotMatch(r.out, /±/);
  const across = readCsv(path.join(out, 'summary.csv'));
  const perSeed = seeds.map((s) => readCsv(path.join(out, `seed-${s}`, 'summary.csv')));
  assert.deepEqual(
    across.map((row) => row.policy),
    ['fifo', 'sjf'],
  );
  for (const [p, row] of across.entries()) {
    assert.equal(row.seeds, '1 2 3');
    for (const key of ['jctMean', 'queueMean', 'bsldMean', 'utilGpu', 'makespan']) {
      const unitKey = Object.keys(perSeed[0][p]).find((k) => k.startsWith(`${key}_`))!;
      const values = perSeed.map((rows) => Number(rows[p][unitKey]));
      const [mean, lo, hi] = ['mean', 'boot95_lo', 'boot95_hi'].map((s) => Number(row[`${key}_${s}`]));
      const avg = values.reduce((a, b) => a + b, 0) / values.length;
      assert.ok(Math.abs(mean - avg) <= 1e-6 * Math.max(1, avg), `${row.policy} ${key} mean ${mean} vs ${avg}`);
      assert.ok(lo >= Math.min(...values) - 1e-6 && hi <= Math.max(...values) + 1e-6, `${row.policy} ${key}`);
      assert.ok(lo <= hi && lo >= 0, `${row.policy} ${key} [${lo}, ${hi}]`);
    }
  }
});
