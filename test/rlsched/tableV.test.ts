/**
 * RLScheduler Table V, heuristic columns, to the published digits (spec: "the heuristic columns are
 * reproduced to the last digit by the original code"), plus SMALLEST as the original code gives it.
 * Protocol: --len 1024 --iter 10 --seed 1 (HPC2N: --slice 10000), both modes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RLSCHED_HEURISTICS, type RlschedHeuristic } from '../../src/rlsched/heuristics';
import { rlschedReplay } from '../../src/rlsched/replay';
import { loadRlschedTrace } from '../../src/rlsched/trace';
import { sharedDataset } from '../../src/workload/traces';

type Row = Record<RlschedHeuristic, string>;
const TABLE: { file: string; slice: number; no_backfill: Row; backfill: Row }[] = [
  {
    file: 'lublin_256.swf',
    slice: 0,
    no_backfill: {
      fcfs: '7273.77',
      wfp3: '19753.53',
      unicep: '22274.74',
      sjf: '277.35',
      f1: '258.37',
      smallest: '304.64',
    },
    backfill: { fcfs: '235.82', wfp3: '133.87', unicep: '307.23', sjf: '73.31', f1: '75.07', smallest: '86.36' },
  },
  {
    file: 'HPC2N-2002-2.2-cln.swf.gz',
    slice: 10000,
    no_backfill: { fcfs: '297.18', wfp3: '426.99', unicep: '609.77', sjf: '157.71', f1: '118.01', smallest: '119.96' },
    backfill: { fcfs: '127.38', wfp3: '97.39', unicep: '175.12', sjf: '122.04', f1: '71.95', smallest: '73.94' },
  },
  {
    file: 'lublin_256_new2.swf',
    slice: 0,
    no_backfill: {
      fcfs: '7842.47',
      wfp3: '9523.18',
      unicep: '11265.31',
      sjf: '787.89',
      f1: '698.34',
      smallest: '622.18',
    },
    backfill: { fcfs: '247.61', wfp3: '318.35', unicep: '379.59', sjf: '91.99', f1: '148.25', smallest: '192.14' },
  },
];

for (const row of TABLE) {
  test(`Table V heuristic digits: ${row.file}`, () => {
    const trace = loadRlschedTrace(sharedDataset('hpc-swf', row.file));
    const out = rlschedReplay(trace, {
      seqLen: 1024,
      iters: 10,
      seed: 1,
      slice: row.slice,
      policies: RLSCHED_HEURISTICS,
      backfill: 'both',
      startTimes: false,
    });
    assert.deepEqual(out.protocol.start_index_range, [1024, 8975]);
    for (const m of ['no_backfill', 'backfill'] as const) {
      for (const h of RLSCHED_HEURISTICS) {
        assert.equal(out.results[m]![h]!.mean_bsld.toFixed(2), row[m][h], `${row.file} ${m} ${h}`);
      }
    }
  });
}
