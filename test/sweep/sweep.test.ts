import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { loadPlan, expandPlan } from '../../src/sweep/plan';
import { resolveShard, shardCells } from '../../src/sweep/runner';
import { k8sJob } from '../../src/sweep/emit';
import { cli } from '../helpers/cli';

const ROOT = path.resolve(__dirname, '../..');
const PLAN = path.join(ROOT, 'test/fixtures/sweep/plan24.yaml');
const MAIN = path.join(ROOT, 'test/helpers/leptonMain.ts');

/** kubernetes-models (Job classes generated from the upstream Kubernetes OpenAPI schema, ajv) is ESM-only. */
async function jobValidator(): Promise<{ new (o: never): { validate(): void } }> {
  return (await import('kubernetes-models/batch/v1/Job')).Job as never;
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-sweep-'));
}

function writePlan(dir: string, name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

/** Finished cells: folders under cells/ (temporaries start with a dot). */
function doneCells(out: string): string[] {
  const d = path.join(out, 'cells');
  return fs.existsSync(d) ? fs.readdirSync(d).filter((n) => !n.startsWith('.')) : [];
}

function merged(out: string): Record<string, string> {
  const d = path.join(out, 'merged');
  return Object.fromEntries(
    ['summary.csv', 'summary.json', 'report.md'].map((f) => [f, fs.readFileSync(path.join(d, f), 'utf8')]),
  );
}

describe('plan', () => {
  test('YAML and JSON plans expand to the same 24 cells in a fixed order, with distinct content hashes', () => {
    const d = tmp();
    const y = loadPlan(PLAN).plan;
    const j = loadPlan(writePlan(d, 'p.json', JSON.stringify(yaml.load(fs.readFileSync(PLAN, 'utf8'))))).plan;
    const a = expandPlan(y);
    const b = expandPlan(j);
    assert.equal(a.length, 24);
    assert.deepEqual(
      a.map((c) => c.hash),
      b.map((c) => c.hash),
    );
    assert.equal(new Set(a.map((c) => c.hash)).size, 24);
    assert.deepEqual(a[0].spec, {
      trace: 'embedded',
      cluster: 'uniform:4x8',
      arrivalScale: 1,
      jobs: 0,
      scheduler: 'policy:fifo',
      seed: 1,
    });
    assert.deepEqual(a[1].spec.seed, 2);
    // Seeds of one group share it; 6 groups of 4.
    assert.equal(new Set(a.map((c) => c.group)).size, 6);
  });

  test('a cell keeps its hash when the plan grows, and changes it when an input that matters changes', () => {
    const d = tmp();
    const base = expandPlan(loadPlan(PLAN).plan);
    const grown = expandPlan(
      loadPlan(
        writePlan(d, 'g.yaml', fs.readFileSync(PLAN, 'utf8').replace('seed: [1, 2, 3, 4]', 'seed: [1, 2, 3, 4, 5]')),
      ).plan,
    );
    assert.ok(base.every((c) => grown.some((g) => g.hash === c.hash)));
    const other = expandPlan(
      loadPlan(writePlan(d, 'o.yaml', fs.readFileSync(PLAN, 'utf8').replace('embeddedJobs: 400', 'embeddedJobs: 401')))
        .plan,
    );
    assert.ok(base.every((c) => !other.some((o) => o.hash === c.hash)));
  });

  test('unknown keys, bad values and bad files are rejected with the file and the field', () => {
    const d = tmp();
    const text = fs.readFileSync(PLAN, 'utf8');
    assert.throws(() => loadPlan(writePlan(d, 'a.yaml', text + 'extra: 1\n')), /a\.yaml: unknown key 'extra'/);
    assert.throws(
      () => loadPlan(writePlan(d, 'b.yaml', text.replace('policy: [fifo, sjf, easy]', 'policy: [fifo, nosuch]'))),
      /b\.yaml: field 'grid\.policy\[1\]'/,
    );
    assert.throws(
      () => loadPlan(writePlan(d, 'c.yaml', text.replace('seed: [1, 2, 3, 4]', 'seed: [1, -2]'))),
      /field 'grid\.seed\[1\]'/,
    );
    assert.throws(
      () => loadPlan(writePlan(d, 'd.yaml', text.replace('trace: [embedded]', 'trace: [nosuch]'))),
      /field 'grid\.trace\[0\]'/,
    );
    assert.throws(
      () => loadPlan(writePlan(d, 'e.yaml', text.replace('  seed:', '  sed:'))),
      /unknown key 'sed' in 'grid'/,
    );
    assert.throws(() => loadPlan(writePlan(d, 'f.yaml', 'name: [\n')), /f\.yaml:\d+: not valid YAML/);
    assert.throws(() => loadPlan(writePlan(d, 'g.txt', text)), /a plan is a \.json, \.yaml or \.yml file/);
    assert.throws(() => loadPlan(path.join(d, 'none.yaml')), /none\.yaml: cannot read the plan/);
    assert.throws(
      () => loadPlan(writePlan(d, 'h.yaml', text.replace('policy: [fifo, sjf, easy]', 'policy: []'))),
      /list at least one 'policy' or 'agent'/,
    );
    assert.throws(
      () => expandPlan(loadPlan(writePlan(d, 'i.yaml', text.replace('seed: [1, 2, 3, 4]', 'seed: [1, 1]'))).plan),
      /the same cell twice/,
    );
  });
});

describe('shards', () => {
  test('--shard, Slurm array variables, Kubernetes completion index; every cell in exactly one shard', () => {
    assert.deepEqual(resolveShard('2/5', {}), { index: 2, count: 5, source: '--shard' });
    assert.throws(() => resolveShard('5/5', {}), /need 0 <= I < N/);
    assert.throws(() => resolveShard('a/b', {}), /expected I\/N/);
    assert.deepEqual(
      resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '6' }),
      {
        index: 3,
        count: 6,
        source: 'Slurm array task',
      },
    );
    assert.throws(
      () => resolveShard(undefined, { SLURM_ARRAY_TASK_ID: '9', SLURM_ARRAY_TASK_COUNT: '3' }),
      /contiguous array/,
    );
    assert.deepEqual(resolveShard(undefined, { JOB_COMPLETION_INDEX: '1', LEPTON_SHARD_COUNT: '3' }).index, 1);
    assert.throws(() => resolveShard(undefined, { JOB_COMPLETION_INDEX: '1' }), /LEPTON_SHARD_COUNT/);
    assert.deepEqual(resolveShard(undefined, {}), { index: 0, count: 1, source: 'whole plan' });
    const cells = expandPlan(loadPlan(PLAN).plan);
    const parts = [0, 1, 2, 3, 4].map((i) => shardCells(cells, { index: i, count: 5, source: '' }).map((c) => c.hash));
    assert.deepEqual(parts.flat().sort(), cells.map((c) => c.hash).sort());
  });
});

