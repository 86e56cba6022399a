import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POLLUX_REFERENCE_GPU_SECONDS, loadPollux } from '../../src/workload/loaders/pollux';
import { loadPhilly } from '../../src/workload/loaders/philly';
import { sharedDataset } from '../../src/workload/traces';
import { TraceError } from '../../src/util/errors';

const ROOT = sharedDataset('dl-workloads-pollux-sia');
const FOLDERS = [
  ['pollux_osdi21/workloads', 8],
  ['sia_sosp23/philly', 8],
  ['sia_sosp23/saturn', 10],
] as const;

describe('Pollux / Sia workloads (real files)', () => {
  for (const [folder, files] of FOLDERS) {
    test(`${folder}: ${files} files × 160 jobs, ~8 h of arrivals`, () => {
      const names = readdirSync(join(ROOT, folder)).filter((f) => f.endsWith('.csv'));
      assert.equal(names.length, files);
      for (const n of names) {
        const w = loadPollux(join(ROOT, folder, n));
        assert.equal(w.jobs.length, 160, n);
        assert.equal(w.source.rowsRead, 160);
        const span = w.jobs[159].submit - w.jobs[0].submit;
        assert.ok(span > 7 * 3600 && span <= 8 * 3600, `${n} span ${span}`);
      }
    });
  }

  test('application counts over the Pollux folder match the README', () => {
    const counts: Record<string, number> = {};
    for (let i = 1; i <= 8; i++)
      for (const j of loadPollux(join(ROOT, 'pollux_osdi21/workloads', `workload-${i}.csv`)).jobs)
        counts[j.group] = (counts[j.group] ?? 0) + 1;
    assert.deepEqual(counts, { cifar10: 495, ncf: 503, deepspeech2: 111, bert: 86, yolov3: 59, imagenet: 26 });
  });

  test('duration model: reference GPU-seconds / num_replicas', () => {
    const w = loadPollux(join(ROOT, 'pollux_osdi21/workloads/workload-1.csv'));
    // cifar10-0,107,cifar10,6,2048
    const j = w.jobs.find((x) => x.id === 'cifar10-0')!;
    assert.deepEqual([j.submit, j.gpus, j.duration, j.group], [107, 6, 1071 / 6, 'cifar10']);
    const alt = loadPollux(join(ROOT, 'pollux_osdi21/workloads/workload-1.csv'), {
      gpuSeconds: { ...POLLUX_REFERENCE_GPU_SECONDS, cifar10: 600 },
    });
    assert.equal(alt.jobs.find((x) => x.id === 'cifar10-0')!.duration, 100);
  });

  test('reference table = mean GPU-time of the Pollux generator buckets in the Philly table', () => {
    const buckets = [[], [], [], []] as number[][];
    for (const j of loadPhilly(sharedDataset('philly', 'philly_jobs_pollux.csv')).jobs) {
      const gpuS = j.duration * j.gpus;
      if (j.duration < 60 || gpuS >= 1000 * 3600) continue;
      buckets[gpuS < 3600 ? 0 : gpuS < 36000 ? 1 : gpuS < 360000 ? 2 : 3].push(gpuS);
    }
    const means = buckets.map((b) => Math.round(b.reduce((s, x) => s + x, 0) / b.length));
    assert.deepEqual(
      buckets.map((b) => b.length),
      [55508, 13807, 3575, 1538],
    );
    const t = POLLUX_REFERENCE_GPU_SECONDS;
    assert.deepEqual(means, [t.cifar10, t.deepspeech2, t.yolov3, t.imagenet]);
  });

  test('unknown application and bad replicas are TraceErrors with file:line', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'lepton-pollux-')), 'w.csv');
    writeFileSync(
      f,
      'name,time,application,num_replicas,batch_size\na-0,1,cifar10,2,64\nb-1,2,gpt9,1,8\nc-2,3,ncf,x,8\n',
    );
    assert.throws(
      () => loadPollux(f),
      (e: unknown) =>
        e instanceof TraceError &&
        e.message.startsWith(`${f}:3: field 'application': no reference duration for "gpt9"`),
    );
    const w = loadPollux(f, { skipInvalid: true });
    assert.deepEqual([w.jobs.length, w.source.skipped.map((s) => s.line)], [1, [3, 4]]);
    assert.match(w.source.skipped[1].reason, /field 'num_replicas': not a number/);
  });
});
