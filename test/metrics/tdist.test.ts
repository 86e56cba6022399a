import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { tCdf, tQuantile, incompleteBeta, logGamma } from '../../src/metrics/tdist';

const close = (actual: number, expected: number, eps: number): void =>
  assert.ok(Math.abs(actual - expected) <= eps, `expected ${expected}, got ${actual}`);

describe('Student-t quantiles', () => {
  // Values from standard t tables (rounded to 4 decimals there).
  const table: [p: number, df: number, t: number][] = [
    [0.975, 1, 12.7062],
    [0.975, 2, 4.3027],
    [0.975, 4, 2.7764],
    [0.975, 9, 2.2622],
    [0.975, 10, 2.2281],
    [0.975, 30, 2.0423],
    [0.95, 5, 2.015],
    [0.95, 30, 1.6973],
    [0.995, 2, 9.9248],
    [0.995, 20, 2.8453],
    [0.9995, 1, 636.6192],
    [0.9, 3, 1.6377],
  ];
  for (const [p, df, t] of table) test(`t_{${p}, ${df}} = ${t}`, () => close(tQuantile(p, df), t, 5e-5));

  test('t_{0.975, 4} rounds to the textbook 2.776', () => assert.equal(tQuantile(0.975, 4).toFixed(3), '2.776'));

  test('large df approaches the normal quantile 1.959964', () => close(tQuantile(0.975, 1e7), 1.959964, 1e-5));

  test('lower tail is symmetric and the median is 0', () => {
    assert.equal(tQuantile(0.025, 7), -tQuantile(0.975, 7));
    assert.equal(tQuantile(0.5, 3), 0);
  });

  test('df = 2 matches the closed form (2p − 1) / sqrt(2 p (1 − p))', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.51, max: 0.999, noNaN: true }), (p) => {
        const exact = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
        close(tQuantile(p, 2), exact, 1e-9 * Math.max(1, exact));
      }),
    );
  });

  test('df = 1 CDF is the Cauchy CDF 1/2 + atan(t)/pi', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), (t) => {
        close(tCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-12);
      }),
    );
  });

  test('invalid arguments give NaN', () => {
    assert.ok(Number.isNaN(tQuantile(0.9, 0)));
    assert.ok(Number.isNaN(tQuantile(1.2, 3)));
  });
});

describe('special functions', () => {
  test('logGamma at integers is log((n−1)!) and at 1/2 is log(sqrt(pi))', () => {
    close(logGamma(1), 0, 1e-13);
    close(logGamma(5), Math.log(24), 1e-12);
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-12);
  });

  test('I_x(1, 1) = x and I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    close(incompleteBeta(0.3, 1, 1), 0.3, 1e-14);
    close(incompleteBeta(0.2, 2.5, 4), 1 - incompleteBeta(0.8, 4, 2.5), 1e-13);
    close(incompleteBeta(0.5, 2, 3), 0.6875, 1e-13); // 1 − (1−x)^3 (1+3x) at x = 1/2
  });
});
