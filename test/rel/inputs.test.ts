/**
 * Regression tests for the input cases of issue 7 §1 that printed a wrong result with
 * exit code 0 (or hung, or dumped): each must now be a clear error, exit 2, naming
 * the file (and line or field) — or a correct result.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cli } from '../helpers/cli';

const tmp = mkdtempSync(path.join(tmpdir(), 'lepton-rel-'));
let k = 0;
function file(name: string, text: string): string {
  const dir = path.join(tmp, String(k++));
  mkdirSync(dir);
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}
const out = (): string => path.join(tmp, `out-${k++}`);

const PHILLY_HEADER = 'timestamp,duration,num_gpus,gpu_time,cluster\n';
const phillyRows = (rows: string[]): string => PHILLY_HEADER + rows.join('\n') + '\n';
const GOOD = ['2017-10-09 07:01:55,66.0,1,66.0,vc1', '2017-10-09 07:02:00,100.0,2,200.0,vc1'];

/** `lepton simulate` on a small cluster; `extra` options replace the defaults of the same name. */
async function simulate(trace: string, ...extra: string[]) {
  const defaults: Record<string, string | null> = {
    '--cluster': 'uniform:2x4',
    '--policy': 'fifo',
    '--quiet': null,
    '--no-report': null,
    '--out': out(),
  };
  const args = ['simulate', '--trace', trace];
  for (const [name, v] of Object.entries(defaults))
    if (!extra.some((e) => e === name || e.startsWith(name + '='))) args.push(name, ...(v === null ? [] : [v]));
  return cli([...args, ...extra]);
}

/** Exit 2 and a message matching `re` on stderr. */
function refused(r: { code: number; err: string }, re: RegExp): void {
  assert.equal(r.code, 2, `expected exit 2, got ${r.code}; stderr: ${r.err}`);
  assert.match(r.err, re);
}

