import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventQueue } from '../../src/sim/eventQueue';

type Ev = [time: number, kind: number, job: number, tag: number];

function popAll(q: EventQueue): Ev[] {
  const out: Ev[] = [];
  while (q.size > 0) {
    out.push([q.peekTime(), q.peekKind(), q.peekJob(), q.peekTag()]);
    q.pop();
  }
  return out;
}

describe('EventQueue', () => {
  test('pops by time, ties in insertion order, with payload intact', () => {
    const q = new EventQueue(2);
    q.push(5, 1, 10, 100);
    q.push(3, 0, 11, 101);
    q.push(5, 0, 12, 102);
    q.push(3, 1, 13, 103);
    q.push(1, 0, 14, -7);
    assert.equal(q.size, 5);
    assert.equal(q.peekTime(), 1);
    assert.deepEqual(popAll(q), [
      [1, 0, 14, -7],
      [3, 0, 11, 101],
      [3, 1, 13, 103],
      [5, 1, 10, 100],
      [5, 0, 12, 102],
    ]);
    assert.equal(q.peekTime(), Infinity);
  });

  test('slots are reused after pops without mixing payloads', () => {
    const q = new EventQueue(1);
    q.push(2, 0, 1, 1);
    q.push(1, 0, 2, 2);
    q.pop(); // frees the slot of job 2
    q.push(0, 1, 3, 3); // takes that slot
    q.push(4, 0, 4, 4);
    assert.deepEqual(popAll(q), [
      [0, 1, 3, 3],
      [2, 0, 1, 1],
      [4, 0, 4, 4],
    ]);
  });

  test('clear empties the queue and restarts the tie order', () => {
    const q = new EventQueue(4);
    q.push(1, 0, 1, 0);
    q.push(1, 0, 2, 0);
    q.clear();
    assert.equal(q.size, 0);
    q.push(7, 0, 9, 0);
    q.push(7, 0, 8, 0);
    assert.deepEqual(
      popAll(q).map((e) => e[2]),
      [9, 8],
    );
  });

  test('matches a stable sort under random interleaved push/pop (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 20 }) }), fc.constant({ pop: true })), {
          maxLength: 300,
        }),
        fc.integer({ min: 1, max: 8 }),
        (ops, cap) => {
          const q = new EventQueue(cap);
          // Reference: pending events as [time, seq, job]; pop takes the (time, seq) minimum.
          const ref: [number, number, number][] = [];
          let seq = 0;
          for (const op of ops) {
            if ('push' in op) {
              q.push(op.push, seq % 3, seq, seq * 2);
              ref.push([op.push, seq, seq]);
              seq++;
            } else if (ref.length > 0) {
              ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
              const [t, s, j] = ref.shift()!;
              assert.deepEqual([q.peekTime(), q.peekKind(), q.peekJob(), q.peekTag()], [t, s % 3, j, s * 2]);
              q.pop();
            }
            assert.equal(q.size, ref.length);
          }
          ref.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          assert.deepEqual(
            popAll(q),
            ref.map(([t, s, j]) => [t, s % 3, j, s * 2]),
          );
        },
      ),
      { numRuns: 300, seed: 12345 },
    );
  });
});
