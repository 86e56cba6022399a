/** The packing study's summaries: hand-computed run metrics and the training-seed family rows. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  curveAt,
  familyOf,
  familyRows,
  runSummary,
  summariseStudy,
  type PackingStudyRun,
} from '../../src/experiment/packing/study';
import type { PackingRunResult, PackingSnapshot } from '../../src/sim/packing/run';

const snap = (arrived: number, allocated: number, frag: number, failed = 0): PackingSnapshot => ({
  pods: 0,
  arrivedGpu: arrived,
  allocatedGpu: allocated,
  fragGpu: frag,
  unallocatedGpu: 10 - allocated,
  failedPods: failed,
  failedGpu: 0,
});

const result = (policy: string, shift: number): PackingRunResult => ({
  policy,
  capacityGpu: 10,
  gridStep: 0.5,
  curve: [snap(5, 5, 1), snap(10, 8 + shift, 1.5)],
  firstFailure: snap(9, 8, 1.2),
  final: snap(13, 9 + shift, 1, 3),
});

test('runSummary: hand-computed metrics of one run (capacity 10 GPUs)', () => {
  const r = result('x', 0);
  assert.equal(curveAt(r, 1).allocatedGpu, 8);
  assert.deepEqual(runSummary(r), {
    first_fail_arrived_pct: 90,
    first_fail_alloc_pct: 80,
    first_fail_frag_gpu: 1.2,
    alloc_pct_at_100: 80,
    frag_gpu_at_100: 1.5,
    frag_rate_at_100: 75, // 1.5 of 2 unallocated GPUs
    final_alloc_pct: 90,
    final_unalloc_gpu: 1,
    alloc_of_requested_pct: (100 * 9) / 13,
    failed_pods: 3,
  });
});

test('familyRows: mean over training seeds of per-seed means, t interval over training seeds', () => {
  const runs: PackingStudyRun[] = [];
  // training seed k's agent allocates 8+k−1 GPUs at 100 % on both test orders → per-seed means 80, 90, 100 %
  for (const k of [1, 2, 3])
    for (const seed of [42, 43])
      runs.push({ policy: `ppo seed${k}`, seed, result: result(`ppo seed${k}`, k - 1), wallSeconds: 0 });
  runs.push({ policy: 'fgd', seed: 42, result: result('fgd', 0), wallSeconds: 0 });
  const rows = summariseStudy(runs);
  assert.deepEqual(
    rows.map((r) => [r.policy, r.seeds]),
    [
      ['ppo seed1', 2],
      ['ppo seed2', 2],
      ['ppo seed3', 2],
      ['fgd', 1],
    ],
  );
  const fam = familyRows(rows);
  assert.equal(fam.length, 1);
  assert.equal(fam[0].policy, 'ppo (3 training seeds)');
  const m = fam[0].metrics.alloc_pct_at_100;
  assert.equal(m.estimate, 90);
  // s = 10, t(0.975, 2) = 4.302653 → half-width 4.302653 · 10 / √3 = 24.841
  assert.ok(Math.abs(m.hi - 90 - 24.8414) < 1e-3, String(m.hi));
  assert.equal(familyOf('fgd'), 'fgd');
  assert.equal(familyOf('ppo seed12'), 'ppo');
});
