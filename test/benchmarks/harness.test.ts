import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  anySelected,
  formatRate,
  matchesFilter,
  parseBenchArgs,
  samplingOptions,
  toCaseResult,
  median,
  sampleCase,
  DEFAULT_OUT_DIR,
} from '../../benchmarks/harness';
import { calibrationLoop } from '../../benchmarks/calibration';
import { syntheticSingleGpuJobs, syntheticCluster } from '../../benchmarks/eventCore';
import { simulate } from '../../src/sim/simulator';
import { fifo } from '../../src/schedulers/fifo';

describe('parseBenchArgs', () => {
  test('defaults', () => {
    assert.deepEqual(parseBenchArgs([]), {
      quick: false,
      filter: '',
      outDir: DEFAULT_OUT_DIR,
      processes: 3,
      updateBaseline: false,
      baseline: 'benchmarks/baseline.json',
      history: true,
      verbose: false,
      suites: [],
      confirm: 3,
      reference: 'baseline',
    });
  });
  test('--reference baseline | none | a git revision', () => {
    assert.equal(parseBenchArgs(['--reference', 'none']).reference, 'none');
    assert.equal(parseBenchArgs(['--reference=HEAD~3']).reference, 'HEAD~3');
    assert.equal(parseBenchArgs(['--reference', 'f4375f0']).reference, 'f4375f0');
    assert.throws(() => parseBenchArgs(['--reference', '--quick']), /--reference: '--quick'/);
    assert.throws(() => parseBenchArgs(['--reference', 'a b']), /--reference: 'a b'/);
  });
  test('--confirm N from 0 to 20', () => {
    assert.equal(parseBenchArgs(['--confirm', '0']).confirm, 0);
    assert.equal(parseBenchArgs(['--confirm=5']).confirm, 5);
    assert.throws(() => parseBenchArgs(['--confirm', '-1']), /--confirm: '-1'/);
    assert.throws(() => parseBenchArgs(['--confirm', '21']), /--confirm: '21'/);
    assert.throws(() => parseBenchArgs(['--confirm', '1e1']), /--confirm: '1e1'/);
  });
  test('--quick, --filter NAME, --filter=NAME, --out, --processes, --update-baseline, --no-history', () => {
    const a = parseBenchArgs(['--quick', '--filter', 'philly', '--processes=2', '--update-baseline']);
    assert.equal(a.quick, true);
    assert.equal(a.filter, 'philly');
    assert.equal(a.processes, 2);
    assert.equal(a.updateBaseline, true);
    const b = parseBenchArgs(['--filter=EventQueue', '--out', '/tmp/b', '--no-history', '--baseline', 'x.json']);
    assert.equal(b.filter, 'EventQueue');
    assert.equal(b.outDir, '/tmp/b');
    assert.equal(b.history, false);
    assert.equal(b.baseline, 'x.json');
    assert.deepEqual(parseBenchArgs(['--suite', 'a,b', '--suite=c']).suites, ['a', 'b', 'c']);
  });
  test('--processes must be an integer from 1 to 20', () => {
    assert.throws(() => parseBenchArgs(['--processes', '0']), /--processes: '0'/);
    assert.throws(() => parseBenchArgs(['--processes', '1.5']), /--processes: '1.5'/);
  });
  test('rejects unknown options and a missing value', () => {
    assert.throws(() => parseBenchArgs(['--fast']), /unknown option --fast/);
    assert.throws(() => parseBenchArgs(['--filter']), /--filter needs a value/);
  });
});

describe('filter', () => {
  test('case-insensitive substring of suite/case', () => {
    assert.equal(matchesFilter('', 'event-core', 'x'), true);
    assert.equal(matchesFilter('PHILLY', 'philly-replay', 'fifo full replay'), true);
    assert.equal(matchesFilter('replay/fifo', 'philly-replay', 'fifo full replay'), true);
    assert.equal(matchesFilter('sjf', 'philly-replay', 'fifo full replay'), false);
    assert.equal(
      anySelected({ quick: false, filter: 'hold', outDir: '' }, 'event-core', [
        'EventQueue fill+drain',
        'EventQueue hold size 10',
      ]),
      true,
    );
    assert.equal(
      anySelected({ quick: false, filter: 'wasm', outDir: '' }, 'event-core', ['EventQueue fill+drain']),
      false,
    );
  });
});

