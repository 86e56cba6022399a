import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  generateSequences,
  measuredLoadPerResource,
  sequencesToJobs,
  jobsFileToSequences,
} from '../../src/deeprm/generate';
import { NumpyRandomState } from '../../src/deeprm/numpyRandom';
import { makeParams, parseJobsFile, derived } from '../../src/deeprm/params';
import { runDeeprmCommand } from '../../src/cli/deeprm';
import { deeprmGenerate } from '../../src/deeprm/generate';
import { deeprmReplay } from '../../src/deeprm/replay';
import { UsageError } from '../../src/util/errors';
import { sharedDir } from './sharedPath';

const vectors = JSON.parse(fs.readFileSync(path.join(sharedDir(), 'specs', 'deeprm-rng-test-vectors.json'), 'utf8'));

describe('generator', () => {
  test('parameters.py defaults, seed 42: the vector file sequences, then the colour shuffle draws', () => {
    const p = makeParams();
    const rng = new NumpyRandomState(42);
    const seq = generateSequences(p, p.newJobRate, rng);
    const log = vectors.paramdefaults_seed42_generation_call_log;
    assert.deepEqual(Array.from(seq.len), log.resulting_len_seq);
    const sizes = Array.from({ length: 10 }, (_, i) => [seq.res[2 * i], seq.res[2 * i + 1]]);
    assert.deepEqual(sizes, log.resulting_size_seq);
    // the next draws are the Machine() colour shuffle
    const cm = Array.from({ length: 39 }, (_, i) => (i + 1) / 40);
    rng.shuffle(cm);
    const want = log.calls[log.calls.length - 1][2] as number[];
    cm.forEach((c, i) => assert.ok(Math.abs(c - want[i]) < 1e-15));
  });

  test('measured load: sum len*res (index 0 included) / res_slot / (simu_len*num_ex)', () => {
    const p = makeParams();
    const seq = generateSequences(p, p.newJobRate, new NumpyRandomState(42));
    // res0: 12*1+3*9+1*2+10*2+3*6+2*1+1*9+2*1+2*6 = 104; res1: 12*9+3*2+1*8+10*10+3*2+2*10+1*1+2*8+2*2 = 269
    assert.deepEqual(measuredLoadPerResource(seq, 10), [104 / 10 / 10, 269 / 10 / 10]);
  });

  test('the first k examples of num_ex=100 equal num_ex=k (sequential generation)', () => {
    const a = generateSequences(makeParams({ simuLen: 50, numEx: 100 }), 0.3, new NumpyRandomState(314159));
    const b = generateSequences(makeParams({ simuLen: 50, numEx: 7 }), 0.3, new NumpyRandomState(314159));
    assert.deepEqual(Array.from(a.len.subarray(0, 350)), Array.from(b.len));
    assert.deepEqual(Array.from(a.res.subarray(0, 700)), Array.from(b.res));
  });

  test('JOBS.json: index-0 jobs omitted, id = ex*simu_len + arrival, round trip', () => {
    const file = deeprmGenerate({ rate: 0.7, simuLen: 10, numEx: 2, seed: 42 });
    assert.equal(
      file.jobs.some((j) => j.arrival === 0),
      false,
    );
    for (const j of file.jobs) assert.equal(j.id, j.ex * 10 + j.arrival);
    // seed 42 example 0: index 1 is len 3 [9,2] (vector file)
    assert.deepEqual(file.jobs[0], { id: 1, ex: 0, arrival: 1, len: 3, res: [9, 2] });
    const parsed = parseJobsFile(JSON.parse(JSON.stringify(file)));
    const seq = jobsFileToSequences(parsed);
    assert.deepEqual(sequencesToJobs(seq), file.jobs);
    assert.equal(file.params.end, 'no_new_job');
    assert.equal(file.params.num_nw, 5);
  });
});

describe('params and parseJobsFile', () => {
  test('derived values', () => {
    assert.deepEqual(derived(makeParams()), { backlogWidth: 3, imageHeight: 20, imageWidth: 124, numActions: 6 });
  });
  test('missing params keys take the defaults', () => {
    const f = parseJobsFile({ params: { num_nw: 10 }, jobs: [{ id: 1, ex: 0, arrival: 1, len: 1, res: [1, 1] }] });
    assert.equal(f.params.numNw, 10);
    assert.equal(f.params.simuLen, 10);
    assert.equal(f.params.backlogSize, 60);
    assert.equal(f.params.end, 'no_new_job');
  });
  test('unknown keys are errors naming the key', () => {
    assert.throws(
      () => parseJobsFile({ params: { num_nodes: 3 }, jobs: [] }),
      (e: Error) => e instanceof UsageError && /'num_nodes'/.test(e.message),
    );
    assert.throws(() => parseJobsFile({ params: {}, jobs: [], extra: 1 }), /'extra'/);
    assert.throws(
      () => parseJobsFile({ params: {}, jobs: [{ id: 1, ex: 0, arrival: 1, len: 2, res: [1, 1], gpu: 2 }] }),
      /unknown key 'gpu' in 'jobs\[0\]'/,
    );
  });
  test('bad values are errors naming the field', () => {
    const job = { id: 1, ex: 0, arrival: 1, len: 2, res: [1, 1] };
    assert.throws(() => parseJobsFile({ params: { end: 'never' }, jobs: [] }), /params.end/);
    assert.throws(() => parseJobsFile({ params: { backlog_size: 50 }, jobs: [] }), /multiple of time_horizon/);
    assert.throws(() => parseJobsFile({ params: {}, jobs: [{ ...job, len: 16 }] }), /jobs\[0\].len/);
    assert.throws(() => parseJobsFile({ params: {}, jobs: [{ ...job, arrival: 10 }] }), /jobs\[0\].arrival/);
    assert.throws(() => parseJobsFile({ params: {}, jobs: [{ ...job, res: [1] }] }), /jobs\[0\].res/);
    assert.throws(() => parseJobsFile({ params: {}, jobs: [job, { ...job }] }), /duplicate id 1/);
    assert.throws(() => parseJobsFile({ params: {}, jobs: [job, { ...job, id: 2 }] }), /second job at ex 0, arrival 1/);
  });
});