describe('emit', () => {
  test('--k8s writes an Indexed Job that validates against the Kubernetes Job schema', async () => {
    const r = await cli([
      'sweep',
      'emit',
      'test/fixtures/sweep/plan24.yaml',
      '--k8s',
      '--image',
      'lepton:dev',
      '--tasks',
      '4',
    ]);
    assert.equal(r.code, 0, r.err);
    const obj = yaml.load(r.out) as Record<string, unknown>;
    const Job = await jobValidator();
    new Job(obj as never).validate(); // throws on any schema violation
    const spec = obj.spec as Record<string, unknown>;
    assert.equal(spec.completionMode, 'Indexed');
    assert.equal(spec.completions, 4);
    const c = (
      spec.template as { spec: { containers: { command: string[]; env: { name: string; value: string }[] }[] } }
    ).spec.containers[0];
    assert.deepEqual(c.command.slice(0, 4), ['node', 'bin/lepton.js', 'sweep', 'test/fixtures/sweep/plan24.yaml']);
    assert.deepEqual(c.env, [{ name: 'LEPTON_SHARD_COUNT', value: '4' }]);
    // The validator is not a rubber stamp: a wrong type and an unknown completion mode fail.
    const plan = loadPlan(PLAN).plan;
    const bad = k8sJob(plan, { planRel: 'p.yaml', cells: 24, image: 'x', workdir: '/app' }) as {
      spec: Record<string, unknown>;
    };
    bad.spec.completions = 'four';
    assert.throws(() => new Job(bad as never).validate());
    assert.equal((await cli(['sweep', 'emit', 'test/fixtures/sweep/plan24.yaml', '--k8s'])).code, 2, 'no image');
  });

  test('--slurm writes an sbatch array script running the plan with the shard from the array', async () => {
    const out = tmp();
    const r = await cli(['sweep', 'emit', 'test/fixtures/sweep/plan24.yaml', '--slurm', '--tasks', '3', '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^#!\/bin\/bash\n/);
    assert.match(r.out, /^#SBATCH --array=0-2$/m);
    assert.match(r.out, new RegExp(`^#SBATCH --output=${out}/slurm/%A_%a\\.out$`, 'm'));
    assert.match(r.out, new RegExp(`bin/lepton\\.js sweep ${PLAN} --out ${out}$`, 'm'));
    assert.ok(fs.existsSync(path.join(out, 'slurm')), 'the --output folder exists before submission');
    assert.equal(
      (await cli(['sweep', 'emit', 'test/fixtures/sweep/plan24.yaml'])).code,
      2,
      'neither --slurm nor --k8s',
    );
  });
});

// The acceptance run: 24 cells, 2 worker processes, kill -9 of the whole process group halfway, resume;
// the merged result equals the one-process run and a 3-shard run byte for byte.
test('24-cell plan: 2 workers, kill -9 halfway, resume; merges byte-identical to one process and to 3 shards', async () => {
  const one = tmp();
  let r = await cli(['sweep', PLAN, '--out', one]);
  assert.equal(r.code, 0, r.err);
  assert.equal(doneCells(one).length, 24);
  assert.equal((await cli(['sweep', 'merge', PLAN, '--out', one])).code, 0);

  const killed = tmp();
  // Slowed event loop (results unchanged) so that the kill lands mid-run on any machine.
  const child = spawn(process.execPath, [...process.execArgv, MAIN, 'sweep', PLAN, '--workers', '2', '--out', killed], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, LEPTON_SLOW_EVENT_LOOP: '20000' },
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const t0 = Date.now();
  while (doneCells(killed).length < 6 && Date.now() - t0 < 120_000) await new Promise((res) => setTimeout(res, 20));
  process.kill(-child.pid!, 'SIGKILL'); // the runner and both workers
  await exited;
  await new Promise((res) => setTimeout(res, 200));
  const before = doneCells(killed).length;
  assert.ok(before >= 6 && before < 24, `killed with ${before} cells done`);
  for (const h of doneCells(killed)) JSON.parse(fs.readFileSync(path.join(killed, 'cells', h, 'result.json'), 'utf8'));
  assert.equal((await cli(['sweep', 'merge', PLAN, '--out', killed])).code, 2, 'merge refuses an unfinished sweep');
  assert.equal((await cli(['sweep', 'status', PLAN, '--out', killed])).code, 1);

  const resumed = spawnSync(
    process.execPath,
    [...process.execArgv, MAIN, 'sweep', PLAN, '--workers', '2', '--out', killed],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`has 24, ${before} already done, ${24 - before} to run on 2 worker`));
  assert.match(resumed.stderr, /24\/24 done, 0 running, 0 failed/);
  assert.equal(doneCells(killed).length, 24);
  assert.deepEqual(
    fs.readdirSync(path.join(killed, 'cells')).filter((n) => n.startsWith('.tmp-')),
    [],
    'the killed workers’ temporaries are cleaned',
  );
  r = await cli(['sweep', PLAN, '--out', killed]);
  assert.match(r.err, /24 already done, 0 to run/);
  assert.equal((await cli(['sweep', 'merge', PLAN, '--out', killed])).code, 0);
  assert.deepEqual(merged(killed), merged(one));

  const sharded = tmp();
  for (const s of ['0/3', '1/3', '2/3'])
    assert.equal((await cli(['sweep', PLAN, '--shard', s, '--out', sharded])).code, 0);
  assert.equal((await cli(['sweep', 'merge', PLAN, '--out', sharded])).code, 0);
  assert.deepEqual(merged(sharded), merged(one));

  // The summary holds intervals over the 4 seeds.
  const csv = merged(one)['summary.csv'].trim().split('\n');
  assert.equal(csv.length, 1 + 6);
  assert.match(csv[0], /^trace,cluster,arrivalScale,jobs,scheduler,seeds,jobs_mean,jobs_boot95_lo,jobs_boot95_hi,/);
  assert.match(csv[1], /^embedded,uniform:4x8,1,0,policy:fifo,1 2 3 4,400,400,400,/);
  // Percentile-bootstrap bounds stay inside every (non-negative) metric's range: no negative lower bound.
  const head = csv[0].split(',');
  for (const line of csv.slice(1)) {
    const f = line.split(',');
    head.forEach((h, i) => {
      if (h.endsWith('_boot95_lo') && f[i] !== '') {
        assert.ok(Number(f[i]) >= 0, `${h} = ${f[i]}`);
        assert.ok(Number(f[i]) <= Number(f[i + 1]), `${h} above its upper bound`);
      }
    });
  }
});
