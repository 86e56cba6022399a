import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatCsvNumber, quoteField, writeCsv } from '../../src/util/csv';
import { summaryCsv, jobsCsv } from '../../src/report/tables';
import { summarize } from '../../src/metrics/summary';
import { sixJobs } from '../metrics/build-result';

describe('formatCsvNumber', () => {
  test('integers exactly, decimals to 6 places, small values to 6 significant digits', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [42, '42'],
      [-7, '-7'],
      [1700000000, '1700000000'],
      [12.5, '12.5'],
      [3.14159265, '3.141593'],
      [123456.7890123, '123456.789012'],
      [1 / 3, '0.333333'],
      [0.00123456789, '0.00123457'],
      [1.5e-7, '1.5e-7'],
      [-2.0000001, '-2'],
      [-0.0000001, '-1e-7'],
      [0.1 + 0.2, '0.3'],
    ];
    for (const [x, s] of cases) assert.equal(formatCsvNumber(x), s, `formatCsvNumber(${x})`);
  });

  test('non-finite values', () => {
    assert.equal(formatCsvNumber(NaN), '');
    assert.equal(formatCsvNumber(Infinity), 'inf');
    assert.equal(formatCsvNumber(-Infinity), '-inf');
  });
});

describe('writeCsv', () => {
  test('quotes commas, quotes, newlines and edge spaces only', () => {
    assert.equal(quoteField('plain'), 'plain');
    assert.equal(quoteField('a,b'), '"a,b"');
    assert.equal(quoteField('say "hi"'), '"say ""hi"""');
    assert.equal(quoteField('two\nlines'), '"two\nlines"');
    assert.equal(quoteField(' padded'), '" padded"');
  });

  test('columns in order, renamed headers, missing cells empty', () => {
    const csv = writeCsv(
      [
        { name: 'fifo, v2', n: 3, x: 0.5, ok: true },
        { name: 'sjf', n: 10, x: NaN },
      ],
      ['name', { key: 'x', header: 'x_s' }, 'n', 'ok', 'absent'],
    );
    assert.equal(csv, 'name,x_s,n,ok,absent\n"fifo, v2",0.5,3,true,\nsjf,,10,,\n');
  });
});

describe('summary.csv and jobs.csv', () => {
  test('summary.csv: header with units, one row per policy', () => {
    const csv = summaryCsv([{ policy: 'six', summary: summarize(sixJobs()) }]);
    const [header, row, end] = csv.split('\n');
    assert.ok(header.startsWith('policy,jobs_count,finished_count,rejected_count,unfinished_count,jctMean_s,'));
    assert.ok(row.startsWith('six,6,4,1,1,12.5,15,20,20,20,3.75,0,12.75,14.55,2,'));
    assert.equal(end, '');
  });

  test('jobs.csv: per-job metrics, empty where undefined', () => {
    const lines = jobsCsv([sixJobs()]).trimEnd().split('\n');
    assert.equal(
      lines[0],
      'policy,id,group,submit,duration,gpus,gpuShare,cpus,memMiB,status,start,finish,jct,queue,slowdown,bsld,preemptions',
    );
    assert.equal(lines.length, 7);
    assert.equal(lines[3], 'six,c,u1,5,5,4,0,4,40,finished,20,25,20,15,4,2,1');
    assert.equal(lines[4], 'six,d,u2,10,0,0,0,1,5,finished,10,10,0,0,,1,0');
    assert.equal(lines[5], 'six,e,u1,12,30,4,0,1,1,rejected,,,,,,,0');
    assert.equal(lines[6], 'six,f,u3,20,100,1,0,1,10,running,25,,,5,,,2');
  });
});