describe('GPU counts and magnitudes the simulator cannot represent', () => {
  for (const g of ['2147483648', '4294967296', '1e15', '1000000000']) {
    test(`philly num_gpus ${g} is refused with file:line`, async () => {
      const f = file('p.csv', phillyRows([GOOD[0], `2017-10-09 07:03:00,50.0,${g},50.0,vc1`]));
      for (const policy of ['fifo', 'sjf', 'easy', 'tiresias']) {
        const r = await simulate(f, '--policy', policy);
        refused(r, new RegExp(`p\\.csv:3: field '(num_gpus|gpus)'`));
      }
    });
  }
  test('--skip-invalid skips such a row and counts it', async () => {
    const f = file('p.csv', phillyRows([GOOD[0], '2017-10-09 07:03:00,50.0,2147483648,50.0,vc1']));
    const o = out();
    const r = await cli(['simulate', '--trace', f, '--cluster', 'uniform:2x4', '--policy', 'fifo', '--quiet']);
    refused(r, /p\.csv:3/);
    const s = await cli([
      'simulate',
      '--trace',
      f,
      '--cluster',
      'uniform:2x4',
      '--policy',
      'fifo',
      '--skip-invalid',
      '--quiet',
      '--out',
      o,
    ]);
    assert.equal(s.code, 0, s.err);
    assert.match(s.err, /skipped 1/);
    assert.match(s.out, /1\/1/);
  });
  test('cluster JSON with gpus 2147483648, count 1e8 or uniform:100000x100000 is refused', async () => {
    const f = file('p.csv', phillyRows(GOOD));
    const big = file(
      'c.json',
      JSON.stringify({ name: 'c', nodes: [{ name: 'n', gpus: 2147483648, cpus: 1, memMiB: 1 }] }),
    );
    refused(await simulate(f, '--cluster', big), /c\.json: field 'nodes\[0\]\.gpus'/);
    const many = file(
      'c.json',
      JSON.stringify({ name: 'c', nodes: [{ name: 'n', gpus: 8, cpus: 1, memMiB: 1, count: 1e8 }] }),
    );
    refused(await simulate(f, '--cluster', many), /c\.json: field 'nodes\[0\]\.count'/);
    const sum = file(
      'c.json',
      JSON.stringify({ name: 'c', nodes: [{ name: 'n', gpus: 1000, cpus: 1, memMiB: 1, count: 100000 }] }),
    );
    refused(await simulate(f, '--cluster', sum), /beyond the simulator's range/);
    refused(
      await simulate(f, '--cluster', 'uniform:100000x100000'),
      /uniform:100000x100000.*beyond the simulator's range/,
    );
  });
  test('durations and timestamps of 1e300, year 0000', async () => {
    refused(
      await simulate(file('p.csv', phillyRows([GOOD[0], '2017-10-09 07:03:00,1e300,1,1,vc1']))),
      /p\.csv:3: field 'duration'/,
    );
    refused(
      await simulate(file('p.csv', phillyRows([GOOD[0], '0000-01-01 00:00:00,5,1,5,vc1']))),
      /p\.csv:3: field 'timestamp'.*1970/,
    );
    const swf = '1 0 0 10 1 -1 -1 1 -1 -1 1 1 1 1 1 1 -1 -1\n2 1e300 0 10 1 -1 -1 1 -1 -1 1 1 1 1 1 1 -1 -1\n';
    refused(await simulate(file('s.swf', swf)), /s\.swf:2: field 'submit/);
  });
});

describe('impossible option values', () => {
  const f = file('p.csv', phillyRows(GOOD));
  const cases: [string, string[], RegExp][] = [
    ['negative restart overhead', ['--restart-overhead', '-1000000'], /--restart-overhead' expects a number in \[0/],
    ['--until -5', ['--until', '-5'], /--until' expects/],
    ['--arrival-scale 1e-300', ['--arrival-scale', '1e-300'], /--arrival-scale' expects/],
    ['--seed 1.5', ['--seed', '1.5'], /--seed' expects an integer/],
    ['--seed 0x10', ['--seed', '0x10'], /--seed' expects a number/],
    ['--policy ,', ['--policy', ','], /--policy' has an empty item/],
    ['duplicate option', ['--seed', '1', '--seed', '2'], /--seed' given twice/],
    ['--quiet=no', ['--quiet=no'], /--quiet' is a flag/],
    ['--trace FILE --trace-file OTHER', ['--trace-file', f], /--trace-file is for --trace KIND/],
  ];
  for (const [name, args, re] of cases) test(name, async () => refused(await simulate(f, ...args), re));
  test('start --seeds a,b and duplicate seeds', async () => {
    refused(
      await cli(['start', '--seeds', 'a,b', '--out', out()]),
      /option '--seeds' expects a comma list, each item an integer in \[0, 4294967295\], got 'a,b'/,
    );
    refused(await cli(['start', '--seeds', '1,1', '--out', out()]), /lists a seed twice/);
    refused(await cli(['start', '--seeds', '1', '--policy', 'nope', '--out', out()]), /unknown policy 'nope'/);
  });
  test('train --seed 1.5 and --iterations 0', async () => {
    refused(await cli(['train', '--seed', '1.5', '--out', out()]), /--seed' expects an integer/);
    refused(await cli(['train', '--iterations', '0', '--out', out()]), /--iterations' expects an integer/);
  });
});

describe('malformed trace files', () => {
  test('a truncated last row (no line end) is refused with its line', async () => {
    const f = file('p.csv', PHILLY_HEADER + GOOD.join('\n') + '\n2017-10-09 07:05:00,4371');
    refused(await simulate(f), /p\.csv:4: .*truncated/);
  });
  test('rows longer than the header, duplicate header columns, 0x10 numbers', async () => {
    refused(await simulate(file('p.csv', phillyRows([GOOD[0], GOOD[1] + ',extra']))), /p\.csv:3: field 'column 6'/);
    refused(
      await simulate(file('p.csv', 'timestamp,duration,num_gpus,duration,cluster\n' + GOOD[0] + '\n')),
      /p\.csv:1: field 'duration': duplicate header column/,
    );
    refused(
      await simulate(file('p.csv', phillyRows([GOOD[0], '2017-10-09 07:03:00,0x10,1,16,vc1']))),
      /p\.csv:3: field 'duration'/,
    );
  });
  test('duplicate job ids are refused', async () => {
    const swf = '7 0 0 10 1 -1 -1 1 -1 -1 1 1 1 1 1 1 -1 -1\n7 5 0 10 1 -1 -1 1 -1 -1 1 1 1 1 1 1 -1 -1\n';
    refused(await simulate(file('s.swf', swf)), /s\.swf:2: field 'id': duplicate job id "7" \(first on line 1\)/);
  });
  test('a byte-order mark is accepted in JSON as in CSV', async () => {
    const f = file('p.csv', '\uFEFF' + phillyRows(GOOD));
    const c = file(
      'c.json',
      '\uFEFF' + JSON.stringify({ name: 'c', nodes: [{ name: 'n', gpus: 4, cpus: 8, memMiB: 8, count: 2 }] }),
    );
    const r = await simulate(f, '--cluster', c);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2\/2/);
  });
});

describe('messages', () => {
  test('at most one line of input context, control characters escaped, length capped', async () => {
    const evil = 'x'.repeat(100000) + '\u001b[31mRED\u0007';
    const r = await simulate(file('p.csv', phillyRows([GOOD[0], `2017-10-09 07:03:00,${evil},1,1,vc1`])));
    refused(r, /p\.csv:3: field 'duration'/);
    assert.ok(r.err.length < 1200, `stderr has ${r.err.length} characters`);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.err, /\u001b|\u0007/);
    const nul = file('n.csv', '\0'.repeat(3_000_000));
    const n = await simulate(nul);
    assert.equal(n.code, 2, n.err);
    assert.ok(n.err.length < 1200, `stderr has ${n.err.length} characters`);
    assert.doesNotMatch(n.err, /\0/);
  });
  test('file-system errors name the file and the action', async () => {
    const dir = path.join(tmp, 'adir.csv');
    mkdirSync(dir);
    refused(
      await cli(['simulate', '--trace', 'philly', '--trace-file', dir, '--quiet', '--out', out()]),
      /cannot read .*adir\.csv: is a directory/,
    );
  });
  test('--out pointing at a file fails fast, before simulating', async () => {
    const f = file('p.csv', phillyRows(GOOD));
    const o = file('outfile', 'x');
    const r = await simulate(f, '--out', o);
    refused(r, /--out .*outfile is a file, not a folder/);
    assert.doesNotMatch(r.err, /rows read/);
  });
  test('--out holding foreign files is not replaced', async () => {
    const f = file('p.csv', phillyRows(GOOD));
    const o = path.dirname(file('notes.txt', 'mine'));
    refused(await simulate(f, '--out', o), /holds files that are not a Lepton simulate output \(notes\.txt\)/);
    assert.equal(readFileSync(path.join(o, 'notes.txt'), 'utf8'), 'mine');
  });
});

describe('DeepRM job sets', () => {
  const replay = (jobs: string) => cli(['deeprm', 'replay', '--jobs', jobs, '--out', path.join(tmp, `r-${k++}.json`)]);
  const job = { id: 1, ex: 0, arrival: 1, len: 2, res: [1, 1] };
  test('jobs larger than the slots or longer than the horizon are refused', async () => {
    refused(
      await replay(file('j.json', JSON.stringify({ params: { max_job_size: 15, res_slot: 10 }, jobs: [job] }))),
      /max_job_size \(15\) must be <= res_slot \(10\)/,
    );
    refused(
      await replay(file('j.json', JSON.stringify({ params: { max_job_len: 30, time_horizon: 20 }, jobs: [job] }))),
      /max_job_len \(30\) must be <= time_horizon \(20\)/,
    );
  });
  test('{} and an empty job list are refused', async () => {
    refused(await replay(file('j.json', '{}')), /j\.json: missing key "jobs"/);
    refused(await replay(file('j.json', '{"jobs": []}')), /j\.json: "jobs" is empty/);
    refused(await replay(file('j.json', '{"jobs": [')), /j\.json:1: invalid JSON/);
  });
  test('generate and replay write atomically (no temporary left, the target replaced whole)', async () => {
    const dir = path.join(tmp, 'gen');
    mkdirSync(dir);
    const jobs = path.join(dir, 'jobs.json');
    // A temporary of a dead process (pid 2^22 + 1 is above Linux's default pid_max) is cleaned.
    writeFileSync(`${jobs}.tmp-4194305-0`, 'orphan');
    const g = await cli(['deeprm', 'generate', '--num-ex', '2', '--seed', '1', '--out', jobs]);
    assert.equal(g.code, 0, g.err);
    const r = await cli(['deeprm', 'replay', '--jobs', jobs, '--out', path.join(dir, 'out.json')]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readdirSync(dir).sort(), ['jobs.json', 'out.json']);
    assert.ok(existsSync(jobs));
  });
});
