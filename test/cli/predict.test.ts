/**
 * `lepton predict` end to end on a hand-made 4-job SWF trace: the accuracy table's MAE equals the
 * hand computation under the documented protocol (a job is predicted at its submit time from the
 * jobs whose submit + duration has passed; before any, the prior), manifest written, bad input = 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../helpers/cli';
import { HISTORY_DEFAULTS } from '../../src/predict/history';

// id submit wait run procs avgcpu mem reqprocs reqtime reqmem status user group exe queue partition prev think
const SWF = [
  '; a hand-made trace for test/cli/predict.test.ts',
  '1 0 0 100 1 -1 -1 1 -1 -1 1 1 1 -1 -1 -1 -1 -1',
  '2 10 0 300 1 -1 -1 1 -1 -1 1 1 1 -1 -1 -1 -1 -1',
  '3 500 0 200 1 -1 -1 1 -1 -1 1 1 1 -1 -1 -1 -1 -1',
  '4 1000 0 50 1 -1 -1 1 -1 -1 1 2 1 -1 -1 -1 -1 -1',
].join('\n');

/** accuracy.csv as records (its fields hold no commas or quotes). */
function readCsv(file: string): Record<string, string>[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])));
}

/** Geometric mean in log1p space, the history statistic. */
const gm = (...xs: number[]): number => Math.expm1(xs.reduce((s, x) => s + Math.log1p(x), 0) / xs.length);

test('lepton predict: hand-computed MAE of the global predictor, accuracy.csv and manifest', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-predict-'));
  const trace = path.join(dir, 'four.swf');
  fs.writeFileSync(trace, SWF + '\n');
  const out = path.join(dir, 'out');
  const r = await cli(['predict', '--trace', trace, '--predictor', 'global', '--out', out]);
  assert.equal(r.code, 0, r.err);
  // Job 1 and 2 arrive before anything finished (job 1 is learned at 100): the prior. Job 3 (t=500)
  // knows jobs 1 and 2 (learned at 100 and 310); job 4 (t=1000) knows jobs 1-3.
  const prior = HISTORY_DEFAULTS.prior;
  const pred = [prior, prior, gm(100, 300), gm(100, 300, 200)];
  const truth = [100, 300, 200, 50];
  const mae = pred.reduce((s, p, i) => s + Math.abs(p - truth[i]), 0) / 4;
  const rows = readCsv(path.join(out, 'accuracy.csv'));
  assert.equal(rows.length, 1);
  assert.equal(rows[0].predictor, 'global');
  assert.equal(Number(rows[0].jobs), 4);
  assert.equal(Number(rows[0].coldStart), 2);
  assert.ok(Math.abs(Number(rows[0].mae_s) - mae) < 1e-6 * mae, `${rows[0].mae_s} vs ${mae}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
    config: { predictors: string[]; protocol: string };
  };
  assert.deepEqual(manifest.config.predictors, ['global']);
  assert.equal(manifest.config.protocol, 'learned at submit + duration');
  fs.rmSync(dir, { recursive: true });
});

test('lepton predict refuses an unknown predictor with exit 2 and the valid names', async () => {
  const r = await cli(['predict', '--trace', 'philly', '--predictor', 'oracle']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown predictor 'oracle'; valid predictors: .*history/);
});
