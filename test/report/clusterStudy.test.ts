import { test } from 'node:test';
import assert from 'node:assert/strict';
import { studyCsv, studyMarkdown, type StudyTableRow } from '../../src/report/clusterStudy';
import type { PolicyRow, VcCalibration } from '../../src/experiment/clusterStudy';

const ci = { lo: 0, hi: 0 };
function row(policy: string, jctHours: number, extra: Partial<PolicyRow> = {}): PolicyRow {
  return {
    policy,
    kind: 'heuristic',
    oracle: false,
    seeds: [],
    metrics: {
      jobs: 10,
      finished: 10,
      rejected: 0,
      jctMean: jctHours * 3600,
      queueP95: 0,
      bsldMean: 1,
      utilGpu: 0.5,
      utilWindow: 0.8,
      preemptTotal: 0,
    },
    jobWindowCI: { jctMean: ci, queueP95: ci, bsldMean: ci },
    ...extra,
  };
}
const cal = (vc: string): VcCalibration =>
  ({
    vc,
    gpus: 64,
    gpuHours: 1,
    contendedScale: 2,
    contendedNodes: 8,
    contendedGpus: 64,
    validationUtil: 0.8,
    validationBest: 'las',
    withinBand: true,
    steps: [],
    splits: { train: { jobs: 1 }, validation: { jobs: 1 }, test: { jobs: 10 } },
  }) as unknown as VcCalibration;

test('verdict: the best non-oracle agent against the best non-oracle heuristic, oracle rows excluded', () => {
  const base = { load: 'contended', gpus: 64, arrivalScale: 2, offeredLoad: 0.9, jobs: 10 };
  const rows: StudyTableRow[] = [
    // vc a: the agent (3 h) beats LAS (4 h) with an interval below 0; oracle srtf (1 h) does not count
    { vc: 'a', ...base, row: row('las', 4) },
    { vc: 'a', ...base, row: row('fifo', 6) },
    { vc: 'a', ...base, row: row('srtf', 1, { oracle: 'true remaining times' }) },
    {
      vc: 'a',
      ...base,
      row: row('ppo', 3, {
        kind: 'agent',
        seeds: [1, 2],
        vsBestNonOracle: { heuristic: 'las', estimate: -3600, lo: -7200, hi: -1800 },
      }),
    },
    // vc b: only an oracle agent is better; the non-oracle one loses
    { vc: 'b', ...base, row: row('las', 2) },
    { vc: 'b', ...base, row: row('ppo-oracle', 1, { kind: 'agent', oracle: 'durations', seeds: [1] }) },
    {
      vc: 'b',
      ...base,
      row: row('ppo', 5, {
        kind: 'agent',
        seeds: [1],
        vsBestNonOracle: { heuristic: 'las', estimate: 10800, lo: 3600, hi: 18000 },
      }),
    },
  ];
  const md = studyMarkdown(rows, [cal('a'), cal('b')]);
  assert.match(
    md,
    /\| a \| las \| 4\.00 \| fifo \| 6\.00 \| ppo \(2 seeds\) \| 3\.00 \| -1\.00 \[-2\.00, -0\.50\] \| beats it \(interval < 0\) \|/,
  );
  assert.match(md, /\| b \| las \| 2\.00 \| – \| – \| ppo/);
  assert.match(md, /\| b \| .* \| ppo \(1 seeds\) \| 5\.00 \| 3\.00 \[1\.00, 5\.00\] \| loses \(interval > 0\) \|/);
  assert.match(md, /\*\*1 of 2 VCs\*\*/);
  assert.match(md, /\| ppo-oracle \| agent, \*\*oracle\*\* \(durations\) \|/);
  const csv = studyCsv(rows);
  assert.equal(csv.split('\n').length, rows.length + 2);
  assert.match(csv.split('\n')[3], /^a,contended,64,2,0\.9,10,srtf,heuristic,true remaining times,/);
});