describe('replay output and CLI', () => {
  test('OUT.json shape: jobs in file order, statuses, per-example summary', () => {
    // M=1, backlog 20 (T=20): with no_new_job jobs still waiting at the end are unscheduled
    const file = parseJobsFile({
      params: { num_nw: 1, simu_len: 4, end: 'no_new_job', backlog_size: 20 },
      jobs: [
        { id: 7, ex: 0, arrival: 1, len: 2, res: [5, 1] },
        { id: 8, ex: 0, arrival: 2, len: 1, res: [6, 1] },
        { id: 9, ex: 0, arrival: 3, len: 1, res: [5, 1] },
      ],
    });
    const out = deeprmReplay(file, { policies: ['sjf'] });
    // t=1: job7 [5,1] starts now, 1→3. t=2: job8 [6,1] waits (row [5,9]). t=3: job7 leaves,
    // job9 arrives into the backlog (M=1); job8 starts 3→4 and job9 refills slot 0 but
    // [5,1] does not fit the row [4,9]: void → t=4 = simu_len → done; job9 unscheduled.
    assert.deepEqual(out.sjf.jobs[0], { id: 7, enter: 1, start: 1, finish: 3, slowdown: 1 });
    assert.deepEqual(out.sjf.jobs[1], { id: 8, enter: 2, start: 3, finish: 4, slowdown: 2 });
    assert.deepEqual(out.sjf.jobs[2], { id: 9, status: 'unscheduled' });
    assert.equal(out.sjf.num_counted_jobs, 2);
    assert.equal(out.sjf.mean_slowdown, 1.5);
    assert.equal(out.sjf.mean_slowdown_floor, 1.5);
    assert.equal(out.sjf.per_example.length, 1);
    assert.equal(out.sjf.per_example[0].end_time, 4);
  });

  test('CLI generate + replay write the files; bad flags are UsageErrors; --help exits 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deeprm-'));
    const jobs = path.join(dir, 'jobs.json');
    const outp = path.join(dir, 'out.json');
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      assert.equal(
        await runDeeprmCommand([
          'generate',
          '--rate',
          '0.3',
          '--simu-len',
          '50',
          '--num-ex',
          '3',
          '--seed',
          '314159',
          '--num-nw',
          '10',
          '--end',
          'all_done',
          '--out',
          jobs,
        ]),
        0,
      );
      assert.equal(
        await runDeeprmCommand(['replay', '--jobs', jobs, '--policy', 'sjf,packer,random', '--out', outp]),
        0,
      );
      assert.equal(await runDeeprmCommand(['replay', '--help']), 0);
      assert.equal(await runDeeprmCommand(['generate', '--help']), 0);
    } finally {
      process.stdout.write = write;
    }
    const jf = JSON.parse(fs.readFileSync(jobs, 'utf8'));
    assert.equal(jf.params.num_nw, 10);
    assert.equal(jf.params.end, 'all_done');
    assert.deepEqual(jf.generator.seed, 314159);
    const out = JSON.parse(fs.readFileSync(outp, 'utf8'));
    assert.deepEqual(Object.keys(out), ['sjf', 'packer', 'random']);
    for (const k of Object.keys(out)) {
      assert.deepEqual(Object.keys(out[k]).sort(), [
        'jobs',
        'mean_slowdown',
        'mean_slowdown_floor',
        'num_counted_jobs',
        'per_example',
      ]);
      assert.equal(out[k].jobs.length, jf.jobs.length);
      assert.equal(out[k].num_counted_jobs, jf.jobs.length);
    }
    await assert.rejects(
      runDeeprmCommand(['replay', '--jobs', jobs, '--policy', 'fifo', '--out', outp]),
      /unknown policy 'fifo'/,
    );
    await assert.rejects(runDeeprmCommand(['replay', '--jobs', jobs, '--mode', 'exact', '--out', outp]), /--mode/);
    await assert.rejects(runDeeprmCommand(['generate', '--rate', '0.3', '--bogus', '1', '--out', jobs]), /--bogus/);
    await assert.rejects(runDeeprmCommand(['replay', '--jobs', jobs]), /option '--out FILE' is required/);
    await assert.rejects(runDeeprmCommand(['frobnicate']), UsageError);
    fs.rmSync(dir, { recursive: true });
  });
});
