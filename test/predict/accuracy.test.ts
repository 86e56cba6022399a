import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { averageRanks, kendallTauB, predictionAccuracy, spearman } from '../../src/predict/accuracy';

/** O(n²) tau-b straight from the definition. */
function naiveTauB(x: number[], y: number[]): number {
  let c = 0;
  let d = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < x.length; i++)
    for (let j = i + 1; j < x.length; j++) {
      const a = Math.sign(x[i] - x[j]);
      const b = Math.sign(y[i] - y[j]);
      if (a === 0 && b === 0) continue;
      if (a === 0) tx++;
      else if (b === 0) ty++;
      else if (a === b) c++;
      else d++;
    }
  return (c - d) / Math.sqrt((c + d + tx) * (c + d + ty));
}

test('hand-computed accuracy', () => {
  // pred 1, 3, 7 vs truth 1, 1, 15: errors 0, 2, 8 → MAE 10/3; log errors 0, ln 2, ln 2 → median ln 2.
  const a = predictionAccuracy([1, 3, 7], [1, 1, 15]);
  assert.ok(Math.abs(a.mae - 10 / 3) < 1e-12);
  assert.ok(Math.abs(a.medianAbsLogError - Math.LN2) < 1e-12);
  assert.equal(a.withinFactor2, 1);
  assert.equal(a.jobs, 3);
  assert.deepEqual([...averageRanks([5, 1, 5, 2])], [3.5, 1, 3.5, 2]);
  assert.ok(Math.abs(spearman([1, 2, 3], [10, 20, 30]) - 1) < 1e-12);
  assert.ok(Math.abs(spearman([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  assert.ok(Math.abs(kendallTauB([1, 2, 3, 4], [1, 2, 3, 4]) - 1) < 1e-12);
  assert.ok(Math.abs(kendallTauB([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12);
  // x = 1,2,3 / y = 1,3,2: C = 2, D = 1, no ties → 1/3.
  assert.ok(Math.abs(kendallTauB([1, 2, 3], [1, 3, 2]) - 1 / 3) < 1e-12);
  assert.ok(Number.isNaN(kendallTauB([1, 1, 1], [1, 2, 3])));
});

test('tau-b in O(n log n) equals the O(n²) definition, ties included', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), {
        minLength: 2,
        maxLength: 60,
      }),
      (pairs) => {
        const x = pairs.map((p) => p[0]);
        const y = pairs.map((p) => p[1]);
        const want = naiveTauB(x, y);
        const got = kendallTauB(x, y);
        if (Number.isNaN(want)) assert.ok(Number.isNaN(got));
        else assert.ok(Math.abs(got - want) < 1e-12, `${got} vs ${want}`);
      },
    ),
    { seed: 7, numRuns: 300 },
  );
});
