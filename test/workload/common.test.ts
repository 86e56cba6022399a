import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NotAJob, WorkloadBuilder, sortStable } from '../../src/workload/loaders/common';
import { makeJob, sortBySubmit } from '../../src/workload/job';
import { TraceError, UsageError } from '../../src/util/errors';

const job = (id: number, submit: number, group = 'g') => makeJob({ id: `j${id}`, submit, duration: 1, gpus: 1, group });

describe('loader common', () => {
  test('sortStable orders exactly like sortBySubmit (ties keep input order)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), (subs) => {
        const jobs = subs.map((s, i) => job(i, s));
        assert.deepEqual(sortStable(jobs), sortBySubmit(jobs));
      }),
    );
  });

  test('rowsRead = jobs + filtered + skipped for any mix of rows and filters', () => {
    const row = fc.record({
      kind: fc.constantFrom('ok', 'bad', 'notajob'),
      submit: fc.integer({ min: 0, max: 100 }),
      group: fc.constantFrom('a', 'b', 'c'),
    });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 40 }),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        (rows, from, limit) => {
          const b = new WorkloadBuilder('t', 'f.csv', 'x', { skipInvalid: true, group: ['a', 'b'], from, limit });
          rows.forEach((r, i) =>
            b.row(i + 2, () => {
              if (r.kind === 'bad') throw new TraceError('f.csv', i + 2, 'x', 'bad');
              if (r.kind === 'notajob') return new NotAJob('no');
              return job(i, r.submit, r.group);
            }),
          );
          const w = b.build(0);
          assert.equal(w.source.rowsRead, rows.length);
          assert.equal(w.source.rowsRead, w.jobs.length + w.source.filtered + w.source.skipped.length);
          assert.equal(w.source.skipped.length, rows.filter((r) => r.kind !== 'ok').length);
          const expected = rows.filter(
            (r) => r.kind === 'ok' && r.group !== 'c' && (from === undefined || r.submit >= from),
          ).length;
          assert.equal(w.jobs.length, limit === undefined ? expected : Math.min(limit, expected));
        },
      ),
    );
  });

  test("origin 'min' rebases on the earliest parsed job, before filters", () => {
    const b = new WorkloadBuilder('t', 'f.csv', 'x', { group: 'b' });
    b.row(2, () => job(1, 1000, 'a'));
    b.row(3, () => job(2, 1500, 'b'));
    const w = b.build('min');
    assert.deepEqual(
      w.jobs.map((j) => j.submit),
      [500],
    );
  });

  test('without skipInvalid a TraceError propagates; other errors always do; bad options are UsageErrors', () => {
    const b = new WorkloadBuilder('t', 'f.csv', 'x', {});
    assert.throws(
      () =>
        b.row(2, () => {
          throw new TraceError('f.csv', 2, 'x', 'bad');
        }),
      TraceError,
    );
    const s = new WorkloadBuilder('t', 'f.csv', 'x', { skipInvalid: true });
    assert.throws(
      () =>
        s.row(2, () => {
          throw new RangeError('bug');
        }),
      RangeError,
    );
    assert.throws(() => new WorkloadBuilder('t', 'f', 'x', { from: 10, to: 5 }), UsageError);
    assert.throws(() => new WorkloadBuilder('t', 'f', 'x', { limit: -1 }), UsageError);
  });
});
