import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  anySelected,
  formatRate,
  matchesFilter,
  parseBenchArgs,
  samplingOptions,
  toCaseResult,
  DEFAULT_OUT_DIR,
} from '../../benchmarks/harness';
import { calibrationLoop } from '../../benchmarks/calibration';
import { syntheticSingleGpuJobs, syntheticCluster } from '../../benchmarks/eventCore';
import { simulate } from '../../src/sim/simulator';
import { fifo } from '../../src/schedulers/fifo';

describe('parseBenchArgs', () => {
  test('defaults', () => {
    assert.deepEqual(parseBenchArgs([]), { quick: false, filter: '', outDir: DEFAULT_OUT_DIR });
  });
  test('--quick, --filter NAME, --filter=NAME, --out', () => {
    assert.deepEqual(parseBenchArgs(['--quick', '--filter', 'philly']), {
      quick: true,
      filter: 'philly',
      outDir: DEFAULT_OUT_DIR,
    });
    assert.deepEqual(parseBenchArgs(['--filter=EventQueue', '--out', '/tmp/b']), {
      quick: false,
      filter: 'EventQueue',
      outDir: '/tmp/b',
    });
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
  assert.deepEqual(samplingOptions(true), { minSamples: 2, maxTime: 0.5, delay: 0 });
  assert.equal(samplingOptions(false).minSamples, 5);
});

test('toCaseResult derives ops and rate from the mean sample time, not benny`s rounded ops', () => {
  const r = toCaseResult(
    'philly-replay',
    { name: 'fifo full replay', fn: () => 0, perOp: 82247, unit: 'jobs' },
    { name: 'fifo full replay', ops: 3, margin: 1.5, samples: 5, details: { mean: 0.4 } } as never,
    0.9,
  );
  assert.equal(r.ops, 2.5);
  assert.equal(r.rate, 82247 * 2.5);
  assert.equal(r.secondsPerOp, 0.4);
  assert.equal(r.cpuShare, 0.9);
  assert.equal(r.marginPct, 1.5);
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
