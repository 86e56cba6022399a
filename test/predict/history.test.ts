import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HISTORY_DEFAULTS, HistoryPredictor } from '../../src/predict/history';
import { PREDICTORS, PREDICTOR_NAMES, makePredictor } from '../../src/predict/registry';
import { replayPredictions, unqueuedFinish } from '../../src/predict/replay';
import { PredictionTracker } from '../../src/predict/tracker';
import type { DurationPredictor } from '../../src/predict/predictor';
import type { Scheduler } from '../../src/sim/scheduler';
import { simulate } from '../../src/sim/simulator';
import { uniformCluster } from '../../src/cluster/spec';
import { makeJob, type Job, type JobView } from '../../src/workload/job';
import { makeScheduler } from '../../src/schedulers/registry';

const j = (id: string, submit: number, duration: number, gpus: number, group: string, estimate?: number): Job =>
  makeJob({ id, submit, duration, gpus, group, ...(estimate !== undefined ? { estimate } : {}) });
const gm = (...xs: number[]): number => Math.expm1(xs.reduce((s, x) => s + Math.log1p(x), 0) / xs.length);

test('history: hand-computed fallback chain group+gpus -> group -> gpus -> all -> prior', () => {
  const jobs = [
    j('a', 0, 100, 1, 'vc1'),
    j('b', 0, 300, 1, 'vc1'),
    j('c', 0, 200, 1, 'vc1'),
    j('d', 0, 50, 2, 'vc1'),
    j('e', 0, 7, 4, 'vc2'),
    j('q1', 0, 1, 1, 'vc1'), // queries
    j('q2', 0, 1, 2, 'vc1'),
    j('q3', 0, 1, 4, 'vc3'),
    j('q4', 0, 1, 8, 'vc3'),
  ];
  const p = PREDICTORS.history.make();
  p.reset(jobs);
  assert.equal(p.predict(5), HISTORY_DEFAULTS.prior, 'nothing finished: the prior');
  p.observe(0, 100);
  assert.ok(Math.abs(p.predict(5) - 100) < 1e-9, 'one finished job: the global mean (1 < minSamples for every key)');
  p.observe(1, 300);
  p.observe(2, 200);
  p.observe(3, 50);
  p.observe(4, 7);
  // vc1 x 1 GPU has 3 samples: its geometric mean.
  assert.ok(Math.abs(p.predict(5) - gm(100, 300, 200)) < 1e-9);
  // vc1 x 2 GPUs has 1 sample: falls back to vc1 (4 samples).
  assert.ok(Math.abs(p.predict(6) - gm(100, 300, 200, 50)) < 1e-9);
  // vc3 unknown, 4 GPUs has 1 sample: falls to all 5.
  assert.ok(Math.abs(p.predict(7) - gm(100, 300, 200, 50, 7)) < 1e-9);
  assert.ok(Math.abs(p.predict(8) - gm(100, 300, 200, 50, 7)) < 1e-9);
  // A smaller minSamples trusts a single sample.
  const one = new HistoryPredictor('h', ['gpus', 'all'], { minSamples: 1, prior: 5 });
  one.reset(jobs);
  assert.equal(one.predict(7), 5);
  one.observe(4, 7);
  assert.ok(Math.abs(one.predict(7) - 7) < 1e-9);
});

test('user-estimate: the estimate when there is one, else history', () => {
  const jobs = [j('a', 0, 100, 1, 'g'), j('b', 5, 10, 1, 'g', 777)];
  const p = makePredictor('user-estimate');
  p.reset(jobs);
  assert.equal(p.predict(1), 777);
  assert.equal(p.predict(0), HISTORY_DEFAULTS.prior);
  assert.throws(() => makePredictor('nope'), /valid predictors: history/);
});

/** Wraps a predictor and records the simulated time of every observe / predict. */
function recording(inner: DurationPredictor, clock: () => number) {
  const observed: Array<{ job: number; t: number; runTime: number }> = [];
  const predicted: Array<{ job: number; t: number }> = [];
  const p: DurationPredictor = {
    name: inner.name,
    reset: (jobs: readonly JobView[]) => inner.reset(jobs),
    observe: (job, runTime) => {
      observed.push({ job, t: clock(), runTime });
      inner.observe(job, runTime);
    },
    predict: (job) => {
      predicted.push({ job, t: clock() });
      return inner.predict(job);
    },
  };
  return { p, observed, predicted };
}

const jobArb = fc.array(
  fc.record({
    gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 120 })),
    dur: fc.integer({ min: 0, max: 600 }),
    gpus: fc.constantFrom(1, 1, 1, 2, 4),
    group: fc.integer({ min: 0, max: 2 }),
    est: fc.option(fc.integer({ min: 1, max: 900 })),
  }),
  { minLength: 1, maxLength: 60 },
);

