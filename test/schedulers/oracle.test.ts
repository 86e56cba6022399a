import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEDULERS, makeScheduler, oracleInfo } from '../../src/schedulers/registry';
import type { Scheduler, SimContext } from '../../src/sim/scheduler';
import { simulate } from '../../src/sim/simulator';
import type { Job } from '../../src/workload/job';
import { cluster, job } from './micro';

/**
 * The oracle labels are truthful: every policy the registry does NOT label oracle runs to the end
 * on jobs whose true duration throws when read, behind a context whose true-remaining-time
 * methods (remaining, expectedFinish) throw too. Only the simulator itself may read durations
 * (before the policy's reset, to set up the jobs' work).
 */
test('non-oracle policies never read a true duration or a true remaining time', () => {
  let armed = false;
  const guarded = (j: Job): Job => {
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
  };
  const jobs = Array.from({ length: 60 }, (_, i) =>
    guarded(job(`j${i}`, i * 5, 20 + ((i * 37) % 300), 1 + (i % 4), { group: `g${i % 3}`, cpus: i % 3 })),
  );
  const nonOracle = Object.keys(SCHEDULERS).filter((n) => !oracleInfo(n));
  assert.ok(nonOracle.includes('las') && nonOracle.includes('tiresias') && nonOracle.includes('fifo'));
  const blindRun = (name: string): void => {
    const inner = makeScheduler(name);
    const blind: Scheduler = {
      ...inner,
      name,
      reset(js, rng) {
        armed = true;
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
      const r = simulate(jobs, cluster(2, 4, 8, 0), blind, { seed: 1 });
      assert.equal(r.counts.finished, jobs.length, name);
    } finally {
      armed = false;
    }
  };
  for (const name of nonOracle) {
    try {
      blindRun(name);
    } catch (e) {
      assert.fail(`${name} is not labelled oracle but ${(e as Error).message}`);
    }
  }
  // The guard does catch oracles (so the test can fail).
  for (const name of ['sjf', 'srtf', 'gittins', 'tetris']) assert.throws(() => blindRun(name), /read/, name);
});

test('oracle labels depend on the options that change what a policy reads', () => {
  assert.equal(oracleInfo('easy'), 'true durations');
  assert.equal(oracleInfo('easy', { useEstimates: true }), 'true durations of jobs without a user estimate');
  assert.equal(oracleInfo('las'), false);
  assert.ok(oracleInfo('srtf') && oracleInfo('sjf') && oracleInfo('gittins'));
});
