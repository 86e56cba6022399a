import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEEPRM_SETTING,
  deeprmJobSets,
  evaluateDeeprmAgent,
  evaluateDeeprmHeuristics,
  pooledMean,
  pooledMeanCI,
  resolveDeeprmSetting,
  statusCounts,
  type DeepRMPolicyEval,
} from '../../src/experiment/deeprmTask';
import { buildTable, markdownTable, type RunRecord } from '../../src/report/deeprm';
import type { Agent } from '../../src/agents/types';
import { UsageError } from '../../src/util/errors';

function fakeEval(policy: string, sums: number[], counts: number[]): DeepRMPolicyEval {
  const n = sums.length;
  return {
    policy,
    jobs: [],
    exSum: Float64Array.from(sums),
    exCount: Int32Array.from(counts),
    exSteps: new Int32Array(n),
    exTruncated: new Uint8Array(n),
    exStalled: new Uint8Array(n),
    wallSeconds: 0,
  };
}

/** An agent that always picks the same action if legal, else void. */
const constant = (a: number): Agent => ({
  name: `const${a}`,
  act: (_obs, mask) => (mask[a] ? a : mask.length - 1),
  save: async () => {},
});

describe('DeepRM setting', () => {
  test('the paper setting at 70 % load reproduces the spec table (SJF 3.168, Packer 5.329) on the held-out sets', () => {
    const heldOut = deeprmJobSets(DEEPRM_SETTING, 'heldout');
    assert.equal(heldOut.params.numEx, 100);
    assert.equal(heldOut.generator?.seed, 314159);
    const [sjf, packer] = evaluateDeeprmHeuristics(heldOut, ['sjf', 'packer']);
    assert.equal(pooledMean(sjf).toFixed(3), '3.168');
    assert.equal(pooledMean(packer).toFixed(3), '5.329');
    assert.deepEqual(statusCounts(sjf), { done: 1858, unscheduled: 0, dropped: 0 });
    // Training and held-out sets are different draws.
    const train = deeprmJobSets(DEEPRM_SETTING, 'train');
    assert.equal(train.params.numEx, 50);
    assert.notDeepEqual(train.jobs.slice(0, 5), heldOut.jobs.slice(0, 5));
  });

  test('overrides are checked: unknown keys and equal train/held-out seeds are refused', () => {
    assert.throws(() => resolveDeeprmSetting({ nope: 1 }), UsageError);
    assert.throws(() => resolveDeeprmSetting({ heldOutSeed: 42 }), UsageError);
    assert.equal(resolveDeeprmSetting({ numTrainSets: 5 }).numTrainSets, 5);
  });

  test('a greedy agent that only ever chooses void is stopped at its fixed point: all jobs unscheduled, no mean', () => {
    const file = deeprmJobSets({ ...DEEPRM_SETTING, simuLen: 10, numHeldOutSets: 4 }, 'heldout');
    const e = evaluateDeeprmAgent(constant(DEEPRM_SETTING.numNw), file, true);
    assert.deepEqual(statusCounts(e), { done: 0, unscheduled: file.jobs.length, dropped: 0 });
    assert.ok(Number.isNaN(pooledMean(e)));
    assert.deepEqual(Array.from(e.exStalled), [1, 1, 1, 1]);
    // Stopped long before the 20,000-step cap, at the first void that leaves the image
    // unchanged: once s ≥ simu_len − 1 and the 'since last arrival' column has saturated
    // (10 steps after the last arrival a), i.e. after max(simu_len, a + 11) decisions.
    const expected = [0, 1, 2, 3].map((ex) =>
      Math.max(10, Math.max(0, ...file.jobs.filter((j) => j.ex === ex).map((j) => j.arrival)) + 11),
    );
    assert.deepEqual(Array.from(e.exSteps), expected);
  });

  test('an agent that always takes slot 0 when it can schedules every job (all_done, no cap reached)', () => {
    const file = deeprmJobSets({ ...DEEPRM_SETTING, simuLen: 10, numHeldOutSets: 3 }, 'heldout');
    const e = evaluateDeeprmAgent(constant(0), file, true);
    assert.equal(statusCounts(e).done, file.jobs.length);
    for (const j of e.jobs) assert.equal(j.slowdown, (j.finish - j.enter) / file.jobs.find((x) => x.id === j.id)!.len);
  });
});

