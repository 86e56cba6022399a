import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PHILLY_MACHINE_SIZES,
  PHILLY_VC_NODES,
  alibabaCluster,
  clusterFromJson,
  phillyCluster,
  phillyVcNodes,
  presetCluster,
} from '../../src/cluster/presets';
import { clusterTotals } from '../../src/cluster/spec';
import { UsageError } from '../../src/util/errors';

const tmp = mkdtempSync(join(tmpdir(), 'lepton-presets-'));

describe('cluster presets', () => {
  test('philly: revised machine list without 0-GPU machines = 539 nodes, 3,205 GPUs', () => {
    const c = phillyCluster();
    const t = clusterTotals(c);
    assert.deepEqual([c.name, t.nodes, t.gpus, t.maxNodeGpus], ['philly', 539, 3205, 8]);
    const sizes: Record<number, number> = {};
    for (const n of c.nodes) sizes[n.gpus] = (sizes[n.gpus] ?? 0) + 1;
    assert.deepEqual(sizes, { 2: 3, 3: 1, 4: 271, 8: 264 });
    assert.deepEqual(presetCluster('philly').nodes.length, 539);
  });

  test('philly:<vc>: node quota × 8 GPUs; 11 VCs, 352 nodes', () => {
    const q = phillyVcNodes();
    assert.equal(q.size, 11);
    assert.equal(
      [...q.values()].reduce((s, x) => s + x, 0),
      352,
    );
    const c = presetCluster('philly:6214e9');
    assert.deepEqual([c.name, clusterTotals(c).nodes, clusterTotals(c).gpus], ['philly:6214e9', 64, 512]);
    assert.equal(clusterTotals(phillyCluster({ vc: 'ee9e8c', gpusPerNode: 4 })).gpus, 256);
    assert.throws(() => presetCluster('philly:23dbec'), /unknown Philly VC "23dbec"/);
  });

  test('embedded Philly copies equal the shared files and are used when the files are absent', () => {
    const sizes = new Map<number, number>();
    for (const n of phillyCluster().nodes) sizes.set(n.gpus, (sizes.get(n.gpus) ?? 0) + 1);
    assert.deepEqual(new Map(PHILLY_MACHINE_SIZES.map(([g, c]) => [g, c])), sizes);
    assert.deepEqual(new Map(Object.entries(PHILLY_VC_NODES)), phillyVcNodes());
    const saved = process.env.LEPTON_SHARED;
    process.env.LEPTON_SHARED = join(tmp, 'no-shared-here');
    try {
      const c = phillyCluster();
      assert.deepEqual([clusterTotals(c).nodes, clusterTotals(c).gpus, c.nodes[0].name], [539, 3205, 'philly-0']);
      assert.equal(clusterTotals(presetCluster('philly:ee9e8c')).gpus, 512);
      assert.throws(
        () => presetCluster('openb'),
        (e: unknown) => e instanceof UsageError && /cannot read .*ENOENT/.test(e.message),
      );
    } finally {
      if (saved === undefined) delete process.env.LEPTON_SHARED;
      else process.env.LEPTON_SHARED = saved;
    }
  });

  test('openb: all-node list', () => {
    const t = clusterTotals(presetCluster('openb'));
    assert.deepEqual([t.nodes, t.gpus], [1523, 6212]);
    assert.equal(clusterTotals(alibabaCluster()).cpus, t.cpus);
  });

  test('uniform:<nodes>x<gpus>', () => {
    const c = presetCluster('uniform:4x8');
    assert.deepEqual(
      [c.nodes.length, clusterTotals(c).gpus, c.nodes[0].cpus, c.nodes[0].memMiB],
      [4, 32, 96, 8 * 65536],
    );
    assert.throws(() => presetCluster('uniform:0x8'), UsageError);
    assert.throws(() => presetCluster('mars'), UsageError);
  });

  test('clusterFromJson: count expansion, gpuType, and errors naming the field', () => {
    const f = join(tmp, 'c.json');
    writeFileSync(
      f,
      JSON.stringify({
        name: 'lab',
        nodes: [
          { name: 'a100', gpus: 8, gpuType: 'A100', cpus: 64, memMiB: 512000, count: 2 },
          { name: 'cpu', gpus: 0, cpus: 32, memMiB: 1000 },
        ],
      }),
    );
    assert.deepEqual(clusterFromJson(f), {
      name: 'lab',
      nodes: [
        { name: 'a100-0', gpus: 8, gpuType: 'A100', cpus: 64, memMiB: 512000 },
        { name: 'a100-1', gpus: 8, gpuType: 'A100', cpus: 64, memMiB: 512000 },
        { name: 'cpu', gpus: 0, cpus: 32, memMiB: 1000 },
      ],
    });
    assert.equal(presetCluster(f).nodes.length, 3);
    const bad = (obj: unknown, msg: RegExp) => {
      writeFileSync(f, JSON.stringify(obj));
      assert.throws(
        () => clusterFromJson(f),
        (e: unknown) => e instanceof UsageError && msg.test(e.message),
      );
    };
    bad({ nodes: [] }, /field 'name'/);
    bad({ name: 'x', nodes: [] }, /field 'nodes'/);
    bad(
      { name: 'x', nodes: [{ name: 'n', gpus: 1.5, cpus: 1, memMiB: 1 }] },
      /field 'nodes\[0\]\.gpus': must be an integer in \[0, \d+\] GPUs \(1\.5\)/,
    );
    bad(
      {
        name: 'x',
        nodes: [
          { name: 'n', gpus: 1, cpus: 1, memMiB: 1 },
          { name: 'm', gpus: 1, cpus: -1, memMiB: 1 },
        ],
      },
      /nodes\[1\]\.cpus/,
    );
    bad({ name: 'x', nodes: [{ name: 'n', gpus: 1, cpus: 1 }] }, /nodes\[0\]\.memMiB/);
    bad({ name: 'x', nodes: [{ name: 'n', gpus: 1, cpus: 1, memMiB: 1, count: 0 }] }, /nodes\[0\]\.count/);
    bad(
      {
        name: 'x',
        nodes: [
          { name: 'n', gpus: 1, cpus: 1, memMiB: 1 },
          { name: 'n', gpus: 1, cpus: 1, memMiB: 1 },
        ],
      },
      /duplicate node name "n"/,
    );
    writeFileSync(f, '{oops');
    assert.throws(() => clusterFromJson(f), /c\.json:1: invalid JSON near "oops"/);
  });
});
