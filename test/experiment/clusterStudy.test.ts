import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseStudyPlan } from '../../src/experiment/studyPlan';
import { runStudy } from '../../src/experiment/studyRunner';
import {
  bestNonOracleRow,
  cellFile,
  nonOraclePolicies,
  studyDurations,
  type StudyCellResult,
  type PolicyRow,
} from '../../src/experiment/clusterStudy';
import { makeStudyTask } from '../../src/experiment/studyTask';
import { ORACLE_OBSERVATIONS, STUDY_OBSERVATIONS } from '../../src/experiment/studyPlan';
import { noDurationEncoder } from '../../src/env/noDurationEncoder';
import { presetCluster } from '../../src/cluster/presets';
import { oracleInfo, SCHEDULER_NAMES } from '../../src/schedulers/registry';
import { writeStudyTables } from '../../src/report/clusterStudy';
import { Rng } from '../../src/util/rng';
import { makeJob } from '../../src/workload/job';
import { UsageError } from '../../src/util/errors';

/** A small Philly-format trace: one VC (ed69ec, 8 nodes × 8 GPUs) over 100 days, seeded. */
function writeTrace(dir: string): string {
  const rng = new Rng(7);
  const lines = ['timestamp,duration,num_gpus,gpu_time,cluster'];
  const t0 = Date.UTC(2017, 9, 1);
  for (let i = 0; i < 90; i++) {
    const t = new Date(t0 + Math.floor(rng.random() * 100 * 86400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const d = Math.round(600 + rng.exponential(20000));
    const g = [1, 1, 2, 4, 8, 16][rng.int(0, 6)];
    lines.push(`${t},${d},${g},${d * g},ed69ec`);
  }
  const f = path.join(dir, 'philly_small.csv');
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

function plan(traceFile: string) {
  return parseStudyPlan(
    {
      name: 'small',
      traceFile,
      topVcs: 1,
      contended: { scaleMin: 1, scaleMax: 16, iterations: 4 },
      episodeJobs: 20,
      episodeStride: 10,
      bootstrap: { blocks: 5, resamples: 200, seed: 3 },
      agents: [
        { agent: 'qlearning', seeds: [1, 2], config: { totalSteps: 400, logEvery: 200 } },
        { agent: 'priority-es', seeds: [1], config: { iterations: 2, pairs: 2, windows: 2, windowJobs: 15 } },
      ],
    },
    'plan',
  );
}

describe('cluster study (small trace, end to end)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lepton-study-'));
  const trace = writeTrace(dir);
  const outA = path.join(dir, 'a');
  const outB = path.join(dir, 'b');

  test('every phase writes its files; every registered policy runs on each cell; oracle labels from the registry', async () => {
    const p = plan(trace);
    const st = await runStudy({ plan: p, out: outA, phases: ['calibrate', 'heuristics', 'train', 'evaluate'] });
    assert.equal(st.data.vcs.length, 1);
    const cal = st.calibration[0];
    assert.equal(cal.vc, 'ed69ec');
    assert.equal(cal.splits.train.jobs + cal.splits.validation.jobs + cal.splits.test.jobs, 90);
    for (const load of ['recorded', 'contended'] as const) {
      const cell = JSON.parse(readFileSync(cellFile(outA, 'ed69ec', load, 'heuristics'), 'utf8')) as StudyCellResult;
      assert.deepEqual(
        cell.rows.map((r) => r.policy),
        [...SCHEDULER_NAMES],
      );
      for (const r of cell.rows) assert.equal(r.oracle, oracleInfo(r.policy));
      assert.equal(cell.jobs, cal.splits.test.jobs);
      assert.ok(nonOraclePolicies().includes(bestNonOracleRow(cell).policy));
      const agent = JSON.parse(readFileSync(cellFile(outA, 'ed69ec', load, 'agent-qlearning'), 'utf8')) as PolicyRow;
      assert.deepEqual(agent.seeds, [1, 2]);
      assert.equal(agent.oracle, false);
      assert.equal(agent.perSeed!.length, 2);
      // the family's mean JCT is the mean of its seeds'
      const m = (agent.perSeed![0].metrics.jctMean + agent.perSeed![1].metrics.jctMean) / 2;
      assert.ok(Math.abs(agent.metrics.jctMean - m) <= 1e-9 * m);
      assert.ok(
        agent.seedCI!.jctMean!.lo <= agent.metrics.jctMean && agent.metrics.jctMean <= agent.seedCI!.jctMean!.hi,
      );
      assert.equal(agent.vsBestNonOracle!.heuristic, bestNonOracleRow(cell).policy);
      // The searched scheduler family: a row like an agent's, non-oracle, from its chosen weights.
      const es = JSON.parse(readFileSync(cellFile(outA, 'ed69ec', load, 'agent-priority-es'), 'utf8')) as PolicyRow;
      assert.deepEqual([es.kind, es.oracle, es.seeds], ['agent', false, [1]]);
    }
    const res = JSON.parse(
      readFileSync(path.join(outA, 'runs', 'ed69ec', 'priority-es-s1', 'result.json'), 'utf8'),
    ) as {
      chosen: { validationJct: number };
      iterates: { validationJct: number }[];
    };
    assert.equal(res.iterates.length, 3);
    assert.ok(res.chosen.validationJct <= res.iterates[0].validationJct, 'never worse than LAS on validation');
    assert.equal(cal.contendedScale >= 1 && cal.contendedScale <= 16, true);
    writeStudyTables(outA, st.calibration);
    const md = readFileSync(path.join(outA, 'table.md'), 'utf8');
    assert.match(md, /## Verdict at contended load/);
    assert.match(md, /\| sjf \| heuristic, \*\*oracle\*\* \|/);
  });

  test('deterministic: a second study folder gives byte-identical tables; a rerun skips and keeps them', async () => {
    const p = plan(trace);
    const st = await runStudy({ plan: p, out: outB, phases: ['calibrate', 'heuristics', 'train', 'evaluate'] });
    writeStudyTables(outB, st.calibration);
    for (const f of ['table.csv', 'table.md', 'calibration.json'])
      assert.equal(readFileSync(path.join(outB, f), 'utf8'), readFileSync(path.join(outA, f), 'utf8'), f);
    const before = readFileSync(path.join(outB, 'table.csv'), 'utf8');
    await runStudy({ plan: p, out: outB, phases: ['calibrate', 'heuristics', 'train', 'evaluate'] });
    writeStudyTables(outB, st.calibration);
    assert.equal(readFileSync(path.join(outB, 'table.csv'), 'utf8'), before);
  });

  test('a folder of another study is refused', async () => {
    const p = { ...plan(trace), split: [0.5, 0.2, 0.3] as [number, number, number] };
    await assert.rejects(runStudy({ plan: p, out: outA, phases: ['calibrate'] }), UsageError);
  });

  test('cleanup', () => {
    rmSync(dir, { recursive: true, force: true });
    assert.equal(existsSync(dir), false);
  });
});

describe('study plan and task', () => {
  test('plan errors name the field', () => {
    assert.throws(() => parseStudyPlan({ name: 'x', topVcs: 0 }, 'p.json'), /p\.json: .*topVcs/);
    assert.throws(() => parseStudyPlan({ name: 'x', split: [0.5, 0.5, 0.5] }, 'p.json'), /sum to 1/);
    assert.throws(() => parseStudyPlan({ name: 'x', bogus: 1 }, 'p.json'), /bogus/);
    // A searched scheduler family is a valid agent; it takes no observation (it sees job views only).
    const ok = parseStudyPlan({ name: 'x', agents: [{ agent: 'priority-es', seeds: [1] }] }, 'p.json');
    assert.equal(ok.agents[0].agent, 'priority-es');
    assert.throws(
      () =>
        parseStudyPlan({ name: 'x', agents: [{ agent: 'priority-es', seeds: [1], observation: 'window' }] }, 'p.json'),
      /searched scheduler: it takes no observation/,
    );
  });

  test('an oracle-labelled observation believes the true durations, the others predictions', () => {
    // The env and the deployed agent default to predictions: a row labelled oracle that silently
    // ran on predictions (as ppo-oracle-obs did before this mapping) would be mislabelled.
    for (const o of STUDY_OBSERVATIONS)
      assert.equal(studyDurations(o) === 'oracle', ORACLE_OBSERVATIONS[o] !== false, o);
    assert.equal(studyDurations('window'), 'oracle');
    assert.equal(studyDurations('no-duration'), 'history');
  });

  test('the training task never evaluates on the test split', () => {
    const jobs = [makeJob({ id: 'a', submit: 0, duration: 10, gpus: 1 })];
    const task = makeStudyTask({
      cluster: presetCluster('uniform:1x2'),
      episodes: [jobs],
      validation: jobs,
      window: 2,
      reward: 'jct',
      rewardScale: 0.5,
      maxSteps: 10,
      encoder: noDurationEncoder,
      durations: studyDurations('no-duration'),
      describe: {},
    });
    assert.throws(() => task.evaluate({} as never, true), /never by the trainer/);
    assert.equal(task.numTrainSets, 1);
    // rewards are scaled: one waiting job for 10 s under 'jct' = −10 / 3600 per job, × 0.5
    const env = task.makeTrainEnv();
    env.reset(0);
    const r = env.step(0); // start the job (no time passes)
    assert.equal(r.reward, 0);
    const w = env.step(2); // wait: the job runs 10 s
    assert.ok(Math.abs(w.reward - (-10 / 3600) * 0.5) < 1e-15);
  });
});
