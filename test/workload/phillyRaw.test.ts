import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPhillyRaw, topLevelElementLines } from '../../src/workload/loaders/phillyRaw';
import { TraceError } from '../../src/util/errors';

const FIXTURES = join(__dirname, '..', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'lepton-raw-'));

describe('raw Philly cluster_job_log (fixture)', () => {
  const file = join(FIXTURES, 'philly_cluster_job_log_sample.json');
  const w = loadPhillyRaw(file);

  test('usable jobs: duration summed over attempts, GPUs of the first attempt, origin = earliest submit', () => {
    assert.deepEqual(
      w.jobs.map((j) => [j.id.slice(-5), j.submit, j.duration, j.gpus, j.group, j.status, j.line]),
      [
        ['00002', 0, 3600, 16, 'b436b2', 'Killed', 39], // two 8-GPU nodes, 00:05–01:05
        ['14199', 4299, 74 + 193182, 8, 'ee9e8c', 'Pass', 2], // README example: 193,256 s
        ['00005', 86400, 600, 1, '6214e9', 'Failed', 84],
      ],
    );
  });

  test('unreplayable jobs are counted in skipped with the reason', () => {
    assert.deepEqual(
      w.source.skipped.map((s) => [s.line, s.reason.split(' ').slice(0, 3).join(' ')]),
      [
        [31, 'no scheduling attempt'],
        [56, 'still running at'],
        [70, 'attempt 0 has'],
      ],
    );
    assert.equal(w.source.rowsRead, 6);
    assert.equal(w.source.rowsRead, w.jobs.length + w.source.filtered + w.source.skipped.length);
    assert.equal(loadPhillyRaw(file, { group: '6214e9' }).jobs.length, 1);
  });

  test('element line finder ignores brackets inside strings', () => {
    assert.deepEqual(topLevelElementLines('[\n {"a": "[{,"},\n\n {"b": [1, {"c": 2}]}, 3\n]'), [2, 4, 4]);
  });

  test('malformed entries: TraceError with file:line and field, or skipped with skipInvalid', () => {
    const f = join(tmp, 'bad.json');
    writeFileSync(
      f,
      JSON.stringify(
        [
          {
            status: 'Pass',
            vc: 'a',
            jobid: 'j1',
            user: 'u',
            submitted_time: '2017-10-07 00:00:00',
            attempts: [
              {
                start_time: '2017-10-07 00:00:00',
                end_time: '2017-10-07 00:01:00',
                detail: [{ ip: 'm', gpus: ['gpu0'] }],
              },
            ],
          },
          {
            status: 'Pass',
            vc: 'a',
            jobid: 'j2',
            user: 'u',
            submitted_time: '2017-10-07 00:00:00',
            attempts: [
              {
                start_time: '2017-10-07 00:02:00',
                end_time: '2017-10-07 00:01:00',
                detail: [{ ip: 'm', gpus: ['gpu0'] }],
              },
            ],
          },
          { status: 'Pass', vc: 'a', jobid: 'j3', user: 'u', submitted_time: 'yesterday', attempts: [] },
        ],
        null,
        1,
      ),
    );
    const lines = topLevelElementLines(readFileSync(f, 'utf8'));
    assert.throws(
      () => loadPhillyRaw(f),
      (e: unknown) =>
        e instanceof TraceError &&
        e.message.startsWith(`${f}:${lines[1]}: field 'attempts[0].end_time': before start_time`),
    );
    const s = loadPhillyRaw(f, { skipInvalid: true });
    assert.deepEqual([s.jobs.length, s.source.skipped.map((x) => x.line)], [1, [lines[1], lines[2]]]);
    assert.match(s.source.skipped[1].reason, /field 'submitted_time'/);
    const notJson = join(tmp, 'x.json');
    writeFileSync(notJson, '[{"a":');
    assert.throws(
      () => loadPhillyRaw(notJson),
      (e: unknown) => e instanceof TraceError && e.message.startsWith(`${notJson}:1:`),
    );
  });
});