test('quick mode samples less than full mode', () => {
  const q = samplingOptions(true);
  const f = samplingOptions(false);
  assert.ok(q.samples <= f.samples && q.minSampleS < f.minSampleS && q.warmupS < f.warmupS);
  assert.ok(q.samples >= 3, 'a median needs at least 3 samples');
});

test('toCaseResult: the median CPU sample is the figure, the spread is (max - min) / median', () => {
  const r = toCaseResult(
    'philly-replay',
    { name: 'fifo full replay', fn: () => 0, perOp: 82247, unit: 'jobs' },
    { cpu: [0.5, 0.4, 0.42], wall: [1, 0.8, 0.9], reps: 1 },
  );
  assert.equal(r.secondsPerOp, 0.42);
  assert.equal(r.ops, 1 / 0.42);
  assert.equal(r.rate, 82247 / 0.42);
  assert.equal(r.wallSecondsPerOp, 0.9);
  assert.ok(Math.abs(r.spreadPct - (0.1 / 0.42) * 100) < 1e-9);
  assert.ok(Math.abs(r.cpuShare - 1.32 / 2.7) < 1e-12);
  assert.equal(r.samples, 3);
});

test('median', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('sampleCase: warm-up, then samples of at least minSampleS of CPU time each', async () => {
  let calls = 0;
  const busy = (): void => {
    calls++;
    const t = process.cpuUsage();
    for (;;) {
      const d = process.cpuUsage(t);
      if (d.user + d.system >= 1000) break; // ~1 ms of CPU (more if the clock ticks coarsely)
    }
  };
  const s = await sampleCase(busy, { warmupS: 0.005, samples: 3, minSampleS: 0.05 });
  assert.equal(s.cpu.length, 3);
  // Each op takes 1 ms up to a few ms (kernel tick granularity): a 50 ms sample needs several.
  assert.ok(s.reps >= 3, `reps ${s.reps}`);
  for (const x of s.cpu) assert.ok(x >= 0.0009, `cpu per op ${x}`);
  assert.ok(calls >= 3 * s.reps + 1);
});

test('formatRate', () => {
  assert.equal(formatRate(3_214_000), '3.21 M');
  assert.equal(formatRate(415_300), '415 k');
  assert.equal(formatRate(2.049), '2.05');
  assert.equal(formatRate(12.34), '12.3');
  assert.equal(formatRate(1.5e9), '1.50 G');
});

test('calibration loop: LCG values (checked in Python) and their sum', () => {
  const a = new Float64Array(2);
  const s = calibrationLoop(a, 0);
  assert.equal(a[0], 1013904223 / 2 ** 32);
  assert.equal(a[1], 1196435762 / 2 ** 32);
  assert.equal(s, 0.5146348814014345);
});

test('synthetic stream: sorted single-GPU jobs at the requested load, all finish under FIFO', () => {
  const jobs = syntheticSingleGpuJobs(2000, 64, 1, 0.9, 100);
  assert.equal(jobs.length, 2000);
  for (let i = 1; i < jobs.length; i++) assert.ok(jobs[i].submit >= jobs[i - 1].submit);
  assert.ok(jobs.every((j) => j.gpus === 1 && j.duration >= 1 && Number.isInteger(j.duration)));
  // Offered load = total work / (span × GPUs); 2000 exponential draws keep it within ±10 % of 0.9.
  const work = jobs.reduce((s, j) => s + j.duration, 0);
  const load = work / (jobs[jobs.length - 1].submit * 64);
  assert.ok(load > 0.8 && load < 1.0, `load ${load}`);
  const r = simulate(jobs, syntheticCluster(8), fifo());
  assert.equal(r.counts.finished, 2000);
  assert.equal(r.events, 4000); // one arrival + one completion per job, no ticks
});
