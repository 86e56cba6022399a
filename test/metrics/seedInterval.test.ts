/**
 * The cross-seed interval (percentile bootstrap of the mean): hand-checked small cases, and the
 * promise that made us switch from the t interval: bounds never leave [min, max] of the values, so a
 * non-negative metric never gets a negative lower bound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { confidenceInterval, seedInterval, SEED_INTERVAL_DEFAULTS } from '../../src/metrics/ci';

test('two seeds [1, 3]: resample means 1, 2, 3 with P = 1/4, 1/2, 1/4 -> [1, 3]', () => {
  // P(mean = 1) = 1/4 > 2.5 %, so the 2.5 % quantile is 1; likewise 3 at 97.5 %.
  assert.deepEqual(seedInterval([1, 3]), { n: 2, estimate: 2, lo: 1, hi: 3 });
});

test('nine zeros and a one: mean k/10 with k ~ Binomial(10, 0.1) -> [0, 0.3]', () => {
  // P(k = 0) = 0.349 > 2.5 % -> lo = 0; P(k <= 2) = 0.930 < 97.5 % < P(k <= 3) = 0.987 -> hi = 0.3.
  const ci = seedInterval([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.equal(ci.estimate, 0.1);
  assert.equal(ci.lo, 0);
  assert.equal(ci.hi, 0.3);
});

test('identical seeds: a point interval; one seed: no interval', () => {
  assert.deepEqual(seedInterval([0.1, 0.1, 0.1]).lo, 0.1);
  assert.deepEqual(seedInterval([0.1, 0.1, 0.1]).hi, 0.1);
  const one = seedInterval([7]);
  assert.equal(one.estimate, 7);
  assert.ok(Number.isNaN(one.lo) && Number.isNaN(one.hi));
  assert.ok(Number.isNaN(seedInterval([]).estimate));
  assert.throws(() => seedInterval([1, NaN]), /NaN/);
});

test('the skewed case of issue 6: the t interval goes negative, the seed interval does not', () => {
  // One seed with a long queue dominates the mean JCT (the shape of `npm start`'s FIFO row).
  const jct = [21_000, 35_000, 28_000, 700_000, 27_000];
  assert.ok(confidenceInterval(jct).lo < 0, 'the t interval this replaces');
  const ci = seedInterval(jct);
  assert.ok(ci.lo >= 21_000 && ci.lo < ci.estimate && ci.estimate < ci.hi && ci.hi <= 700_000, JSON.stringify(ci));
});

test('property: lo >= min(values) >= 0 and hi <= max(values) for any non-negative metric; deterministic', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 2, maxLength: 12 }), (xs) => {
      const ci = seedInterval(xs);
      const min = Math.min(...xs);
      const max = Math.max(...xs);
      assert.ok(ci.lo >= min && ci.lo >= 0, `lo ${ci.lo} < min ${min}`);
      assert.ok(ci.hi <= max, `hi ${ci.hi} > max ${max}`);
      assert.ok(ci.lo <= ci.hi);
      assert.deepEqual(seedInterval(xs), ci);
    }),
    { numRuns: 200 },
  );
});

test('fractions stay in [0, 1]', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 8 }), (xs) => {
      const ci = seedInterval(xs);
      assert.ok(ci.lo >= 0 && ci.hi <= 1);
    }),
    { numRuns: 100 },
  );
});

test('defaults are the documented ones', () => {
  assert.deepEqual({ ...SEED_INTERVAL_DEFAULTS }, { level: 0.95, resamples: 10_000, seed: 0x5eed });
});
