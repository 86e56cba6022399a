/**
 * The learning environment: masks are never violated (masked actions are refused, every unmasked
 * row holds a waiting job, every job starts exactly once), features stay in [0, 1], the > window
 * selection interleaves the SJF and SMALLEST orders, and the training split never touches a test job.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RlschedEnv, RLSCHED_FEATURES } from '../../src/rlsched/env';
import { RlschedSim } from '../../src/rlsched/sim';
import { HeuristicKeys, runHeuristic } from '../../src/rlsched/replay';
import { sampleStarts } from '../../src/rlsched/sequences';
import { loadRlschedTrace } from '../../src/rlsched/trace';
import { resolveRlschedSetting, trainingStarts } from '../../src/experiment/rlschedTask';
import { sharedDataset } from '../../src/workload/traces';
import { Rng } from '../../src/util/rng';
import { traceOf } from './helpers';

const caseArb = fc.integer({ min: 1, max: 6 }).chain((nodes) =>
  fc.record({
    nodes: fc.constant(nodes),
    window: fc.integer({ min: 1, max: 6 }),
    backfill: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1000 }),
    jobs: fc.array(
      fc.record({
        submit: fc.integer({ min: 0, max: 30 }),
        run: fc.integer({ min: 1, max: 30 }),
        req: fc.integer({ min: 1, max: 40 }),
        procs: fc.integer({ min: 1, max: nodes }),
      }),
      { minLength: 1, maxLength: 30 },
    ),
  }),
);

test('masks are never violated; every job starts once; features in [0, 1]', () => {
  fc.assert(
    fc.property(caseArb, ({ nodes, window, backfill, seed, jobs }) => {
      jobs.sort((a, b) => a.submit - b.submit);
      const L = jobs.length;
      const env = new RlschedEnv({ trace: traceOf(jobs, nodes), seqLen: L, backfill, window });
      const rng = new Rng(seed);
      const r = env.resetTo(0, L);
      let mask = r.info.actionMask;
      let obs = r.observation;
      let steps = 0;
      for (;;) {
        const legal: number[] = [];
        const q = env.sim.queue;
        for (let a = 0; a < window; a++) {
          if (mask[a]) {
            legal.push(a);
            const j = env.rowJob[a];
            assert.ok(j >= 0 && env.sim.startTime[j] === -1, 'an unmasked row holds a waiting job');
            let inQueue = false;
            for (let i = 0; i < q.length; i++) if (q.at(i) === j) inQueue = true;
            assert.ok(inQueue);
          } else {
            assert.throws(() => env.step(a), /masked/);
          }
        }
        assert.equal(legal.length, Math.min(window, q.length), 'as many legal rows as visible waiting jobs');
        for (let i = 0; i < obs.length; i++) assert.ok(obs[i] >= 0 && obs[i] <= 1, `feature ${i % RLSCHED_FEATURES}`);
        const st = env.step(legal[rng.int(0, legal.length)]);
        steps++;
        if (st.terminated) {
          assert.ok(st.reward <= -1 + 1e-12, 'terminal reward = −mean bsld ≤ −1');
          break;
        }
        assert.equal(st.reward, 0);
        mask = st.info.actionMask;
        obs = st.observation;
        assert.ok(steps <= L);
      }
      for (let k = 0; k < L; k++) assert.ok(env.sim.startTime[k] >= jobs[k].submit, `job ${k} started`);
      assert.throws(() => env.step(0), /after the episode/);
    }),
    { numRuns: 200, seed: 3 },
  );
});

test('more waiting jobs than rows: SJF and SMALLEST heads interleaved without duplicates', () => {
  // One node; J0 runs long, so J1..J6 pile up (each admitted while J1, chosen first, waits).
  const jobs = [
    { submit: 0, run: 100, req: 100, procs: 1 },
    { submit: 1, run: 50, req: 50, procs: 1 },
    { submit: 2, run: 40, req: 40, procs: 1 },
    { submit: 3, run: 10, req: 10, procs: 1 },
    { submit: 4, run: 30, req: 30, procs: 1 },
    { submit: 5, run: 20, req: 20, procs: 1 },
    { submit: 6, run: 60, req: 60, procs: 1 },
  ];
  const env = new RlschedEnv({ trace: traceOf(jobs, 1), seqLen: 7, backfill: false, window: 3 });
  env.resetTo(0, 7);
  env.step(0); // J0 starts at 0; J1 admitted
  const r = env.step(0); // J1 waits for J0: J2..J6 admitted meanwhile; J1 starts at 100
  assert.equal(env.sim.startTime[1], 100);
  assert.ok(!r.terminated);
  // Waiting: J2 (40), J3 (10), J4 (30), J5 (20), J6 (60), all 1 proc. SJF: J3, J5, J4, …;
  // SMALLEST (procs, submit): J2, J3, J4, … → interleave J3, J2, J5 (J3 already taken from SMALLEST).
  assert.deepEqual(Array.from(env.rowJob), [3, 2, 5]);
  assert.deepEqual(Array.from(r.info.actionMask), [1, 1, 1]);
});

test('the disjoint training split never shares a job with a Table V test sequence', () => {
  const trace = loadRlschedTrace(sharedDataset('hpc-swf', 'lublin_256.swf'));
  const s = resolveRlschedSetting({});
  const starts = trainingStarts(trace, s);
  const tests = sampleStarts(trace.size, { seqLen: 1024, iters: 10, seed: 1, slice: 0 });
  assert.ok(starts.length > 1000);
  for (const k of starts) for (const p of tests) assert.ok(k + s.seqLen <= p || k >= p + 1024, `window ${k}`);
  // and the paper's split does overlap them
  const paper = trainingStarts(trace, { ...s, split: 'paper' });
  assert.ok(paper.some((k) => tests.some((p) => k < p + 1024 && p < k + s.seqLen)));
});

test('following info.expertAction reproduces the heuristic replay (unique keys, window ≥ queue)', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          run: fc.integer({ min: 1, max: 30 }),
          req: fc.integer({ min: 1, max: 40 }),
          procs: fc.integer({ min: 1, max: 4 }),
        }),
        { minLength: 1, maxLength: 40 },
      ),
      fc.boolean(),
      fc.constantFrom('fcfs' as const, 'sjf' as const, 'smallest' as const, 'f1' as const),
      (rows, backfill, h) => {
        // distinct submit times → keys with the submit tie-break are unique
        const jobs = rows.map((r, i) => ({ ...r, submit: 3 * i + 1 }));
        const L = jobs.length;
        const trace = traceOf(jobs, 4);
        const env = new RlschedEnv({ trace, seqLen: L, backfill, window: 64, expert: h });
        let info = env.resetTo(0, L).info;
        for (;;) {
          const st = env.step(info.expertAction as number);
          if (st.terminated) break;
          info = st.info;
        }
        const got = Array.from(env.sim.startTime.subarray(0, L));
        const ref = new RlschedSim(L);
        ref.load(trace, 0, L, backfill);
        runHeuristic(ref, new HeuristicKeys(L).forSim(h, ref));
        assert.deepEqual(got, Array.from(ref.startTime.subarray(0, L)));
      },
    ),
    { numRuns: 150, seed: 11 },
  );
});
