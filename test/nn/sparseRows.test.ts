import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SparseRows } from '../../src/nn/sparseRows';

describe('SparseRows', () => {
  test('hand case: nonzeros in order, row bounds, unpack', () => {
    const s = new SparseRows(5, 1, 1); // tiny capacities: growth is exercised
    s.push(new Float32Array([0, 2, 0, 0, -1]));
    s.push(new Float32Array([0, 0, 0, 0, 0]));
    s.push(new Float32Array([7, 0, 0, 0.5, 0]));
    assert.equal(s.n, 3);
    assert.deepEqual([...s.rowStart.subarray(0, 4)], [0, 2, 2, 4]);
    assert.deepEqual([...s.idx.subarray(0, 4)], [1, 4, 0, 3]);
    assert.deepEqual([...s.val.subarray(0, 4)], [2, -1, 7, 0.5]);
    const out = new Float32Array(5).fill(9);
    s.unpack(2, out);
    assert.deepEqual([...out], [7, 0, 0, 0.5, 0]);
    s.clear();
    assert.equal(s.n, 0);
    assert.equal(s.nnz, 0);
  });

  test('push then unpack is the identity, for any width, offset (aligned or not) and sign of zero', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 33 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.constantFrom(0, -0, 1, 0.25, -3, 0, 0), { minLength: 1, maxLength: 200 }),
        (width, pad, cells) => {
          const rows = Math.max(1, Math.floor(cells.length / width));
          const buf = new Float32Array(pad + rows * width);
          for (let i = 0; i < rows * width; i++) buf[pad + i] = cells[i % cells.length];
          const s = new SparseRows(width, 1, 1);
          for (let r = 0; r < rows; r++) s.push(buf, pad + r * width);
          const out = new Float32Array(width);
          for (let r = 0; r < rows; r++) {
            s.unpack(r, out);
            for (let i = 0; i < width; i++) assert.equal(out[i] === 0, buf[pad + r * width + i] === 0);
            for (let i = 0; i < width; i++) if (out[i] !== 0) assert.equal(out[i], buf[pad + r * width + i]);
          }
          for (let k = 0; k < s.nnz; k++) assert.notEqual(s.val[k], 0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
