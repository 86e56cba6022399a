import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeScheduler } from '../../src/schedulers/registry';
import { HISTORY_DEFAULTS } from '../../src/predict/history';
import { predictedKeyScheduler } from '../../src/schedulers/predicted';
import { cluster, job, run } from './micro';

/** Hand-computed micro-traces of the prediction-based policies (default predictor: user-estimate). */

test('sjf-estimate orders by the user estimate, sjf by the true duration', () => {
  // 1 GPU. A runs 0-10; B (30 s, estimate 5) and C (5 s, estimate 20) wait.
  const jobs = [
    job('A', 0, 10, 1, { estimate: 50 }),
    job('B', 1, 30, 1, { estimate: 5 }),
    job('C', 1, 5, 1, { estimate: 20 }),
  ];
  const est = run(jobs, cluster(1, 1), makeScheduler('sjf-estimate'));
  assert.deepEqual(est.s, [0, 10, 40]);
  assert.deepEqual(est.f, [10, 40, 45]);
  const oracle = run(jobs, cluster(1, 1), makeScheduler('sjf'));
  assert.deepEqual(oracle.s, [0, 15, 10]);
});

test('sjf-estimate with the history predictor learns from finished jobs of the same group and size', () => {
  // 1 GPU. History: group "short" jobs ran 10 s, group "long" 1000 s (3 each = minSamples).
  assert.equal(HISTORY_DEFAULTS.minSamples, 3);
  const hist = [0, 1, 2].flatMap((i) => [
    job(`s${i}`, i * 2000, 10, 1, { group: 'short' }),
    job(`l${i}`, i * 2000 + 1, 1000, 1, { group: 'long' }),
  ]);
  // At 6000 a long-group job (true 5 s) and at 6001 a short-group job (true 500 s) arrive while
  // Z (submit 5999) occupies the only GPU until 6999: history says short first.
  const jobs = [
    ...hist,
    job('Z', 5999, 1000, 1, { group: 'z' }),
    job('L', 6000, 5, 1, { group: 'long' }),
    job('S', 6001, 500, 1, { group: 'short' }),
  ];
  const r = run(jobs, cluster(1, 1), makeScheduler('sjf-estimate', { predictor: 'history' }));
  const at = (id: string): number => jobs.findIndex((j) => j.id === id);
  assert.equal(r.s[at('S')], 6999, 'the short-group job goes first on history');
  assert.equal(r.s[at('L')], 7499);
  // The oracle would run L first.
  const o = run(jobs, cluster(1, 1), makeScheduler('sjf'));
  assert.equal(o.s[at('L')], 6999);
});

test('qssf orders by predicted GPU service (duration x GPUs), not by duration', () => {
  // 2 GPUs. A holds both until 10; B: 2 GPUs, estimate 5 (service 10); C: 1 GPU, estimate 8 (service 8).
  const jobs = [
    job('A', 0, 10, 2, { estimate: 50 }),
    job('B', 1, 4, 2, { estimate: 5 }),
    job('C', 1, 6, 1, { estimate: 8 }),
  ];
  const q = run(jobs, cluster(1, 2), makeScheduler('qssf'));
  assert.deepEqual(q.s, [0, 16, 10]);
  const e = run(jobs, cluster(1, 2), makeScheduler('sjf-estimate'));
  assert.deepEqual(e.s, [0, 10, 14]);
});

test('predictedKeyScheduler: any key of (prediction, job), read once per job, at its arrival', () => {
  // 1 GPU. A runs 0-10; B (30 s, estimate 5, id "b") and C (5 s, estimate 20) wait. Longest predicted first:
  // C (key -20) before B (key -5), so C runs 10-15 and B 15-45.
  const jobs = [
    job('A', 0, 10, 1, { estimate: 50 }),
    job('b', 1, 30, 1, { estimate: 5 }),
    job('C', 1, 5, 1, { estimate: 20 }),
  ];
  const seen: string[] = [];
  const longest = predictedKeyScheduler('longest-estimate', undefined, (p, j) => {
    seen.push(`${j.id}:${p}`);
    return -p;
  });
  assert.equal(longest.name, 'longest-estimate');
  assert.equal(longest.preemptive, false);
  const r = run(jobs, cluster(1, 1), longest);
  assert.deepEqual(r.s, [0, 15, 10]);
  assert.deepEqual(r.f, [10, 45, 15]);
  // One call per job although B and C wait through several decision points.
  assert.deepEqual(seen, ['A:50', 'b:5', 'C:20']);
});

test('srtf-estimate preempts on predicted remaining time; an overrun job counts as about to end', () => {
  // 1 GPU. A (100 s, estimate 100) runs; B (10 s, estimate 20) arrives at 10: 90 > 20, A is preempted.
  const preempt = run(
    [job('A', 0, 100, 1, { estimate: 100 }), job('B', 10, 10, 1, { estimate: 20 })],
    cluster(1, 1),
    makeScheduler('srtf-estimate'),
  );
  assert.deepEqual(preempt.f, [110, 20]);
  assert.equal(preempt.preemptions[0], 1);
  // B's estimate 95 > 90: no preemption.
  const keep = run(
    [job('A', 0, 100, 1, { estimate: 100 }), job('B', 10, 10, 1, { estimate: 95 })],
    cluster(1, 1),
    makeScheduler('srtf-estimate'),
  );
  assert.deepEqual(keep.f, [100, 110]);
  // A estimated at 5 s has overrun by t=10: predicted remaining 0, never preempted (SPRPT's weakness).
  const overrun = run(
    [job('A', 0, 100, 1, { estimate: 5 }), job('B', 10, 10, 1, { estimate: 1 })],
    cluster(1, 1),
    makeScheduler('srtf-estimate'),
  );
  assert.deepEqual(overrun.f, [100, 110]);
  // srtf (oracle) preempts A for B in that case.
  const oracle = run(
    [job('A', 0, 100, 1, { estimate: 5 }), job('B', 10, 10, 1, { estimate: 1 })],
    cluster(1, 1),
    makeScheduler('srtf'),
  );
  assert.deepEqual(oracle.f, [110, 20]);
});

test('the predictor option is validated against the registry', () => {
  assert.throws(() => makeScheduler('qssf', { predictor: 'psychic' }), /option 'predictor' must be one of history/);
});