test('online predictions use only jobs finished by the submit time, and equal the offline replay', () => {
  fc.assert(
    fc.property(jobArb, fc.constantFrom(...PREDICTOR_NAMES), (raw, name) => {
      let t = 0;
      const jobs = raw.map((r, i) => {
        t += r.gap;
        return j(`j${i}`, t, r.dur, r.gpus, `g${r.group}`, r.est ?? undefined);
      });
      let now = 0;
      const rec = recording(makePredictor(name), () => now);
      const tracker = new PredictionTracker(rec.p);
      const inner = makeScheduler('fifo-skip');
      if (inner.oracle) throw new Error('fifo-skip is blind');
      const s: Scheduler = {
        name: 'tracked',
        preemptive: false,
        reset(js, rng) {
          tracker.reset(js);
          inner.reset(js, rng);
        },
        schedule(ctx) {
          now = ctx.now;
          tracker.update(ctx);
          inner.schedule(ctx);
        },
      };
      const r = simulate(jobs, uniformCluster('c', 1, { gpus: 4, cpus: 0, memMiB: 0 }), s, { debug: true });
      // Every observation is of a job finished by then, with its true run time.
      for (const o of rec.observed) {
        assert.ok(r.finish[o.job] <= o.t, `job ${o.job} observed at ${o.t} before its finish ${r.finish[o.job]}`);
        assert.equal(o.runTime, jobs[o.job].duration);
      }
      // Every job is predicted exactly once, at its submit time.
      assert.equal(rec.predicted.length, jobs.length);
      for (const q of rec.predicted) assert.equal(q.t, jobs[q.job].submit);
      // Every job finished by a prediction's time was observed before it (nothing known is ignored).
      const seenBy = new Map<number, number>();
      for (const o of rec.observed) seenBy.set(o.job, o.t);
      for (const q of rec.predicted)
        for (let k = 0; k < jobs.length; k++)
          if (r.finish[k] <= q.t) assert.ok((seenBy.get(k) ?? Infinity) <= q.t, `job ${k} finished, not observed`);
      // The offline replay with the schedule's finish times gives the same predictions.
      const off = replayPredictions(jobs, makePredictor(name), r.finish);
      for (let k = 0; k < jobs.length; k++)
        assert.ok(Math.abs(off[k] - tracker.predicted[k]) <= 1e-9 * Math.max(1, off[k]), `job ${k}`);
    }),
    { seed: 20251201, numRuns: 150 },
  );
});

test('replay without queueing: a job is learned at submit + duration', () => {
  const jobs = [j('a', 0, 10, 1, 'g'), j('b', 5, 20, 1, 'g'), j('c', 10, 1, 1, 'g'), j('d', 30, 1, 1, 'g')];
  const p = new HistoryPredictor('global', ['all'], { prior: 99 });
  const out = replayPredictions(jobs, p, unqueuedFinish(jobs));
  // a: nothing known; b (t=5): nothing finished; c (t=10): a finished at 10 (completions first); d (t=30): a, b (25), c (11).
  assert.deepEqual([...out].slice(0, 2), [99, 99]);
  assert.ok(Math.abs(out[2] - 10) < 1e-9);
  assert.ok(Math.abs(out[3] - gm(10, 20, 1)) < 1e-9);
});

test('history groups exactly by the (group, size) text keys: whole GPUs, shares and CPU-only jobs never merge', () => {
  // The predictor groups by numeric codes for speed; this is the text-key definition it must equal.
  const text = (x: JobView, key: string): string => {
    const size = x.gpus > 0 ? String(x.gpus) : `s${x.gpuShare}`;
    return key === 'group+gpus' ? `${x.group}\u0000${size}` : key === 'group' ? x.group : key === 'gpus' ? size : '';
  };
  const arbJob = fc.record({
    group: fc.constantFrom('a', 'b', 'a\u0000', ''),
    gpus: fc.constantFrom(0, 1, 2, 8),
    share: fc.constantFrom(0, 0.25, 0.5),
    run: fc.integer({ min: 1, max: 10_000 }),
  });
  fc.assert(
    fc.property(
      fc.array(arbJob, { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 4 }),
      (specs, minSamples) => {
        const jobs = specs.map((s, i) =>
          makeJob({
            id: `j${i}`,
            submit: i,
            duration: s.run,
            gpus: s.gpus > 0 ? s.gpus : 0,
            ...(s.gpus === 0 && s.share > 0 ? { gpuShare: s.share } : {}),
            group: s.group,
          }),
        );
        const chain = ['group+gpus', 'group', 'gpus', 'all'] as const;
        const p = new HistoryPredictor('h', chain, { minSamples, prior: 42 });
        p.reset(jobs);
        const seen: number[] = [];
        for (let k = 0; k < jobs.length; k++) {
          // Reference: the first key of the chain with >= minSamples observed jobs sharing its text.
          for (let q = 0; q < jobs.length; q++) {
            let want = seen.length > 0 ? gm(...seen.map((i) => jobs[i].duration)) : 42;
            for (const key of chain) {
              const same = seen.filter((i) => text(jobs[i], key) === text(jobs[q], key));
              if (same.length >= minSamples) {
                want = gm(...same.map((i) => jobs[i].duration));
                break;
              }
            }
            assert.ok(Math.abs(p.predict(q) - want) <= 1e-9 * Math.max(1, want), `job ${q} after ${k} observed`);
          }
          p.observe(k, jobs[k].duration);
          seen.push(k);
        }
      },
    ),
    { numRuns: 200, seed: 11 },
  );
});
