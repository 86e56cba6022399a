/**
 * Notebooks are stored stripped and normalised (scripts/check-notebooks.py: no outputs, no execution counts,
 * no absolute paths, the question and "what to try next" cells present), so this fails before CI executes them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

test('notebooks are stored stripped and normalised (scripts/check-notebooks.py)', (t) => {
  const r = spawnSync('python3', [path.join(ROOT, 'scripts', 'check-notebooks.py')], { encoding: 'utf8' });
  if (r.error) return t.skip(`python3 not runnable (${r.error.message}); CI runs the script itself`);
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
