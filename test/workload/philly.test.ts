import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPhilly } from '../../src/workload/loaders/philly';
import { sharedDataset } from '../../src/workload/traces';
import { TraceError } from '../../src/util/errors';
import { Workload } from '../../src/workload/job';

const FILE = sharedDataset('philly', 'philly_jobs_pollux.csv');
const tmp = mkdtempSync(join(tmpdir(), 'lepton-philly-'));
function write(name: string, text: string): string {
  const f = join(tmp, name);
  writeFileSync(f, text);
  return f;
}
function invariant(w: Workload): void {
  assert.equal(w.source.rowsRead, w.jobs.length + w.source.filtered + w.source.skipped.length);
}

describe('Philly job table (real file)', () => {
  const w = loadPhilly(FILE);

  test('82,247 jobs, 93.2% single-GPU, median duration 1,144 s (dataset README)', () => {
    assert.equal(w.jobs.length, 82247);
    assert.equal(w.source.rowsRead, 82247);
    assert.equal(w.source.skipped.length, 0);
    const single = w.jobs.filter((j) => j.gpus === 1).length;
    assert.equal(single, 76627);
    assert.equal(Math.round((single / w.jobs.length) * 1000) / 10, 93.2);
    const d = w.jobs.map((j) => j.duration).sort((a, b) => a - b);
    assert.equal(d[(d.length - 1) / 2], 1144);
    assert.match(w.source.sha256 ?? '', /^[0-9a-f]{64}$/);
  });

  test('sorted by submit, origin = earliest timestamp (2017-09-04 10:30:41, line 31568)', () => {
    for (let i = 1; i < w.jobs.length; i++) assert.ok(w.jobs[i - 1].submit <= w.jobs[i].submit);
    assert.deepEqual(
      {
        id: w.jobs[0].id,
        submit: w.jobs[0].submit,
        line: w.jobs[0].line,
        gpus: w.jobs[0].gpus,
        group: w.jobs[0].group,
      },
      { id: 'philly-31568', submit: 0, line: 31568, gpus: 8, group: '7f04ca' },
    );
    // README example job: row 55, ee9e8c, 8 GPUs, submitted 2017-10-07 01:11:39, 193,256 s.
    const ex = w.jobs.find((j) => j.line === 55)!;
    assert.equal(ex.submit, Date.UTC(2017, 9, 7, 1, 11, 39) / 1000 - Date.UTC(2017, 8, 4, 10, 30, 41) / 1000);
    assert.equal(ex.duration, 193256);
    assert.equal(ex.file, FILE);
  });

  test('VC filter, time window and limit count as filtered', () => {
    const vc = loadPhilly(FILE, { group: 'ee9e8c' });
    assert.equal(vc.jobs.length, 1511);
    assert.ok(vc.jobs.every((j) => j.group === 'ee9e8c'));
    assert.equal(vc.source.filtered, 82247 - 1511);
    invariant(vc);
    assert.equal(vc.jobs[0].submit > 0, true, 'origin stays the whole file’s earliest timestamp');

    const two = loadPhilly(FILE, { group: ['ee9e8c', 'b436b2'] });
    assert.equal(two.jobs.length, 8934);

    // ATC'19 window 2017-10-03 .. 2017-12-15 (inclusive): 73,586 jobs (README).
    const origin = Date.UTC(2017, 8, 4, 10, 30, 41) / 1000;
    const from = Date.UTC(2017, 9, 3) / 1000 - origin;
    const to = Date.UTC(2017, 11, 16) / 1000 - origin;
    const win = loadPhilly(FILE, { from, to });
    assert.equal(win.jobs.length, 73586);
    assert.ok(win.jobs.every((j) => j.submit >= from && j.submit < to));
    invariant(win);
    assert.equal(loadPhilly(FILE, { from, to, group: 'ee9e8c' }).jobs.length, 1220);

    const lim = loadPhilly(FILE, { limit: 10 });
    assert.equal(lim.jobs.length, 10);
    assert.deepEqual(lim.jobs.map((j) => j.line).slice(0, 3), [31568, 54651, 1986]);
    assert.equal(lim.source.filtered, 82237);
    invariant(lim);
  });
});

describe('Philly loader on corrupted copies', () => {
  const header = 'timestamp,duration,num_gpus,gpu_time,cluster\n';
  const good1 = '2017-10-09 07:01:55,66.0,1,66.0,11cb48\n';
  const good2 = '2017-10-09 06:13:03,2951.0,2,5902.0,6214e9\n';

  const cases: [string, string, string, string][] = [
    ['bad number', '2017-10-09 07:00:00,abc,1,0,vc1\n', 'duration', 'not a number'],
    ['negative duration', '2017-10-09 07:00:00,-5,1,0,vc1\n', 'duration', 'negative duration'],
    ['bad timestamp', '2017-10-09T7:00,5,1,0,vc1\n', 'timestamp', 'not a "YYYY-MM-DD HH:MM:SS" time'],
    ['zero GPUs', '2017-10-09 07:00:00,5,0,0,vc1\n', 'num_gpus', 'must be >= 1'],
    ['fractional GPUs', '2017-10-09 07:00:00,5,1.5,0,vc1\n', 'num_gpus', 'not an integer'],
    ['missing value', '2017-10-09 07:00:00,5,1,0\n', 'cluster', 'missing value'],
  ];
  for (const [name, bad, field, reason] of cases) {
    test(`${name}: TraceError names file:line and '${field}'; skipInvalid counts it`, () => {
      const f = write(`${name.replace(/ /g, '_')}.csv`, header + good1 + bad + good2);
      assert.throws(
        () => loadPhilly(f),
        (e: unknown) =>
          e instanceof TraceError &&
          e.message.startsWith(`${f}:3: field '${field}': ${reason}`) &&
          e.line === 3 &&
          e.field === field,
      );
      const w = loadPhilly(f, { skipInvalid: true });
      assert.equal(w.jobs.length, 2);
      assert.equal(w.source.rowsRead, 3);
      assert.equal(w.source.skipped.length, 1);
      assert.deepEqual({ file: w.source.skipped[0].file, line: w.source.skipped[0].line }, { file: f, line: 3 });
      assert.match(w.source.skipped[0].reason, new RegExp(`field '${field}'`));
      invariant(w);
      // Sorted, rebased on the earliest valid timestamp (06:13:03).
      assert.deepEqual(
        w.jobs.map((j) => [j.submit, j.line]),
        [
          [0, 4],
          [48 * 60 + 52, 2],
        ],
      );
    });
  }

  test('missing column: TraceError on line 1 naming the column', () => {
    const f = write('nocol.csv', 'timestamp,duration,gpu_time,cluster\n2017-10-09 07:01:55,66.0,66.0,x\n');
    assert.throws(
      () => loadPhilly(f),
      (e: unknown) =>
        e instanceof TraceError && e.message.startsWith(`${f}:1: field 'num_gpus': missing required column`),
    );
    // skipInvalid does not hide a missing column.
    assert.throws(() => loadPhilly(f, { skipInvalid: true }), TraceError);
  });
});
