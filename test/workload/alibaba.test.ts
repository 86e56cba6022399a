import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNSCHEDULED_REASON, loadAlibaba } from '../../src/workload/loaders/alibaba';
import { alibabaNodeList } from '../../src/cluster/alibaba';
import { gpuTypeAllows, gpuTypeAlternatives } from '../../src/workload/gpuType';
import { sharedDataset } from '../../src/workload/traces';
import { clusterTotals } from '../../src/cluster/spec';
import { TraceError } from '../../src/util/errors';

const DIR = sharedDataset('alibaba-gpu-2023-openb');
const PODS = join(DIR, 'openb_pod_list_default.csv');
const tmp = mkdtempSync(join(tmpdir(), 'lepton-openb-'));

describe('Alibaba openb pods (real file)', () => {
  const w = loadAlibaba(PODS);

  test('8,152 pods: 7,255 jobs + 897 unscheduled (Pending) pods counted in skipped', () => {
    assert.equal(w.source.rowsRead, 8152);
    assert.equal(w.jobs.length, 7255);
    assert.equal(w.source.skipped.length, 897);
    assert.ok(w.source.skipped.every((s) => s.reason === UNSCHEDULED_REASON));
    assert.equal(w.source.filtered, 0);
    assert.equal(w.source.rowsRead, w.jobs.length + w.source.filtered + w.source.skipped.length);
  });

  test('phases, QoS groups, GPU sharing and CPU-only pods', () => {
    const count = (f: (j: (typeof w.jobs)[number]) => boolean) => w.jobs.filter(f).length;
    assert.equal(
      count((j) => j.status === 'Running'),
      5193,
    );
    assert.equal(
      count((j) => j.status === 'Failed'),
      1870,
    );
    assert.equal(
      count((j) => j.status === 'Succeeded'),
      192,
    );
    assert.equal(
      count((j) => j.status === 'Pending'),
      0,
    );
    assert.equal(
      count((j) => j.gpuShare > 0),
      2573,
    ); // num_gpu 1, gpu_milli < 1000, scheduled
    assert.ok(w.jobs.every((j) => (j.gpuShare > 0 ? j.gpus === 0 && j.gpuShare < 1 : true)));
    assert.equal(
      count((j) => j.gpuType !== undefined),
      0,
    ); // gpu_spec is empty in the default list
    assert.equal(new Set(w.jobs.map((j) => j.group)).size, 4);
    // Σ (deletion − scheduled) over scheduled pods, computed independently with awk.
    assert.equal(
      w.jobs.reduce((s, j) => s + j.duration, 0),
      210028342,
    );
  });

  test('first pod mapped field by field', () => {
    // openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0
    const j = w.jobs.find((x) => x.id === 'openb-pod-0000')!;
    assert.deepEqual(
      {
        submit: j.submit,
        duration: j.duration,
        gpus: j.gpus,
        share: j.gpuShare,
        cpus: j.cpus,
        mem: j.memMiB,
        group: j.group,
        status: j.status,
        line: j.line,
      },
      {
        submit: 0,
        duration: 12537496,
        gpus: 1,
        share: 0,
        cpus: 12,
        mem: 16384,
        group: 'LS',
        status: 'Running',
        line: 2,
      },
    );
    // openb-pod-0001,6000,12288,1,460,... → share 0.46, no whole GPU.
    const s = w.jobs.find((x) => x.id === 'openb-pod-0001')!;
    assert.deepEqual([s.gpus, s.gpuShare, s.cpus], [0, 0.46, 6]);
  });

  test('QoS filter', () => {
    const be = loadAlibaba(PODS, { group: 'BE' });
    assert.ok(be.jobs.length > 0 && be.jobs.every((j) => j.group === 'BE'));
    assert.equal(be.source.rowsRead, be.jobs.length + be.source.filtered + be.source.skipped.length);
  });
});

