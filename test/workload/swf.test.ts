import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSwf, loadSwfCsv, loadSwfRaw } from '../../src/workload/loaders/swf';
import { sharedDataset } from '../../src/workload/traces';
import { TraceError } from '../../src/util/errors';

const tmp = mkdtempSync(join(tmpdir(), 'lepton-swf-'));

describe('SWF CSV conversions (real files)', () => {
  test('NASA iPSC 1993: 18,239 jobs, median run 86 s, 27.1% single-processor, 69 users', () => {
    const w = loadSwf(sharedDataset('hpc-swf', 'nasa_ipsc_1993_cln.csv'));
    assert.equal(w.jobs.length, 18239);
    assert.equal(w.source.rowsRead, 18239);
    assert.equal(w.source.skipped.length, 0);
    const d = w.jobs.map((j) => j.duration).sort((a, b) => a - b);
    assert.equal(d[(d.length - 1) / 2], 86);
    assert.equal(Math.round((w.jobs.filter((j) => j.gpus === 1).length / w.jobs.length) * 1000) / 10, 27.1);
    assert.equal(new Set(w.jobs.map((j) => j.group)).size, 69);
    // first job: 1,0,-1,1451,128,... user 1; status and requested time unknown (-1).
    const j = w.jobs[0];
    assert.deepEqual(
      [j.id, j.submit, j.duration, j.gpus, j.group, j.status, j.estimate, j.line],
      ['1', 0, 1451, 128, '1', undefined, undefined, 2],
    );
  });

  test('Lublin 256: 10,000 jobs, status Completed, user unknown → group ""', () => {
    const w = loadSwf(sharedDataset('hpc-swf', 'lublin_256_synthetic.csv'));
    assert.equal(w.jobs.length, 10000);
    assert.ok(w.jobs.every((j) => j.status === 'Completed' && j.group === ''));
    assert.deepEqual([w.jobs[0].submit, w.jobs[0].duration, w.jobs[0].gpus], [5094, 12072, 16]);
  });
});

describe('raw SWF text', () => {
  const raw = [
    '; Version: 2.2',
    '; MaxProcs: 128',
    '',
    '    1     0  -1   100  4  -1 -1  4   200 -1 1 7 1 -1 -1 -1 -1 -1',
    '    2    10  -1    50 -1  -1 -1  8    -1 -1 5 3 1 -1 -1 -1 -1 -1',
    '\t3\t5\t-1\t-1\t2\t-1\t-1\t2\t-1\t-1\t0\t7\t1\t-1\t-1\t-1\t-1\t-1',
    '    4    20  -1    30  2  -1 -1  2    60 -1 9 -1 1 -1 -1 -1 -1 -1',
    '',
  ].join('\n');

  test('fields, -1 handling, comment lines, real line numbers', () => {
    const f = join(tmp, 'mini.swf');
    writeFileSync(f, raw);
    // Job 3 has run_time -1 (unknown): invalid without skipInvalid.
    assert.throws(
      () => loadSwf(f),
      (e: unknown) =>
        e instanceof TraceError && e.message.startsWith(`${f}:6: field 'run_time': negative or unknown (-1)`),
    );
    const w = loadSwfRaw(f, { skipInvalid: true });
    assert.deepEqual(
      [w.source.rowsRead, w.jobs.length, w.source.skipped.length, w.source.skipped[0].line],
      [4, 3, 1, 6],
    );
    assert.deepEqual(
      w.jobs.map((j) => [j.id, j.submit, j.duration, j.gpus, j.estimate, j.status, j.group, j.line]),
      [
        ['1', 0, 100, 4, 200, 'Completed', '7', 4],
        ['2', 10, 50, 8, undefined, 'Cancelled', '3', 5], // allocated -1 → requested 8
        ['4', 20, 30, 2, 60, '9', '', 7], // unknown status code kept as text
      ],
    );
    assert.equal(loadSwf(f, { skipInvalid: true, group: '7' }).jobs.length, 1);
  });

  test('short line and unknown processor count are TraceErrors naming the field', () => {
    const f = join(tmp, 'short.swf');
    writeFileSync(f, '; c\n1 0 -1 100 4 -1\n');
    assert.throws(
      () => loadSwfRaw(f),
      (e: unknown) => e instanceof TraceError && e.message.startsWith(`${f}:2: field 'used_memory_kb': missing value`),
    );
    const g = join(tmp, 'procs.csv');
    writeFileSync(
      g,
      'job_id,submit_time,wait_time,run_time,allocated_procs,avg_cpu_time,used_memory_kb,requested_procs,requested_time,requested_memory_kb,status,user_id,group_id,executable_id,queue_id,partition_id,preceding_job_id,think_time\n' +
        '1,0,-1,10,-1,-1,-1,-1,-1,-1,1,1,1,-1,-1,-1,-1,-1\n',
    );
    assert.throws(
      () => loadSwfCsv(g),
      (e: unknown) =>
        e instanceof TraceError && e.message.startsWith(`${g}:2: field 'requested_procs': processor count unknown`),
    );
  });
});