describe('pooled mean and its bootstrap CI', () => {
  test('pooled over jobs, not a mean of per-set means', () => {
    // set 0: one job with slowdown 2; set 1: three jobs summing to 6 → pooled 8/4 = 2 (mean of means would be 2 too) ;
    // set 2: one job with slowdown 10 → pooled 18/5 = 3.6, mean of means (2+2+10)/3 = 4.667.
    const e = fakeEval('x', [2, 6, 10], [1, 3, 1]);
    assert.equal(pooledMean(e), 3.6);
    const ci = pooledMeanCI(e);
    assert.equal(ci.estimate, 3.6);
    assert.ok(ci.lo >= 2 && ci.hi <= 10 && ci.lo <= 3.6 && 3.6 <= ci.hi);
  });

  test('identical job sets give a degenerate CI; the ratio to itself is exactly 1', () => {
    const e = fakeEval('x', [6, 6, 6], [2, 2, 2]);
    const ci = pooledMeanCI(e);
    assert.equal(ci.lo, 3);
    assert.equal(ci.hi, 3);
    const r = pooledMeanCI(fakeEval('y', [2, 4, 8], [1, 2, 4]), fakeEval('y', [2, 4, 8], [1, 2, 4]));
    assert.deepEqual([r.estimate, r.lo, r.hi], [1, 1, 1]);
  });
});

describe('deeprmReport.buildTable', () => {
  const ev = (policy: string, m: number, ratio: number) => ({
    policy,
    mean_slowdown: m,
    ci_lo: m - 0.1,
    ci_hi: m + 0.1,
    ratio_to_sjf: ratio,
    ratio_ci_lo: ratio - 0.01,
    ratio_ci_hi: ratio + 0.01,
    unscheduled: 0,
    jobs_counted: 10,
  });
  const run = (seed: number, greedy: number, sampled: number): RunRecord => ({
    name: `pg-seed${seed}`,
    agent: 'pg',
    seed,
    iterations: 300,
    trainWallSeconds: 600 * seed,
    backend: 'wasm',
    resumedFrom: 0,
    curve: [],
    evals: [
      ev('agent:reinforce', greedy, greedy / 3),
      ev('agent:reinforce:sample', sampled, sampled / 3),
      ev('sjf', 3, 1),
      ev('packer', 5, 5 / 3),
    ],
  });

  test('heuristics first, one row per seed, then the mean over seeds with a t interval', () => {
    const rows = buildTable([run(1, 2.4, 2.7), run(2, 2.6, 2.9), run(3, 2.5, 2.8)]);
    assert.deepEqual(
      rows.map((r) => `${r.policy}|${r.evaluation}|${r.seeds}`),
      [
        'SJF|heuristic|-',
        'Packer|heuristic|-',
        'DeepRM PG (REINFORCE)|greedy|1',
        'DeepRM PG (REINFORCE)|greedy|2',
        'DeepRM PG (REINFORCE)|greedy|3',
        'DeepRM PG (REINFORCE)|greedy|mean of 3',
        'DeepRM PG (REINFORCE)|sampled|1',
        'DeepRM PG (REINFORCE)|sampled|2',
        'DeepRM PG (REINFORCE)|sampled|3',
        'DeepRM PG (REINFORCE)|sampled|mean of 3',
      ],
    );
    const mean = rows[5];
    assert.ok(Math.abs(mean.mean_slowdown - 2.5) < 1e-12);
    // t(0.975, 2) = 4.302653, s = 0.1, half-width = 4.302653 · 0.1 / √3 = 0.248414
    assert.ok(Math.abs(mean.ci_hi - mean.mean_slowdown - 0.248414) < 1e-5);
    assert.equal(mean.train_minutes, 20); // (10 + 20 + 30) / 3 minutes
    assert.match(markdownTable(rows), /\| DeepRM PG \(REINFORCE\) \| sampled \| mean of 3 \| \*\*2\.800\*\* \|/);
  });
});
