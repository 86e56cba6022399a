/**
 * Issue 7 §1, re-verified from the CLI as a new user would (items 4, 6, 7): policy
 * config files and --policy-opt, sweep plans (JSON and YAML), byte-order marks,
 * directories where files are expected, a file where a folder is expected and a
 * read-only --out. Each case must be a clear error with exit 2 naming the file, or a
 * correct run.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cli } from '../helpers/cli';
import { loadPlan } from '../../src/sweep/plan';

const tmp = mkdtempSync(path.join(tmpdir(), 'lepton-bound-'));
let k = 0;
function file(name: string, text: string | Buffer): string {
  const dir = path.join(tmp, String(k++));
  mkdirSync(dir);
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}
const out = (): string => path.join(tmp, `out-${k++}`);
const TRACE = file(
  't.csv',
  'timestamp,duration,num_gpus,gpu_time,cluster\n2017-10-09 07:01:55,66.0,1,66.0,vc1\n2017-10-09 07:02:00,100.0,2,200.0,vc1\n',
);
const simulate = (...extra: string[]) =>
  cli([
    'simulate',
    '--trace',
    TRACE,
    '--cluster',
    'uniform:2x4',
    '--policy',
    'fifo,tiresias',
    '--quiet',
    '--no-report',
    ...extra,
  ]);

function refused(r: { code: number; err: string }, re: RegExp): void {
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}; stderr: ${r.err}`);
  assert.match(r.err, re);
}

describe('policy config files (--config) and --policy-opt', () => {
  const cases: [string, string, RegExp][] = [
    [
      '__proto__ as a policy',
      '{"policyOptions": {"__proto__": {"x": 1}}}',
      /c\.json: unknown key '__proto__' in 'policyOptions'/,
    ],
    [
      '__proto__ as an option',
      '{"policyOptions": {"tiresias": {"__proto__": {"x": 1}}}}',
      /c\.json: unknown key '__proto__' in 'policyOptions\.tiresias'/,
    ],
    ['__proto__ at the top', '{"__proto__": {"restartOverhead": 5}}', /c\.json: unknown key '__proto__'/],
    [
      'constructor as an option',
      '{"policyOptions": {"tiresias": {"constructor": 1}}}',
      /c\.json: .*no option 'constructor'/,
    ],
    ['unknown policy', '{"policyOptions": {"tiresia": {}}}', /c\.json: policyOptions: unknown policy 'tiresia'/],
    ['a string for a number list', '{"policyOptions": {"tiresias": {"thresholds": "3600"}}}', /c\.json: .*thresholds/],
    [
      'negative restartOverhead',
      '{"restartOverhead": -1}',
      /c\.json: field 'restartOverhead': must be a number in \[0, /,
    ],
    [
      'restartOverhead 1e300',
      '{"restartOverhead": 1e300}',
      /c\.json: field 'restartOverhead': must be a number in \[0, /,
    ],
    ['unknown key', '{"restartOverhed": 1}', /c\.json: unknown key 'restartOverhed'/],
    ['truncated', '{"restartOverhead": 1', /c\.json:1: invalid JSON/],
  ];
  for (const [name, text, re] of cases)
    test(`--config: ${name} is refused`, async () =>
      refused(await simulate('--config', file('c.json', text), '--out', out()), re));

  test('--config with a byte-order mark is read like one without', async () => {
    const config = async (text: string): Promise<unknown> => {
      const o = out();
      const r = await simulate('--config', file('c.json', text), '--out', o);
      assert.equal(r.code, 0, r.err);
      return (JSON.parse(readFileSync(path.join(o, 'manifest.json'), 'utf8')) as { config: unknown }).config;
    };
    const a = await config('\uFEFF{"restartOverhead": 7}');
    assert.deepEqual(a, await config('{"restartOverhead": 7}'));
    assert.match(JSON.stringify(a), /"restartOverhead":7/);
  });
  test('--config that is a folder or missing names it', async () => {
    refused(await simulate('--config', tmp, '--out', out()), /cannot read .*: is a directory/);
    refused(
      await simulate('--config', path.join(tmp, 'none.json'), '--out', out()),
      /cannot read .*none\.json: no such file/,
    );
  });
  test('--policy-opt: __proto__, constructor, a repeated key, a bad value', async () => {
    refused(await simulate('--policy-opt', '__proto__.x=1', '--out', out()), /unknown policy '__proto__'/);
    refused(await simulate('--policy-opt', 'tiresias.__proto__=1', '--out', out()), /no option '__proto__'/);
    refused(await simulate('--policy-opt', 'tiresias.constructor=1', '--out', out()), /no option 'constructor'/);
    refused(
      await simulate('--policy-opt', 'tiresias.thresholds=5,tiresias.thresholds=6', '--out', out()),
      /--policy-opt sets tiresias\.thresholds twice/,
    );
    refused(await simulate('--policy-opt', 'tiresias.thresholds=1e400', '--out', out()), /tiresias\.thresholds=1e400/);
  });
  test('--policy-opt wins over --config (documented), and both reach the policy', async () => {
    const cfg = file('c.json', '{"policyOptions": {"tiresias": {"thresholds": [1]}}}');
    const o = out();
    const r = await simulate('--config', cfg, '--policy-opt', 'tiresias.thresholds=2', '--out', o);
    assert.equal(r.code, 0, r.err);
    const m = JSON.parse(readFileSync(path.join(o, 'manifest.json'), 'utf8')) as { config: Record<string, unknown> };
    assert.match(JSON.stringify(m.config), /"thresholds":\[2\]/);
  });
});

describe('sweep plans (JSON and YAML)', () => {
  const PLAN = readFileSync(path.join(__dirname, '..', 'fixtures', 'sweep', 'plan24.yaml'), 'utf8');
  const asJson = (): Record<string, unknown> =>
    loadPlan(file('p.yaml', PLAN)).plan as unknown as Record<string, unknown>;

  test('a byte-order mark is accepted in both, and JSON equals YAML', () => {
    const y = loadPlan(file('p.yaml', '\uFEFF' + PLAN)).plan;
    const j = loadPlan(file('p.json', '\uFEFF' + JSON.stringify(asJson()))).plan;
    assert.deepEqual(j, y);
  });
  test('__proto__ and constructor keys are refused at any depth, in JSON and YAML', () => {
    const bad: [string, string, RegExp][] = [
      ['p.yaml', PLAN + '__proto__: {x: 1}\n', /p\.yaml: unknown key '__proto__'/],
      ['p.yaml', PLAN + 'constructor: 1\n', /p\.yaml: unknown key 'constructor'/],
      [
        'p.yaml',
        PLAN.replace('options:\n', 'options:\n  __proto__: {embeddedJobs: 5}\n'),
        /unknown key '__proto__' in 'options'/,
      ],
      [
        'p.json',
        JSON.stringify({ ...asJson(), grid: { ...(asJson().grid as object), prototype: [1] } }),
        /unknown key 'prototype' in 'grid'/,
      ],
      [
        'p.json',
        JSON.stringify(asJson()).replace('{', '{"__proto__": {"name": "x"},'),
        /p\.json: unknown key '__proto__'/,
      ],
      ['p.json', JSON.stringify(asJson()).slice(0, 40), /p\.json:1: invalid JSON/],
      [
        'p.yaml',
        PLAN.replace(/^name: .*$/m, 'name: !!js/function "function(){}"'),
        /p\.yaml:2: not valid YAML: unknown tag/,
      ],
      ['p.yaml', PLAN + 'name: again\n', /p\.yaml:\d+: not valid YAML: duplicated mapping key/],
      ['p.yaml', Buffer.alloc(1000).toString(), /not valid YAML: null byte/],
      ['p.yaml', PLAN.replace('embeddedJobs: 400', 'embeddedJobs: 1e9'), /field 'options\.embeddedJobs'/],
    ];
    for (const [name, text, re] of bad) assert.throws(() => loadPlan(file(name, text)), re, name);
  });
  test('from the CLI: a plan that is a folder, a bad plan, exit 2', async () => {
    refused(await cli(['sweep', 'status', tmp]), /cannot read the plan \(is a directory/);
    refused(await cli(['sweep', 'status', file('p.yaml', PLAN + 'extra: 1\n')]), /p\.yaml: unknown key 'extra'/);
    refused(
      await cli(['sweep', file('p.yaml', PLAN), '--workers', '0']),
      /option '--workers' expects an integer in \[1, 256\]/,
    );
  });
});

describe('files and folders where the other is expected', () => {
  test('--trace, --cluster, --jobs, --checkpoint that are folders name the path (exit 2)', async () => {
    refused(await cli(['simulate', '--trace', tmp, '--quiet', '--out', out()]), /cannot read .*: is a directory/);
    const d = path.join(tmp, 'd.json');
    mkdirSync(d);
    const c = ['--policy', 'fifo', '--quiet', '--out', out()];
    refused(await cli(['simulate', '--trace', TRACE, '--cluster', d, ...c]), /cannot read .*d\.json: is a directory/);
    refused(
      await cli(['deeprm', 'replay', '--jobs', tmp, '--out', path.join(tmp, 'r.json')]),
      /cannot read .*: is a directory/,
    );
  });
  test('an output under a file (ENOTDIR): exit 2 naming the output, no temporary left', async () => {
    const parent = file('plain.txt', 'x');
    const g = await cli(['deeprm', 'generate', '--num-ex', '1', '--out', path.join(parent, 'j.json')]);
    refused(g, /cannot write .*plain\.txt\/j\.json: a parent of this path is a file/);
    refused(await simulate('--out', path.join(parent, 'sub')), /plain\.txt/);
    refused(await cli(['deeprm', 'generate', '--num-ex', '1', '--out', tmp]), /cannot write .*: is a directory/);
    assert.deepEqual(readdirSync(path.dirname(parent)), ['plain.txt']);
  });
});

/**
 * A read-only --out. Root ignores permission bits, so as root the folder is made
 * immutable with chattr +i where the file system allows it; otherwise the case is
 * skipped (a file where a folder is expected, above, covers the same code path).
 */
function makeReadOnly(dir: string): (() => void) | null {
  if (process.getuid?.() !== 0) {
    execFileSync('chmod', ['0555', dir]);
    return () => execFileSync('chmod', ['0755', dir]);
  }
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return () => execFileSync('chattr', ['-i', dir], { stdio: 'ignore' });
}

test('a read-only --out parent fails fast, before simulating, naming the folder', async (t) => {
  const ro = path.join(tmp, `ro-${k++}`);
  mkdirSync(ro);
  const undo = makeReadOnly(ro);
  if (!undo) return t.skip('running as root without chattr: permissions cannot be enforced');
  try {
    const r = await simulate('--out', path.join(ro, 'run'));
    refused(r, new RegExp(`${path.basename(ro)}.*(permission denied|operation not permitted|read-only)`, 'i'));
    assert.doesNotMatch(r.out, /finished|JCT/);
    const g = await cli(['deeprm', 'generate', '--num-ex', '1', '--out', path.join(ro, 'j.json')]);
    refused(g, /j\.json: (permission denied|operation not permitted)/i);
  } finally {
    undo();
  }
  assert.ok(!existsSync(path.join(ro, 'run')));
  rmSync(ro, { recursive: true });
});
