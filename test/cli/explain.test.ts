import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

const CK = 'results/deeprm/pg-sets200-seed1';

function capture(): { out: string[]; restore: () => void } {
  const out: string[] = [];
  const orig = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stderr.write;
  return {
    out,
    restore: () => {
      process.stdout.write = orig;
      process.stderr.write = origErr;
    },
  };
}

test('lepton explain on the committed checkpoint writes explain.json', { skip: !fs.existsSync(CK) }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-explain-'));
  const c = capture();
  let code: number;
  try {
    code = await main(['explain', '--checkpoint', CK, '--agreement-sets', '5', '--decision', '0,2', '--out', dir]);
  } finally {
    c.restore();
  }
  try {
    assert.equal(code, 0, c.out.join(''));
    const text = c.out.join('');
    assert.match(text, /Agreement over [\d,]+ decisions/);
    assert.match(text, /Decision 0 \(t = \d+\): picks (void|slot \d+)/);
    const e = JSON.parse(fs.readFileSync(path.join(dir, 'explain.json'), 'utf8'));
    assert.deepEqual(
      e.decisions.map((d: { step: number }) => d.step),
      [0, 2],
    );
    assert.equal(e.schedules.length, 4, 'agent + SJF, Tetris*, Packer');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('lepton explain rejects bad options with a usage error', async () => {
  const c = capture();
  let a: number, b: number;
  try {
    a = await main(['explain']);
    b = await main(['explain', '--checkpoint', CK, '--example', '1000']);
  } finally {
    c.restore();
  }
  assert.equal(a, 2);
  assert.equal(b, 2);
  assert.match(c.out.join(''), /option '--checkpoint DIR' is required/);
  assert.match(c.out.join(''), /example 1000 out of range/);
});
