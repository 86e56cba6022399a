import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MinTree, SumTree } from '../../src/agents/sumTree';
import { Rng } from '../../src/util/rng';

describe('SumTree', () => {
  test('total and find follow prefix sums (non power-of-two capacity)', () => {
    const t = new SumTree(5);
    [1, 2, 0, 3, 4].forEach((p, i) => t.update(i, p));
    assert.equal(t.total(), 10);
    // cumulative: [0,1) -> 0, [1,3) -> 1, slot 2 has zero mass, [3,6) -> 3, [6,10) -> 4
    assert.equal(t.find(0), 0);
    assert.equal(t.find(0.999), 0);
    assert.equal(t.find(1), 1);
    assert.equal(t.find(2.999), 1);
    assert.equal(t.find(3), 3);
    assert.equal(t.find(5.5), 3);
    assert.equal(t.find(6), 4);
    assert.equal(t.find(9.999), 4);
    // rounding past the right edge still lands on a positive-mass slot
    assert.equal(t.find(10), 4);
    assert.equal(t.find(11), 4);
    t.update(4, 0);
    assert.equal(t.total(), 6);
    assert.equal(t.find(7), 3);
  });

  test('empty tree finds -1; bad inputs throw', () => {
    const t = new SumTree(3);
    assert.equal(t.find(0), -1);
    assert.throws(() => t.update(3, 1), RangeError);
    assert.throws(() => t.update(0, -1), RangeError);
    assert.throws(() => t.update(0, NaN), RangeError);
    assert.throws(() => new SumTree(0));
  });

  test('total equals the sum of leaves after random updates (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 100, noNaN: true })), { maxLength: 200 }),
        (cap, ups) => {
          const t = new SumTree(cap);
          const ref = new Float64Array(cap);
          for (const [i, p] of ups) {
            t.update(i % cap, p);
            ref[i % cap] = p;
          }
          const sum = ref.reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(t.total() - sum) <= 1e-9 * Math.max(1, sum));
          for (let i = 0; i < cap; i++) assert.equal(t.get(i), ref[i]);
          if (sum > 0) {
            // find lands on the slot whose cumulative interval holds the prefix
            let acc = 0;
            for (let i = 0; i < cap; i++) {
              if (ref[i] > 0 && ref[i] > 1e-6) assert.equal(t.find(acc + ref[i] / 2), i);
              acc += ref[i];
            }
          }
        },
      ),
    );
  });

  test('sampling frequencies match priorities (chi-square, seeded)', () => {
    const priorities = [5, 1, 0, 10, 3, 0.5, 7, 2, 1.5];
    const t = new SumTree(priorities.length);
    priorities.forEach((p, i) => t.update(i, p));
    const rng = new Rng(12345);
    const N = 200_000;
    const counts = new Array(priorities.length).fill(0);
    for (let k = 0; k < N; k++) counts[t.sample(rng)]++;
    assert.equal(counts[2], 0, 'zero-priority slot is never sampled');
    const total = priorities.reduce((a, b) => a + b, 0);
    let chi2 = 0;
    let dof = -1;
    for (let i = 0; i < priorities.length; i++) {
      if (priorities[i] === 0) continue;
      const expected = (N * priorities[i]) / total;
      chi2 += (counts[i] - expected) ** 2 / expected;
      dof++;
    }
    // dof = 7; the 99.9% quantile of chi-square(7) is 24.32
    assert.equal(dof, 7);
    assert.ok(chi2 < 24.32, `chi2 = ${chi2}`);
  });
});

describe('MinTree', () => {
  test('tracks the minimum over set slots', () => {
    const m = new MinTree(6);
    assert.equal(m.min(), Infinity);
    m.update(2, 5);
    m.update(4, 3);
    assert.equal(m.min(), 3);
    m.update(4, 9);
    assert.equal(m.min(), 5);
    m.update(0, 0.25);
    assert.equal(m.min(), 0.25);
  });
});
