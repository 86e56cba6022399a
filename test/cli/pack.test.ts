/**
 * `lepton pack` end to end on a tiny openb-shaped fixture: every policy on identical orders, the
 * study's files, byte-identical reruns (except the manifest's clock fields), and exit code 2 with a
 * message naming file, line and field for a bad pod row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { parseSeeds } from '../../src/cli/pack';

const FIX = 'test/fixtures/openb';

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(args), out: out.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const base = ['pack', '--pods', `${FIX}/pods.csv`, '--nodes', `${FIX}/nodes.csv`, '--seeds', '1..4', '--grid', '0.1'];

test('lepton pack writes the study and reruns byte-identically', async () => {
  const d1 = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-pack-'));
  const d2 = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-pack-'));
  const r1 = await run([...base, '--out', path.join(d1, 'o')]);
  assert.equal(r1.code, 0, r1.out);
  assert.match(r1.out, /\| fgd \| 4 \|/);
  const r2 = await run([...base, '--out', path.join(d2, 'o')]);
  assert.equal(r2.code, 0, r2.out);
  for (const f of ['summary.csv', 'table.md', 'curves.csv', 'runs.csv', 'figure.svg']) {
    const a = fs.readFileSync(path.join(d1, 'o', f), 'utf8');
    assert.equal(a, fs.readFileSync(path.join(d2, 'o', f), 'utf8'), f);
  }
  const runs = fs
    .readFileSync(path.join(d1, 'o', 'runs.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(runs.length, 1 + 6 * 4); // header + 6 policies × 4 seeds
  // identical pod orders: every policy sees the same number of pods for a seed
  const pods = new Map<string, Set<string>>();
  for (const line of runs.slice(1)) {
    const [, seed, n] = line.split(',');
    if (!pods.has(seed)) pods.set(seed, new Set());
    pods.get(seed)?.add(n);
  }
  for (const s of pods.values()) assert.equal(s.size, 1);
  const m = JSON.parse(fs.readFileSync(path.join(d1, 'o', 'manifest.json'), 'utf8'));
  assert.deepEqual(m.seeds, [1, 2, 3, 4]);
  assert.equal(m.trace.rowsRead, 6); // the Pending pod is a pod request too
  assert.match(fs.readFileSync(path.join(d1, 'o', 'figure.svg'), 'utf8'), /^<svg/);
});

test('lepton pack: bad input → exit 2 naming file, line and field', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-pack-bad-'));
  const bad = path.join(dir, 'pods.csv');
  fs.writeFileSync(
    bad,
    fs.readFileSync(`${FIX}/pods.csv`, 'utf8').replace('p4,8000,16384,2,1000', 'p4,8000,16384,2,500'),
  );
  const r = await run(['pack', '--pods', bad, '--nodes', `${FIX}/nodes.csv`, '--seeds', '1']);
  assert.equal(r.code, 2);
  assert.match(r.out, /pods\.csv:6: field 'gpu_milli'/);
  assert.equal((await run([...base, '--policy', 'fgd,nope'])).code, 2);
  assert.equal((await run([...base.slice(0, -4), '--seeds', '5..3'])).code, 2);
  assert.equal((await run([...base.slice(0, -4), '--seeds', '1000000'])).code, 2);
});

test('parseSeeds: ranges and lists', () => {
  assert.deepEqual(parseSeeds('42..45'), [42, 43, 44, 45]);
  assert.deepEqual(parseSeeds('3,1,2'), [3, 1, 2]);
  assert.throws(() => parseSeeds('1,1'), /repeats/);
  assert.throws(() => parseSeeds('x'), /not an integer/);
});
