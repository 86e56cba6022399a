import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
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