describe('Alibaba openb nodes', () => {
  test('all-node list: 1,523 nodes, 6,212 GPUs; GPU-node list: 1,213 nodes, 6,212 GPUs', () => {
    const all = alibabaNodeList(join(DIR, 'openb_node_list_all_node.csv'));
    assert.deepEqual([clusterTotals(all).nodes, clusterTotals(all).gpus], [1523, 6212]);
    const gpu = alibabaNodeList(join(DIR, 'openb_node_list_gpu_node.csv'));
    assert.deepEqual([clusterTotals(gpu).nodes, clusterTotals(gpu).gpus], [1213, 6212]);
    const byModel = new Map<string, number>();
    for (const n of gpu.nodes) byModel.set(n.gpuType!, (byModel.get(n.gpuType!) ?? 0) + n.gpus);
    assert.equal(byModel.get('G2'), 4392);
    assert.equal(byModel.get('V100M32'), 204);
    assert.equal(all.nodes.filter((n) => n.gpus === 0 && n.gpuType === undefined).length, 310);
    assert.deepEqual(gpu.nodes[0], { name: 'openb-node-0000', gpus: 2, gpuType: 'P100', cpus: 64, memMiB: 262144 });
  });
});

describe('gpu_spec alternatives', () => {
  test('raw string kept; a node matches any listed model', () => {
    const f = join(tmp, 'spec.csv');
    writeFileSync(
      f,
      'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n' +
        'p0,4000,1024,2,1000,V100M16|V100M32,LS,Succeeded,10,100,20\n' +
        'p1,4000,1024,1,500,,BE,Failed,5,50,5\n',
    );
    const w = loadAlibaba(f);
    assert.deepEqual(
      w.jobs.map((j) => [j.id, j.submit, j.duration, j.gpus, j.gpuShare, j.gpuType]),
      [
        ['p1', 5, 45, 0, 0.5, undefined],
        ['p0', 10, 80, 2, 0, 'V100M16|V100M32'],
      ],
    );
    assert.deepEqual(gpuTypeAlternatives('V100M16|V100M32'), ['V100M16', 'V100M32']);
    assert.equal(gpuTypeAllows('V100M16|V100M32', 'V100M32'), true);
    assert.equal(gpuTypeAllows('V100M16|V100M32', 'V100'), false);
    assert.equal(gpuTypeAllows('V100M16|V100M32', undefined), false);
    assert.equal(gpuTypeAllows(undefined, 'T4'), true);
    assert.equal(gpuTypeAllows('', undefined), true);
  });
});

describe('Alibaba loader on corrupted copies', () => {
  const header =
    'name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n';
  const good = 'ok,1000,10,1,1000,,LS,Running,0,100,0\n';
  const cases: [string, string, string, string][] = [
    [
      'negative duration',
      'p,1000,10,1,1000,,LS,Failed,50,60,70\n',
      'deletion_time',
      'before scheduled_time: negative duration (-10)',
    ],
    ['bad number', 'p,1k,10,1,1000,,LS,Failed,50,60,50\n', 'cpu_milli', 'not a number ("1k")'],
    ['zero share', 'p,1000,10,1,0,,LS,Failed,50,60,50\n', 'gpu_milli', 'must be in (0, 1000]'],
  ];
  for (const [name, bad, field, reason] of cases) {
    test(name, () => {
      const f = join(tmp, `${name.replace(/ /g, '_')}.csv`);
      writeFileSync(f, header + good + bad + good.replace('ok,', 'ok2,'));
      assert.throws(
        () => loadAlibaba(f),
        (e: unknown) => e instanceof TraceError && e.message.startsWith(`${f}:3: field '${field}': ${reason}`),
      );
      const w = loadAlibaba(f, { skipInvalid: true });
      assert.deepEqual(
        [w.source.rowsRead, w.jobs.length, w.source.skipped.length, w.source.skipped[0].line],
        [3, 2, 1, 3],
      );
    });
  }

  test('missing column names it on line 1', () => {
    const f = join(tmp, 'nocol.csv');
    writeFileSync(f, header.replace(',qos', '') + 'ok,1000,10,1,1000,,Running,0,100,0\n');
    assert.throws(
      () => loadAlibaba(f),
      (e: unknown) => e instanceof TraceError && e.message.startsWith(`${f}:1: field 'qos': missing required column`),
    );
  });
});
