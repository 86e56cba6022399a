/**
 * The optimised loop (incremental stable sorts on typed lists) against a naive transliteration of
 * the original (test/rlsched/reference.ts) on random small traces with many ties, every heuristic,
 * both modes: start times must be identical.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HEURISTICS, RLSCHED_HEURISTICS } from '../../src/rlsched/heuristics';
import { HeuristicKeys, runHeuristic } from '../../src/rlsched/replay';
import { RlschedSim } from '../../src/rlsched/sim';
import { referenceSchedule, type RefJob } from './reference';
import { traceOf } from './helpers';

const jobArb = (nodes: number): fc.Arbitrary<RefJob> =>
  fc.record({
    submit: fc.integer({ min: 0, max: 40 }),
    run: fc.integer({ min: 1, max: 30 }),
    req: fc.integer({ min: 1, max: 40 }),
    procs: fc.integer({ min: 1, max: nodes }),
  });

const caseArb = fc.integer({ min: 1, max: 8 }).chain((nodes) =>
  fc.record({
    nodes: fc.constant(nodes),
    sortedSubmits: fc.boolean(),
    jobs: fc.array(jobArb(nodes), { minLength: 1, maxLength: 40 }),
  }),
);

test('sim.ts = naive transliteration of the original, per job, all heuristics, both modes', () => {
  fc.assert(
    fc.property(caseArb, ({ nodes, sortedSubmits, jobs }) => {
      if (sortedSubmits) {
        const s = jobs.map((j) => j.submit).sort((a, b) => a - b);
        jobs.forEach((j, i) => (j.submit = s[i]));
      }
      const trace = traceOf(jobs, nodes);
      const L = jobs.length;
      const sim = new RlschedSim(L);
      const keys = new HeuristicKeys(L);
      for (const backfill of [false, true]) {
        sim.load(trace, 0, L, backfill);
        for (const h of RLSCHED_HEURISTICS) {
          const key = keys.forSim(h, sim);
          runHeuristic(sim, key);
          const k1 = Float64Array.from(key.k1);
          const k2 = key.k2 ? Float64Array.from(key.k2) : null;
          const ref = referenceSchedule(jobs, nodes, (j) => (k2 ? [k1[j], k2[j]] : k1[j]), backfill);
          assert.deepEqual(Array.from(sim.startTime.subarray(0, L)), ref, `${h} backfill=${backfill}`);
          for (let k = 0; k < L; k++) assert.ok(sim.startTime[k] >= jobs[k].submit, 'no job starts before its submit');
        }
      }
    }),
    { numRuns: 300, seed: 20201109 },
  );
});

test('capacity is never exceeded: at every start, running jobs (by actual end) use ≤ the machine', () => {
  fc.assert(
    fc.property(caseArb, ({ nodes, jobs }) => {
      const trace = traceOf(jobs, nodes);
      const L = jobs.length;
      const sim = new RlschedSim(L);
      for (const backfill of [false, true]) {
        sim.load(trace, 0, L, backfill);
        runHeuristic(sim, new HeuristicKeys(L).forSim('sjf', sim));
        for (let a = 0; a < L; a++) {
          const at = sim.startTime[a];
          let used = 0;
          for (let b = 0; b < L; b++) {
            if (sim.startTime[b] <= at && at < sim.startTime[b] + jobs[b].run) used += jobs[b].procs;
          }
          assert.ok(used <= nodes, `over capacity at ${at}: ${used} > ${nodes}`);
        }
      }
    }),
    { numRuns: 100, seed: 7 },
  );
});

test('heuristic keys are fixed per job and follow rule 6 (as-implemented WFP3/UNICEP)', () => {
  const s = Float64Array.of(100, 0);
  const rt = Float64Array.of(50, 0);
  const n = Float64Array.of(1, 4);
  const k1 = new Float64Array(2);
  const k2 = new Float64Array(2);
  HEURISTICS.f1.fill(s, rt, n, 2, k1, k2);
  assert.equal(k1[0], Math.log10(50) * 1 + 870 * Math.log10(100));
  assert.equal(k1[1], Math.log10(0.1) * 4 + 870 * Math.log10(0.1));
  const rt2 = Float64Array.of(50, 10);
  HEURISTICS.wfp3.fill(s, rt2, n, 2, k1, k2);
  assert.equal(k1[0], -Math.pow(-101 / 50, 3) * 1); // w = -1 - s, not the clock
  HEURISTICS.unicep.fill(s, rt2, n, 2, k1, k2);
  assert.ok(k1[0] > 1e14, 'single-processor jobs get enormous UNICEP keys');
  assert.throws(() => HEURISTICS.wfp3.fill(s, rt, n, 2, k1, k2), /ZeroDivision/);
});
