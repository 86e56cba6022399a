import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  esStep,
  PRIORITY_ES_DEFAULTS,
  resolvePriorityEsConfig,
  searchPriority,
  type PriorityEsState,
  type PrioritySearchProblem,
} from '../../src/agents/priorityEs';
import { uniformCluster } from '../../src/cluster/spec';
import { LAS_WEIGHTS } from '../../src/schedulers/learnedPriority';
import { Rng } from '../../src/util/rng';
import { makeJob, type Job } from '../../src/workload/job';

test('esStep descends a quadratic to its minimum (antithetic pairs, centred ranks)', () => {
  const rng = new Rng(5);
  const target = [1, -2, 0.5];
  const cost = (x: number[]) => x.reduce((s, v, i) => s + (v - target[i]) ** 2, 0);
  let theta = [4, 3, -3];
  for (let i = 0; i < 150; i++) theta = esStep(theta, cost, { pairs: 6, sigma: 0.2, learningRate: 0.2 }, rng).theta;
  assert.ok(cost(theta) < 0.05, `cost ${cost(theta)} at ${theta.join(', ')}`);
});

test('esStep: a flat cost (all ranks tied) leaves θ where it is; one pair moves along ±ε', () => {
  const flat = esStep([0.3, -0.2], () => 7, { pairs: 3, sigma: 0.5, learningRate: 1 }, new Rng(1));
  assert.deepEqual(flat.theta, [0.3, -0.2]);
  assert.deepEqual(flat.costs, [7, 7, 7, 7, 7, 7]);
  // One pair, cost = x0: θ+σε wins iff ε0 < 0. Utilities +0.5 / −0.5, so θ' = θ ± lr·ε/(2σ) exactly.
  const rng = new Rng(9);
  const eps = [new Rng(9).normal(), 0];
  eps[1] = (() => {
    const r = new Rng(9);
    r.normal();
    return r.normal();
  })();
  const one = esStep([0, 0], (x) => x[0], { pairs: 1, sigma: 0.5, learningRate: 1 }, rng);
  const sign = eps[0] < 0 ? 1 : -1;
  assert.ok(Math.abs(one.theta[0] - (sign * eps[0]) / 1) < 1e-12);
  assert.ok(Math.abs(one.theta[1] - (sign * eps[1]) / 1) < 1e-12);
  assert.ok(one.theta[0] < 0, 'moves downhill');
});

/** A small contended problem: 1–4-GPU jobs of 1 min – 2 h on one 8-GPU node. */
function problem(): PrioritySearchProblem {
  const rng = new Rng(11);
  const mk = (n: number, prefix: string): Job[] => {
    let t = 0;
    return Array.from({ length: n }, (_, i) => {
      t += Math.floor(rng.exponential(300));
      const d = 60 + Math.floor(rng.exponential(rng.random() < 0.2 ? 7200 : 600));
      return makeJob({
        id: `${prefix}${i}`,
        submit: t,
        duration: d,
        gpus: [1, 1, 2, 4][rng.int(0, 4)],
        group: `g${i % 2}`,
      });
    });
  };
  return {
    cluster: uniformCluster('t', 1, { gpus: 8, cpus: 0, memMiB: 0 }),
    train: mk(160, 't'),
    validation: mk(60, 'v'),
    simSeed: 1,
  };
}
const SMALL = { ...PRIORITY_ES_DEFAULTS, iterations: 3, pairs: 2, windows: 2, windowJobs: 40 };

test('searchPriority: same seed -> the same search bit for bit; it starts at LAS and keeps the validation best', () => {
  const p = problem();
  const a = searchPriority(p, SMALL, 3);
  const b = searchPriority(p, SMALL, 3);
  assert.deepEqual(a, b);
  assert.equal(a.iterates.length, SMALL.iterations + 1);
  assert.deepEqual(a.iterates[0].weights, LAS_WEIGHTS);
  assert.equal(a.iterates[0].trainLogRatio, 0);
  const best = Math.min(...a.iterates.map((i) => i.validationJct));
  assert.equal(a.chosen.validationJct, best);
  assert.ok(a.chosen.validationJct <= a.iterates[0].validationJct, 'never worse than LAS on validation');
  // 1 + iterations validation runs, 2·pairs·windows candidate windows per update, ≤ windows LAS baselines each.
  const cand = SMALL.iterations * 2 * SMALL.pairs * SMALL.windows;
  assert.ok(
    a.simulations >= 1 + SMALL.iterations + cand &&
      a.simulations <= 1 + SMALL.iterations + cand + SMALL.iterations * SMALL.windows,
  );
  const c = searchPriority(p, SMALL, 4);
  assert.notDeepEqual(c.iterates[1].weights, a.iterates[1].weights, 'another seed draws other directions');
});

test('searchPriority resumes from the state after any update exactly', () => {
  const p = problem();
  const states: PriorityEsState[] = [];
  const full = searchPriority(p, SMALL, 3, { onIteration: (s) => states.push(JSON.parse(JSON.stringify(s))) });
  assert.equal(states.length, SMALL.iterations);
  const resumed = searchPriority(p, SMALL, 3, { resume: states[0] });
  // The LAS baselines of earlier windows are recomputed after a resume, so only the count may differ.
  assert.deepEqual({ ...resumed, simulations: 0 }, { ...full, simulations: 0 });
});

test('config: defaults overridable, unknown or malformed settings refused', () => {
  assert.deepEqual(resolvePriorityEsConfig({}), PRIORITY_ES_DEFAULTS);
  assert.equal(resolvePriorityEsConfig({ iterations: 5 }).iterations, 5);
  assert.throws(() => resolvePriorityEsConfig({ nope: 1 }), /unknown setting 'nope'/);
  assert.throws(() => resolvePriorityEsConfig({ pairs: 1.5 }), /integer/);
  assert.throws(() => resolvePriorityEsConfig({ sigma: -1 }), /positive/);
});
