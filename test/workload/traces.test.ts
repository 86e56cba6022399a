import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultTraceFile, detectTraceKind, loadTrace, sharedDir, sharedDataset } from '../../src/workload/traces';
import { repoRoot } from '../../src/util/repoRoot';
import { UsageError } from '../../src/util/errors';

const FIXTURES = join(__dirname, '..', 'fixtures');

describe('trace registry', () => {
  test('shared folder: ../shared beside the repo root, or $LEPTON_SHARED', () => {
    const saved = process.env.LEPTON_SHARED;
    try {
      delete process.env.LEPTON_SHARED;
      assert.equal(sharedDir(), resolve(repoRoot(), '..', 'shared'));
      process.env.LEPTON_SHARED = '/somewhere/else';
      assert.equal(defaultTraceFile('philly'), '/somewhere/else/datasets/philly/philly_jobs_pollux.csv');
    } finally {
      if (saved === undefined) delete process.env.LEPTON_SHARED;
      else process.env.LEPTON_SHARED = saved;
    }
    assert.equal(resolve(repoRoot(), 'package.json'), resolve(__dirname, '..', '..', 'package.json'));
  });

  test('detectTraceKind recognises every shared file and the fixtures', () => {
    const cases: [string, string][] = [
      [defaultTraceFile('philly'), 'philly'],
      [defaultTraceFile('openb'), 'openb'],
      [defaultTraceFile('swf'), 'swf'],
      [sharedDataset('hpc-swf', 'lublin_256_synthetic.csv'), 'swf'],
      [defaultTraceFile('pollux'), 'pollux'],
      [sharedDataset('dl-workloads-pollux-sia', 'sia_sosp23', 'saturn', 'workload-3.csv'), 'pollux'],
      [join(FIXTURES, 'philly_cluster_job_log_sample.json'), 'philly-raw'],
      [join(FIXTURES, 'helios_sample.csv'), 'helios'],
    ];
    for (const [file, kind] of cases) assert.equal(detectTraceKind(file), kind, file);
  });

  test('raw SWF without extension, unknown CSV header', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lepton-detect-'));
    const swf = join(dir, 'log.txt');
    writeFileSync(swf, '; comment\n1 0 -1 10 1 -1 -1 1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n');
    assert.equal(detectTraceKind(swf), 'swf');
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'a,b,c\n1,2,3\n');
    assert.throws(() => detectTraceKind(other), UsageError);
    assert.throws(() => detectTraceKind(join(dir, 'missing.csv')), UsageError);
  });

  test('loadTrace dispatches and passes options; missing file is a UsageError', () => {
    const w = loadTrace('pollux', defaultTraceFile('pollux'), { limit: 5 });
    assert.equal(w.name, 'pollux');
    assert.deepEqual([w.jobs.length, w.source.filtered], [5, 155]);
    assert.equal(loadTrace('helios', join(FIXTURES, 'helios_sample.csv')).jobs.length, 5);
    assert.throws(() => loadTrace('philly-raw', '/nonexistent/cluster_job_log'), /trace file not found.*download\.sh/);
  });
});
