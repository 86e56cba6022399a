import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rng } from '../../src/util/rng';
import { blockBootstrapCI, meanStat, pairedBlockBootstrapCI, quantileStat } from '../../src/metrics/blockBootstrap';

describe('block bootstrap', () => {
  test('a constant series has a zero-width interval at the constant', () => {
    const ci = blockBootstrapCI(new Array(50).fill(7), meanStat, new Rng(1), { blocks: 5, resamples: 200 });
    assert.deepEqual([ci.estimate, ci.lo, ci.hi, ci.n], [7, 7, 7, 50]);
  });

  test('one block: every resample is the whole series', () => {
    const ci = blockBootstrapCI([1, 2, 3, 10], meanStat, new Rng(3), { blocks: 1, resamples: 50 });
    assert.deepEqual([ci.estimate, ci.lo, ci.hi], [4, 4, 4]);
  });

  test('two blocks of equal size: resample means are exactly the block-mean combinations', () => {
    // blocks [0,0] and [10,10]: resamples have mean 0, 5 or 10; the 2.5/97.5 % quantiles of many draws are 0 and 10
    const ci = blockBootstrapCI([0, 0, 10, 10], meanStat, new Rng(5), { blocks: 2, resamples: 4000 });
    assert.equal(ci.estimate, 5);
    assert.equal(ci.lo, 0);
    assert.equal(ci.hi, 10);
  });

  test('NaN (unfinished jobs) are skipped by the statistics', () => {
    assert.equal(meanStat(Float64Array.from([1, NaN, 3]), 3), 2);
    assert.equal(quantileStat(0.5)(Float64Array.from([NaN, 5, 1, 3]), 4), 3);
  });

  test('paired: identical series give [0, 0]; a constant shift gives exactly the shift', () => {
    const a = Array.from({ length: 40 }, (_, i) => (i * 37) % 11);
    const z = pairedBlockBootstrapCI(a, a, meanStat, new Rng(2), { resamples: 300 });
    assert.deepEqual([z.estimate, z.lo, z.hi], [0, 0, 0]);
    const b = a.map((x) => x - 2);
    const d = pairedBlockBootstrapCI(a, b, meanStat, new Rng(2), { resamples: 300 });
    assert.ok(Math.abs(d.lo - 2) < 1e-12 && Math.abs(d.hi - 2) < 1e-12);
  });

  test('property: lo <= estimate-range <= hi within [min, max]; same seed, same interval', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 1e6 }),
        (xs, blocks, seed) => {
          const o = { blocks, resamples: 100 };
          const ci = blockBootstrapCI(xs, meanStat, new Rng(seed), o);
          const again = blockBootstrapCI(xs, meanStat, new Rng(seed), o);
          assert.deepEqual(ci, again);
          const lo = Math.min(...xs);
          const hi = Math.max(...xs);
          assert.ok(ci.lo <= ci.hi);
          assert.ok(ci.lo >= lo - 1e-6 * (1 + Math.abs(lo)) && ci.hi <= hi + 1e-6 * (1 + Math.abs(hi)));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('rejects bad options and mismatched pairs', () => {
    assert.throws(() => blockBootstrapCI([1], meanStat, new Rng(1), { blocks: 0 }), /blocks/);
    assert.throws(() => pairedBlockBootstrapCI([1, 2], [1], meanStat, new Rng(1)), /same length/);
  });
});
