/**
 * The README test's own machinery (scripts/readme-test.ts): which lines count as commands, that its
 * list of special cases matches the README, and that a failing command fails the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readmeCommands, SPECIAL } from '../../scripts/readme-test';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'readme-test.ts');

test('commands: bash blocks only, continuations joined, comment and blank lines dropped', () => {
  const md = [
    '```bash',
    'echo a   # trailing comment stays (bash ignores it)',
    '',
    '# a comment line',
    'echo b \\',
    '    --flag c',
    '```',
    '```',
    'not a command (no language)',
    '```',
    '```python',
    'print(1)',
    '```',
  ].join('\n');
  assert.deepEqual(readmeCommands(md), ['echo a   # trailing comment stays (bash ignores it)', 'echo b --flag c']);
});

test('every special case is a README command, and the README has commands that run', () => {
  const commands = readmeCommands(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  for (const k of Object.keys(SPECIAL)) assert.ok(commands.includes(k), `SPECIAL entry not in README.md: ${k}`);
  assert.ok(commands.filter((c) => !(c in SPECIAL)).length >= 15, 'README commands run verbatim');
  assert.ok(commands.some((c) => c.startsWith('npx lepton train')));
});

function runScript(markdown: string): { status: number | null; out: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lepton-readme-')), 'README.md');
  writeFileSync(file, markdown);
  // --keep: never delete anything in the repository while other test files run beside this one.
  const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, '--readme', file, '--keep'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('a failing command fails the README test (exit 1, named with its output)', () => {
  const r = runScript('```bash\ntrue\necho boom >&2; exit 3\n```\n');
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /FAIL .*echo boom/);
  assert.match(r.out, /exit code 3/);
  assert.match(r.out, /boom/);
  assert.match(r.out, /1\/2 commands passed/);
});

test('all commands passing: exit 0', () => {
  const r = runScript('```bash\ntrue\ntest -f package.json   # runs from the repository root\n```\n');
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /2\/2 commands passed/);
});

test('.ci/run runs the README test as a step, after npm test and before the benchmarks', () => {
  const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
  const at = (re: RegExp): number => {
    const m = re.exec(ci);
    assert.ok(m, `.ci/run has ${re}`);
    return m.index;
  };
  const readme = at(/^npx tsx scripts\/readme-test\.ts$/m);
  assert.ok(at(/^npm test$/m) < readme);
  assert.ok(readme < at(/^\s*npm run bench:quick$/m));
});
