import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadRlschedTrace, parseRlschedSwf } from '../../src/rlsched/trace';
import { TraceError } from '../../src/util/errors';

const TEXT = [
  '; Version: 2',
  '; MaxNodes: 8',
  '; MaxProcs: 16',
  // id submit wait run alloc cpu mem reqP reqT reqMem status user group exe queue part prec think
  '3 30 -1 100 2 -1 -1 4 -1 -1 1 5 2 -1 0 x -1 -1', // procs max(2,4)=4; reqT falls back to run; partition 'x' → 0
  '1 10 -1 -5 1 1.5 -1 1 -1 -1 1 2 1 7 0 -1 -1 -1', // negative run: reqT = -5 (raw), run patched to 10
  '2 20 -1 0 1 -1 -1 1 50 -1 1 9 1 1 0 -1 -1 -1', // run 0: dropped (after the maxima are taken)
  '4 40 -1 200 6 -1 -1 -1 300 64 1 1 1 1 0 -1 -1 -1',
  '',
].join('\n');

test('SWF loading follows rule 1: procs max, requested-time fallback, run patching, drop, id order', () => {
  const t = parseRlschedSwf(Buffer.from(TEXT), 'x.swf');
  assert.equal(t.size, 3);
  assert.deepEqual(Array.from(t.jobId), [1, 3, 4]);
  assert.deepEqual(Array.from(t.submit), [10, 30, 40]);
  assert.deepEqual(Array.from(t.run), [10, 100, 200]);
  assert.deepEqual(Array.from(t.reqTime), [-5, 100, 300]);
  assert.deepEqual(Array.from(t.procs), [1, 4, 6]);
  assert.equal(t.maxNodes, 8);
  assert.equal(t.maxProcs, 16);
  assert.equal(t.dropped, 1);
  assert.equal(t.patched, 1);
  assert.equal(t.maxExecTime, 200);
  assert.equal(t.maxUserId, 9, 'maxima include the dropped row, as the original');
  assert.equal(t.maxRequestedMemory, 64);
});

test('MaxProcs defaults to MaxNodes; .swf.gz is read directly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlsched-'));
  const text = TEXT.replace('; MaxProcs: 16\n', '');
  writeFileSync(join(dir, 'a.swf.gz'), gzipSync(Buffer.from(text)));
  const t = loadRlschedTrace(join(dir, 'a.swf.gz'));
  assert.equal(t.maxProcs, 8);
  assert.equal(t.size, 3);
  assert.equal(t.sha256.length, 64);
});

test('bad rows name file, line and field', () => {
  const bad =
    '; MaxNodes: 4\n1 0 -1 10 1 -1 -1 1 -1 -1 1 -1 -1 -1 0 -1 -1 -1\n2 5 -1 1.5 1 -1 -1 1 -1 -1 1 -1 -1 -1 0 -1 -1 -1\n';
  assert.throws(
    () => parseRlschedSwf(Buffer.from(bad), 'b.swf'),
    (e: unknown) => e instanceof TraceError && e.line === 3 && e.field === 'run_time' && /1\.5/.test(e.message),
  );
  assert.throws(
    () => parseRlschedSwf(Buffer.from('; MaxNodes: 4\n1 0 -1 10 1\n'), 'c.swf'),
    (e: unknown) => e instanceof TraceError && e.line === 2 && /18 fields/.test(e.message),
  );
  assert.throws(
    () => parseRlschedSwf(Buffer.from('1 0 -1 10 1 -1 -1 1 -1 -1 1 -1 -1 -1 0 -1 -1 -1\n'), 'd.swf'),
    (e: unknown) => e instanceof TraceError && e.field === 'MaxNodes',
  );
  assert.throws(() => loadRlschedTrace('/nonexistent/x.swf'), TraceError);
});
