import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { quantileSorted } from '../../src/metrics/quantile';
import { jainIndex, groupMeans } from '../../src/metrics/fairness';
import { integrateStep, utilisation } from '../../src/metrics/utilisation';
import { activeJobArea } from '../../src/metrics/ftf';
import { trimmedWindow } from '../../src/metrics/window';
import { boundedSlowdowns, queueingDelays, slowdowns } from '../../src/metrics/perjob';
import { makespan } from '../../src/metrics/makespan';
import { JobStatus } from '../../src/sim/result';
import { buildResult, sixJobs } from './build-result';

describe('quantileSorted (type 7, numpy default)', () => {
  test('numpy reference values for [1, 2, 3, 4, 10]', () => {
    const xs = [1, 2, 3, 4, 10];
    // numpy.quantile([1,2,3,4,10], [0, .25, .5, .9, .99, 1])
    const expected: [number, number][] = [
      [0, 1],
      [0.25, 2],
      [0.5, 3],
      [0.9, 7.6],
      [0.99, 9.76],
      [1, 10],
    ];
    for (const [q, v] of expected) assert.ok(Math.abs(quantileSorted(xs, q) - v) < 1e-12, `q=${q}`);
  });

  test('single value and empty sample', () => {
    assert.equal(quantileSorted([5], 0.99), 5);
    assert.ok(Number.isNaN(quantileSorted([], 0.5)));
  });

  test('lies between the neighbouring order statistics', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (arr, q) => {
          const s = Float64Array.from(arr).sort();
          const v = quantileSorted(s, q);
          const h = (s.length - 1) * q;
          assert.ok(v >= s[Math.floor(h)] && v <= s[Math.ceil(h)]);
        },
      ),
    );
  });
});

describe("Jain's index", () => {
  test('hand values', () => {
    assert.equal(jainIndex([3, 3, 3]), 1);
    assert.equal(jainIndex([1, 0, 0, 0]), 0.25);
    assert.equal(jainIndex([1, 3]), 16 / 20);
    assert.equal(jainIndex([0, 0]), 1);
    assert.ok(Number.isNaN(jainIndex([])));
    assert.equal(jainIndex([2, NaN, 2]), 1); // NaN slots are skipped
  });

  test('always in [1/n, 1] for non-negative values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const j = jainIndex(xs);
        assert.ok(j <= 1 + 1e-12 && j >= 1 / xs.length - 1e-12, `J = ${j}`);
      }),
    );
  });

  test('groupMeans averages per group in first-appearance order', () => {
    const g = groupMeans([1, 2, 3, NaN, 5], (i) => ['x', 'y', 'x', 'y', 'z'][i], [0, 1, 2, 3]);
    assert.deepEqual(g.groups, ['x', 'y']);
    assert.deepEqual([...g.means], [2, 2]);
  });
});

describe('utilisation integral', () => {
  test('clips to [t0, t1], zero before the first point, last value held after', () => {
    const t = [10, 20];
    const v = [2, 5];
    assert.equal(integrateStep(t, v, 0, 10), 0);
    assert.equal(integrateStep(t, v, 15, 25), 2 * 5 + 5 * 5);
    assert.equal(integrateStep(t, v, 0, 100), 2 * 10 + 5 * 80);
  });

  test('empty interval or zero capacity gives NaN', () => {
    const r = sixJobs();
    assert.ok(Number.isNaN(utilisation(r, 'gpus', 5, 5)));
    const r0 = buildResult([], { gpus: 0, cpus: 1, memMiB: 1 }, { time: [0], gpus: [0], cpus: [0], memMiB: [0] });
    assert.ok(Number.isNaN(utilisation(r0, 'gpus', 0, 10)));
  });
});

describe('per-job metrics', () => {
  test('queueing delay is defined for started-but-unfinished jobs, slowdown is not', () => {
    const r = sixJobs();
    assert.deepEqual([...queueingDelays(r)], [0, 0, 15, 0, NaN, 5]);
    assert.deepEqual([...slowdowns(r)], [1, 1, 4, NaN, NaN, NaN]);
    assert.deepEqual([...boundedSlowdowns(r, 10)], [1, 1, 2, 1, NaN, NaN]);
    assert.throws(() => boundedSlowdowns(r, 0), RangeError);
  });

  test('makespan of the whole run and of a window', () => {
    assert.equal(makespan(sixJobs()), 25);
    assert.equal(makespan(sixJobs(), { from: 0, to: 1 }), 10);
    assert.ok(Number.isNaN(makespan(sixJobs(), { from: 4, to: 6 }))); // e rejected, f unfinished
  });

  test('trimmedWindow drops floor(n·f) jobs at each end', () => {
    assert.deepEqual(trimmedWindow(100, 0.1), { from: 10, to: 90 });
    assert.deepEqual(trimmedWindow(15, 0.1), { from: 1, to: 14 });
    assert.deepEqual(trimmedWindow(5, 0), { from: 0, to: 5 });
  });
});

describe('active-job area (finish-time fairness contention)', () => {
  test('hand values on six jobs: n(t) = 2 on [0,5), 3 on [5,10), 2 on [10,25), 1 after', () => {
    const A = activeJobArea(sixJobs());
    assert.deepEqual([-1, 0, 5, 10, 20, 25, 30].map(A), [0, 0, 10, 25, 45, 55, 60]);
  });

  test('matches a brute-force count integrated on a fine grid', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            s: fc.integer({ min: 0, max: 50 }),
            d: fc.integer({ min: 0, max: 30 }),
            st: fc.constantFrom(JobStatus.Finished, JobStatus.Rejected, JobStatus.Running),
          }),
          { maxLength: 12 },
        ),
        fc.integer({ min: 0, max: 90 }),
        (rows, q) => {
          rows.sort((x, y) => x.s - y.s);
          const r = buildResult(
            rows.map((x, i) => ({
              id: `j${i}`,
              submit: x.s,
              duration: x.d,
              state: x.st,
              start: x.s,
              finish: x.st === JobStatus.Finished ? x.s + x.d : undefined,
            })),
            { gpus: 1, cpus: 1, memMiB: 1 },
            { time: [0], gpus: [0], cpus: [0], memMiB: [0] },
          );
          // integer times: count jobs present in each unit interval [t, t+1)
          let brute = 0;
          for (let t = 0; t < q; t++)
            for (const x of rows)
              if (x.st !== JobStatus.Rejected && x.s <= t && (x.st !== JobStatus.Finished || t < x.s + x.d)) brute++;
          assert.equal(activeJobArea(r)(q), brute);
        },
      ),
    );
  });
});
