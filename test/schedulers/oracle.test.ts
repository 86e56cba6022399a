import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEDULERS, makeScheduler, oracleInfo } from '../../src/schedulers/registry';
import type { Scheduler, SimContext } from '../../src/sim/scheduler';
import { simulate } from '../../src/sim/simulator';
import type { Job } from '../../src/workload/job';
import { PREDICTOR_NAMES } from '../../src/predict/registry';
import { learnedPriority } from '../../src/schedulers/learnedPriority';
import { cluster, job } from './micro';

/**
 * Jobs whose true duration throws when read while `armed`: only the simulator itself may read
 * durations (before the policy's reset, to set up the jobs' work).
 */
export function guardedJobs(jobs: readonly Job[]): { jobs: Job[]; arm: (on: boolean) => void } {
  let armed = false;
  const out = jobs.map((j): Job => {
    const copy = { ...j } as Job;
    const d = j.duration;
    Object.defineProperty(copy, 'duration', {
      enumerable: true,
      get() {
        if (armed) throw new Error(`true duration of job ${j.id} read`);
        return d;
      },
    });
    return copy;
  });
  return { jobs: out, arm: (on) => (armed = on) };
}

const base = Array.from({ length: 60 }, (_, i) =>
  job(`j${i}`, i * 5, 20 + ((i * 37) % 300), 1 + (i % 4), {
    group: `g${i % 3}`,
    cpus: i % 3,
    ...(i % 4 === 0 ? { estimate: 100 + i } : {}),
  }),
);

/** Runs `inner` blind: guarded jobs, and a context without remaining/expectedFinish (they throw). */
function blindRun(inner: Scheduler): void {
  const g = guardedJobs(base);
  const name = inner.name;
  if (inner.oracle) throw new Error(`${name} declares oracle: true`);
  const blind: Scheduler = {
    ...inner,
    reset(js, rng) {
      g.arm(true);
      inner.reset(js, rng);
    },
    schedule(ctx: SimContext) {
      const view = new Proxy(ctx, {
        get(target, key) {
          if (key === 'remaining' || key === 'expectedFinish')
            return () => {
              throw new Error(`${String(key)}() read`);
            };
          const v = Reflect.get(target, key, target);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      inner.schedule(view);
    },
  };
  try {
    const r = simulate(g.jobs, cluster(2, 4, 8, 0), blind, { seed: 1 });
    assert.equal(r.counts.finished, base.length, name);
  } finally {
    g.arm(false);
  }
}

/**
 * The oracle labels are truthful: every policy the registry does NOT label oracle runs to the
 * end on jobs whose true duration throws when read, behind a context whose true-remaining-time
 * methods (remaining, expectedFinish) throw too — with every predictor for the policies that
 * take one.
 */
test('non-oracle policies never read a true duration or a true remaining time', () => {
  const nonOracle = Object.keys(SCHEDULERS).filter((n) => !oracleInfo(n));
  for (const n of ['las', 'tiresias', 'fifo', 'sjf-estimate', 'srtf-estimate', 'qssf'])
    assert.ok(nonOracle.includes(n), `${n} is not an oracle`);
  for (const name of nonOracle) {
    const variants: Array<Record<string, unknown> | undefined> = [undefined];
    if ('predictor' in SCHEDULERS[name].options) for (const p of PREDICTOR_NAMES) variants.push({ predictor: p });
    for (const opts of variants) {
      try {
        blindRun(makeScheduler(name, opts));
      } catch (e) {
        assert.fail(`${name} ${JSON.stringify(opts ?? {})} is not labelled oracle but ${(e as Error).message}`);
      }
    }
  }
  // The guard does catch oracles (so the test can fail).
  for (const name of ['sjf', 'srtf', 'gittins', 'tetris']) {
    const s = makeScheduler(name);
    assert.throws(() => blindRun({ ...s, oracle: undefined } as unknown as Scheduler), /read/, name);
  }
});

test('the learned priority scheduler (study family priority-es) never reads a true duration', () => {
  // Not a registry heuristic (its weights come from a search), so checked here by hand: every
  // feature switched on, the prediction-based one with each predictor.
  for (const predictor of PREDICTOR_NAMES)
    blindRun(learnedPriority({ offset: 0.5, gpus: 0.7, predicted: -0.8, waited: -0.3 }, { predictor }));
});

test("the scheduler's type-level oracle flag agrees with the registry's oracle label", () => {
  for (const name of Object.keys(SCHEDULERS)) {
    for (const opts of [undefined, ...('useEstimates' in SCHEDULERS[name].options ? [{ useEstimates: true }] : [])]) {
      const s = makeScheduler(name, opts);
      assert.equal(s.oracle === true, oracleInfo(name, opts) !== false, `${name} ${JSON.stringify(opts ?? {})}`);
    }
  }
});

test('oracle labels depend on the options that change what a policy reads', () => {
  assert.equal(oracleInfo('easy'), 'true durations');
  assert.equal(oracleInfo('easy', { useEstimates: true }), 'true durations of jobs without a user estimate');
  assert.equal(oracleInfo('las'), false);
  assert.equal(oracleInfo('sjf-estimate'), false);
  assert.equal(oracleInfo('sjf-estimate', { predictor: 'global' }), false);
  assert.ok(oracleInfo('srtf') && oracleInfo('sjf') && oracleInfo('gittins'));
});
