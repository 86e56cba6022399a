import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { confidenceInterval, bootstrapCI } from '../../src/metrics/ci';
import { Rng } from '../../src/util/rng';

const close = (actual: number, expected: number, eps: number): void =>
  assert.ok(Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);

describe('Student-t confidence interval', () => {
  test('[1..5] at 95%: 3 ± 2.776445 · sqrt(2.5) / sqrt(5)', () => {
    const ci = confidenceInterval([1, 2, 3, 4, 5]);
    const half = (2.7764451052 * Math.sqrt(2.5)) / Math.sqrt(5);
    assert.equal(ci.n, 5);
    close(ci.estimate, 3, 1e-15);
    close(ci.stdev, Math.sqrt(2.5), 1e-15);
    close(ci.halfWidth, half, 1e-8);
    close(ci.lo, 3 - half, 1e-8);
    close(ci.hi, 3 + half, 1e-8);
  });

  test('two samples at 90% use t_{0.95, 1} = 6.313752', () => {
    const ci = confidenceInterval([10, 12], 0.9);
    close(ci.halfWidth, 6.3137515, 1e-5); // s = sqrt(2), so s / sqrt(n) = 1
  });

  test('one sample: mean but no interval', () => {
    const ci = confidenceInterval([7]);
    assert.equal(ci.estimate, 7);
    assert.ok(Number.isNaN(ci.lo) && Number.isNaN(ci.hi));
  });
});

describe('percentile bootstrap', () => {
  test('a constant sample gives a zero-width interval at that constant', () => {
    const ci = bootstrapCI([4, 4, 4, 4], new Rng(1), { resamples: 200 });
    assert.deepEqual([ci.estimate, ci.lo, ci.hi], [4, 4, 4]);
  });

  test('same seed, same interval; the Rng stream drives it', () => {
    const src = new Rng(5);
    const xs = Array.from({ length: 30 }, () => src.random()); // continuous: bounds differ by seed
    const a = bootstrapCI(xs, new Rng(42));
    const b = bootstrapCI(xs, new Rng(42));
    const c = bootstrapCI(xs, new Rng(43));
    assert.deepEqual(a, b);
    assert.notDeepEqual([a.lo, a.hi], [c.lo, c.hi]);
    assert.ok(a.lo < a.estimate && a.estimate < a.hi);
  });

  test('for a large normal sample it agrees with the t interval to ~10%', () => {
    const rng = new Rng(7);
    const xs = Array.from({ length: 400 }, () => 10 + 2 * rng.normal());
    const t = confidenceInterval(xs);
    const bs = bootstrapCI(xs, new Rng(8), { resamples: 4000 });
    close(bs.hi - bs.lo, t.hi - t.lo, 0.1 * (t.hi - t.lo));
    close((bs.hi + bs.lo) / 2, t.estimate, 0.1 * t.halfWidth);
  });

  test('custom statistic: median of [1, 2, 100] resamples stays within the data', () => {
    const median = (s: Float64Array): number => Float64Array.from(s).sort()[(s.length - 1) >> 1];
    const ci = bootstrapCI([1, 2, 100], new Rng(3), { statistic: median, level: 0.9 });
    assert.equal(ci.estimate, 2);
    assert.ok(ci.lo >= 1 && ci.hi <= 100);
  });

  test('empty input gives NaN bounds', () => {
    const ci = bootstrapCI([], new Rng(1));
    assert.ok(Number.isNaN(ci.lo) && Number.isNaN(ci.estimate));
  });
});
