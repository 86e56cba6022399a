import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { explainDeeprm, deeprmInputGroups, heldOutJobsFor } from '../../src/experiment/explainDeeprm';
import { deeprmEnv, evaluateDeeprmHeuristics } from '../../src/experiment/deeprmTask';
import { deeprmGenerate } from '../../src/deeprm/generate';
import { parseJobsFile } from '../../src/deeprm/params';
import { explainText } from '../../src/cli/explain';

const CK = 'results/deeprm/pg-sets200-seed1';

test('deeprmInputGroups partitions the observation image', () => {
  const file = parseJobsFile(
    deeprmGenerate({ rate: 0.379, simuLen: 50, numNw: 10, numEx: 1, seed: 3 } as never),
    'generated',
  );
  const env = deeprmEnv(file);
  const seen = new Uint8Array(env.observationSize);
  for (const g of deeprmInputGroups(env)) for (const i of g.indices) seen[i]++;
  assert.ok(
    seen.every((c) => c === 1),
    'every pixel in exactly one group',
  );
});

test('explainDeeprm on the committed checkpoint', { skip: existsSync(CK) ? false : `${CK} missing` }, async () => {
  const e = await explainDeeprm({ checkpoint: CK, example: 2, decisions: [0, 3], agreementSets: 10 });
  assert.equal(e.decisions.length, 2);
  for (const d of e.decisions) {
    const sum = d.probabilities.reduce((s, p) => s + p, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, 'probabilities sum to 1');
    d.probabilities.forEach((p, a) => assert.ok(d.legal[a] || p === 0, 'illegal actions have p = 0'));
    assert.ok(d.legal[d.action], 'the pick is legal');
    assert.ok(
      Math.abs(d.integratedGradients.total - d.integratedGradients.logProbGap) <
        0.05 * Math.max(1, Math.abs(d.integratedGradients.logProbGap)),
      'completeness within the Riemann error',
    );
  }
  for (const v of Object.values(e.agreement.sameAs)) assert.ok(v >= 0 && v <= 1);
  assert.ok(e.agreement.decisions > 0);
  // The heuristic schedules are DeepRM's exact replays: SJF's mean slowdown on job set 2 equals the replay's.
  const file = heldOutJobsFor(CK);
  const sjf = evaluateDeeprmHeuristics(file, ['sjf'])[0];
  const sched = e.schedules.find((s) => s.policy === 'sjf')!;
  const expected = sjf.exSum[2] / sjf.exCount[2];
  assert.ok(Math.abs(sched.meanSlowdown - expected) < 1e-12, `${sched.meanSlowdown} vs ${expected}`);
  assert.match(explainText(e), /Agreement over/);
  // Deterministic: the same call gives the same explanation.
  const again = await explainDeeprm({ checkpoint: CK, example: 2, decisions: [0, 3], agreementSets: 10 });
  assert.deepEqual(again, e);
});
