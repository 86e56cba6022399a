/** Streaming readers and writers (issue 7 §2): same bytes and records as the in-memory ones. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CsvTable } from '../../src/workload/csv';
import { jobsCsv, jobsCsvStream } from '../../src/report/tables';
import { simulate } from '../../src/sim/simulator';
import { makeScheduler } from '../../src/schedulers/registry';
import { uniformCluster } from '../../src/cluster/spec';
import { makeJob } from '../../src/workload/job';

test('CsvTable.read streams 1 MiB chunks: records equal the in-memory parse, quoted fields spanning chunks included', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lepton-stream-'));
  // ~2.5 MiB: multi-line quoted fields and CRLF rows land on both sides of each chunk boundary.
  let text = 'a,b,c\n';
  for (let i = 0; text.length < 2.5 * (1 << 20); i++)
    text += i % 997 === 0 ? `${i},"multi\nline ""${i}""\r\nfield",x\r\n` : `${i},${'y'.repeat(i % 50)},z\n`;
  const f = path.join(dir, 't.csv');
  fs.writeFileSync(f, text);
  const streamed = CsvTable.read(f);
  const mem = CsvTable.fromText(text, f);
  assert.equal(streamed.sha256, mem.sha256);
  const a = [...streamed.records];
  const b = [...mem.records];
  assert.equal(a.length, b.length);
  assert.deepEqual(a, b);
  assert.ok(a.some((r) => r.fields[1].includes('\n')));
  // Iterating twice streams twice (loaders with two passes).
  assert.equal([...streamed.records].length, a.length);
});

test('jobs.csv streamed equals jobs.csv built in memory', () => {
  const jobs = Array.from({ length: 300 }, (_, i) =>
    makeJob({
      id: `j,${i}`,
      submit: i * 3.5,
      duration: (i % 17) * 11.25,
      gpus: 1 + (i % 4),
      group: i % 2 ? 'a' : 'b "q"',
    }),
  );
  const cluster = uniformCluster('u', 2, { gpus: 4, cpus: 48, memMiB: 1 << 18 });
  const results = ['fifo', 'tiresias'].map((p) => simulate(jobs, cluster, makeScheduler(p)));
  let streamed = '';
  jobsCsvStream(results, (s) => (streamed += s));
  assert.equal(streamed, jobsCsv(results));
});
