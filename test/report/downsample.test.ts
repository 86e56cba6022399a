import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cdfPoints, downsampleStep } from '../../src/report/downsample';
import { integrateStep } from '../../src/metrics/utilisation';

describe('downsampleStep', () => {
  test('a short series is only clipped to [t0, t1]', () => {
    const d = downsampleStep([0, 10, 20], [1, 3, 2], 5, 15, 100);
    assert.deepEqual([...d.time], [5, 10, 15]);
    assert.deepEqual([...d.value], [1, 3, 3]);
  });

  test('bucket means by hand: 4 buckets of 10 s over [0, 40]', () => {
    // value 0 on [0,5), 4 on [5,25), 1 on [25,∞); repeated values at 6 and 27
    // make 6 points, more than 5, so the series is bucketed
    const d = downsampleStep([0, 5, 6, 25, 27], [0, 4, 4, 1, 1], 0, 40, 5);
    assert.deepEqual([...d.time], [0, 10, 20, 30, 40]);
    assert.deepEqual([...d.value], [2, 4, 2.5, 1, 1]);
  });

  test('never more than maxPoints and the time average is preserved', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 8 })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.integer({ min: 2, max: 50 }),
        (pts, maxPoints) => {
          pts.sort((a, b) => a[0] - b[0]);
          const time = pts.map((p) => p[0]);
          const value = pts.map((p) => p[1]);
          const d = downsampleStep(time, value, 0, 1000, maxPoints);
          assert.ok(d.time.length <= maxPoints);
          const exact = integrateStep(time, value, 0, 1000);
          const approx = integrateStep(d.time, d.value, 0, 1000);
          assert.ok(Math.abs(exact - approx) < 1e-6 * Math.max(1, exact), `${exact} vs ${approx}`);
        },
      ),
    );
  });

  test('100k points shrink to 2,000', () => {
    const n = 100_000;
    const time = Float64Array.from({ length: n }, (_, i) => i);
    const value = Float64Array.from({ length: n }, (_, i) => i % 2);
    const d = downsampleStep(time, value, 0, n, 2000);
    assert.equal(d.time.length, 2000);
    for (const v of d.value) assert.ok(Math.abs(v - 0.5) < 0.01);
  });
});

describe('cdfPoints', () => {
  test('small sample keeps every point; ties jump to the last equal rank', () => {
    const c = cdfPoints([1, 2, 2, 5], 10);
    assert.deepEqual([...c.x], [1, 2, 2, 5]);
    assert.deepEqual([...c.y], [0.25, 0.75, 0.75, 1]);
  });

  test('thinned sample keeps the ends and evenly spaced ranks', () => {
    const sorted = Float64Array.from({ length: 101 }, (_, i) => i);
    const c = cdfPoints(sorted, 5);
    assert.deepEqual([...c.x], [0, 25, 50, 75, 100]);
    assert.deepEqual([...c.y], [1 / 101, 26 / 101, 51 / 101, 76 / 101, 1]);
  });

  test('empty sample gives no points', () => {
    assert.equal(cdfPoints([], 10).x.length, 0);
  });
});
