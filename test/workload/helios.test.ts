import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHelios } from '../../src/workload/loaders/helios';
import { TraceError } from '../../src/util/errors';

const FIXTURES = join(__dirname, '..', 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'lepton-helios-'));

describe('Helios cluster_log (fixture)', () => {
  const file = join(FIXTURES, 'helios_sample.csv');

  test('jobs sorted and rebased on the earliest submit; duration column, else end − start', () => {
    const w = loadHelios(file);
    assert.deepEqual(
      w.jobs.map((j) => [j.id, j.submit, j.duration, j.gpus, j.cpus, j.group, j.status, j.line]),
      [
        ['j2', 0, 30, 1, 6, 'vcB', 'FAILED', 3],
        ['j1', 10, 3600, 8, 64, 'vcA', 'COMPLETED', 2],
        ['j6', 21600, 20, 0, 2, 'vcC', 'COMPLETED', 7],
        ['j4', 43200, 86400, 16, 128, 'vcA', 'TIMEOUT', 5],
        ['j5', 86400, 4, 2, 12, 'vcB', 'COMPLETED', 6],
      ],
    );
    assert.deepEqual(
      w.source.skipped.map((s) => [s.line, s.reason]),
      [[4, 'never started (empty start_time)']],
    );
    assert.equal(w.source.rowsRead, 6);
  });

  test('VC filter and window', () => {
    const w = loadHelios(file, { group: 'vcA', from: 5, to: 86400 });
    assert.deepEqual(
      w.jobs.map((j) => j.id),
      ['j1', 'j4'],
    );
    assert.equal(w.source.filtered, 3);
    assert.equal(w.source.rowsRead, w.jobs.length + w.source.filtered + w.source.skipped.length);
  });

  test('negative duration and missing column', () => {
    const f = join(tmp, 'helios_bad.csv');
    writeFileSync(
      f,
      'job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue\n' +
        'a,u,v,1,1,1,COMPLETED,2020-09-01 00:00:00,2020-09-01 00:00:00,2020-09-01 00:00:09,-9,0\n',
    );
    assert.throws(
      () => loadHelios(f),
      (e: unknown) =>
        e instanceof TraceError && e.message.startsWith(`${f}:2: field 'duration': negative duration (-9)`),
    );
    const g = join(tmp, 'helios_nocol.csv');
    writeFileSync(g, 'job_id,user,gpu_num,cpu_num,state,submit_time,start_time,end_time\n');
    assert.throws(
      () => loadHelios(g),
      (e: unknown) => e instanceof TraceError && e.message.startsWith(`${g}:1: field 'vc': missing required column`),
    );
  });
});
