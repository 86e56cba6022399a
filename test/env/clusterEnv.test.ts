import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterEnv } from '../../src/env/clusterEnv';
import { uniformCluster } from '../../src/cluster/spec';
import { makeJob, type Job } from '../../src/workload/job';
import { Rng } from '../../src/util/rng';
import { agentScheduler } from '../../src/agents/agentScheduler';
import { simulate } from '../../src/sim/simulator';
import type { Agent } from '../../src/agents/types';

const cluster = uniformCluster('c', 2, { gpus: 4, cpus: 0, memMiB: 0 });

/** Random jobs from a seed: 1–4 GPUs, 1–100 s, arrivals within 200 s. */
function randomJobs(seed: number, n = 30): Job[] {
  const rng = new Rng(seed);
  const jobs: Job[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += rng.int(0, 15);
    jobs.push(makeJob({ id: `j${i}`, submit: t, duration: rng.int(1, 101), gpus: rng.int(1, 5) }));
  }
  return jobs;
}

function randomLegal(mask: Uint8Array, rng: Rng): number {
  const legal: number[] = [];
  mask.forEach((m, a) => m && legal.push(a));
  return legal[rng.int(0, legal.length)];
}

test('random legal play finishes every job; the slowdown reward sums to −Σ slowdown', () => {
  const rng = new Rng(7);
  for (let ep = 0; ep < 20; ep++) {
    const env = new ClusterEnv({ cluster, jobsForSeed: (s) => randomJobs(s), window: 4, reward: 'slowdown' });
    let { info } = env.reset(ep);
    let total = 0;
    let done = false;
    let steps = 0;
    while (!done) {
      assert.equal(info.actionMask.length, env.numActions);
      const a = randomLegal(info.actionMask, rng);
      const r = env.step(a);
      total += r.reward;
      info = r.info;
      done = r.terminated || r.truncated;
      steps++;
      assert.ok(steps < 10_000, 'episode did not end');
    }
    const res = env.simulator.finishRun();
    assert.equal(res.counts.finished, 30);
    let sumSlowdown = 0;
    for (let j = 0; j < 30; j++) sumSlowdown += (res.finish[j] - res.jobs[j].submit) / res.jobs[j].duration;
    assert.ok(Math.abs(total + sumSlowdown) < 1e-6 * sumSlowdown, `reward ${total} vs −Σ slowdown ${-sumSlowdown}`);
  }
});

test('masked actions are rejected and masks never allow a job that does not fit', () => {
  const env = new ClusterEnv({ cluster, jobsForSeed: (s) => randomJobs(s), window: 3 });
  const { info } = env.reset(1);
  const masked = [...info.actionMask].findIndex((m) => m === 0);
  if (masked >= 0) assert.throws(() => env.step(masked), /masked/);
  assert.throws(() => env.step(99), /out of range|masked/);
});

test('a greedy agent wrapped by agentScheduler behaves like FIFO-skip when it always picks slot 0', () => {
  const firstLegal: Agent = {
    name: 'first',
    act: (_o, mask) => mask.findIndex((m) => m === 1),
    save: async () => {},
  };
  const jobs = randomJobs(3);
  const res = simulate(jobs, cluster, agentScheduler(firstLegal, 4, 4), { debug: true });
  assert.equal(res.counts.finished, jobs.length);
  for (let j = 0; j < jobs.length; j++) assert.ok(res.start[j] >= jobs[j].submit);
});
