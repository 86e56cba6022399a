import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CsvTable, intField, numberField, parseCsvRecords, textField } from '../../src/workload/csv';
import { parseDateTimeUtc } from '../../src/workload/datetime';
import { TraceError } from '../../src/util/errors';

const records = (text: string) => [...parseCsvRecords(text, 'x.csv')].map((r) => [r.line, r.fields] as const);

describe('parseCsvRecords', () => {
  test('plain rows, LF and CRLF, blank lines skipped, 1-based lines', () => {
    assert.deepEqual(records('a,b\r\n1,2\r\n\r\n3,\n'), [
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [4, ['3', '']],
    ]);
  });

  test('no trailing newline, byte-order mark', () => {
    assert.deepEqual(records('\uFEFFa,b\n1,2'), [
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
  });

  test('quoted fields: commas, escaped quotes, embedded newlines keep line numbers right', () => {
    const text = 'h1,h2,h3\n"a,b","say ""hi""",x\n"multi\nline",2,3\r\nlast,"",z\n';
    assert.deepEqual(records(text), [
      [1, ['h1', 'h2', 'h3']],
      [2, ['a,b', 'say "hi"', 'x']],
      [3, ['multi\nline', '2', '3']],
      [5, ['last', '', 'z']],
    ]);
  });

  test('quoted field at end of a CRLF line', () => {
    assert.deepEqual(records('a,"b"\r\nc,d\r\n'), [
      [1, ['a', 'b']],
      [2, ['c', 'd']],
    ]);
  });

  test('unterminated quote and junk after a closing quote are TraceErrors with file:line', () => {
    assert.throws(
      () => records('a\n"oops\n'),
      (e: unknown) => e instanceof TraceError && e.message.startsWith('x.csv:2:'),
    );
    assert.throws(
      () => records('a,b\n"q"x,1\n'),
      (e: unknown) => e instanceof TraceError && /x\.csv:2: field 'column 1'/.test(e.message),
    );
  });
});

describe('CsvTable', () => {
  const t = CsvTable.fromText('name, value ,n\nfoo,1.5,3\nbar,abc,2.5\nbaz,,1\nshort\n', 'mem.csv');

  test('header is trimmed; sha256 of the bytes', () => {
    assert.deepEqual(t.header, ['name', 'value', 'n']);
    assert.equal([...t.records].length, 4);
    assert.equal(
      t.sha256,
      createHash('sha256').update('name, value ,n\nfoo,1.5,3\nbar,abc,2.5\nbaz,,1\nshort\n').digest('hex'),
    );
  });

  test('missing required column is a TraceError on line 1 naming it', () => {
    assert.throws(() => t.column('duration'), /^TraceError: mem\.csv:1: field 'duration': missing required column/);
    assert.equal(t.optionalColumn('duration'), -1);
  });

  test('field helpers name file:line and the field', () => {
    const [foo, bar, baz, short] = t.records;
    assert.equal(numberField('mem.csv', foo, 1, 'value'), 1.5);
    assert.equal(intField('mem.csv', foo, 2, 'n'), 3);
    assert.throws(() => numberField('mem.csv', bar, 1, 'value'), {
      message: `mem.csv:3: field 'value': not a number ("abc")`,
    });
    assert.throws(() => intField('mem.csv', bar, 2, 'n'), { message: `mem.csv:3: field 'n': not an integer (2.5)` });
    assert.throws(() => numberField('mem.csv', baz, 1, 'value'), {
      message: `mem.csv:4: field 'value': missing value`,
    });
    assert.throws(() => textField('mem.csv', short, 1, 'value'), {
      message: `mem.csv:5: field 'value': missing value (row has 1 fields)`,
    });
  });
});

describe('parseDateTimeUtc', () => {
  test('matches Date.UTC, rejects malformed and impossible dates', () => {
    assert.equal(parseDateTimeUtc('2017-09-04 10:30:41'), 1504521041);
    assert.equal(parseDateTimeUtc('2000-02-29T00:00:00'), Date.UTC(2000, 1, 29) / 1000);
    assert.equal(parseDateTimeUtc('1970-01-01 00:00:00'), 0);
    for (const bad of [
      '2017-02-29 00:00:00',
      '2017-13-01 00:00:00',
      '2017-1-01 00:00:00',
      '2017-01-01 24:00:00',
      '2017/01/01 00:00:00',
      'None',
      '',
    ])
      assert.ok(Number.isNaN(parseDateTimeUtc(bad)), bad);
  });
});
