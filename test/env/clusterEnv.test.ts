import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterEnv } from '../../src/env/clusterEnv';
import { uniformCluster } from '../../src/cluster/spec';
import { makeJob, type Job } from '../../src/workload/job';
import { Rng } from '../../src/util/rng';
import { agentScheduler } from '../../src/agents/agentScheduler';
import { Simulator, simulate } from '../../src/sim/simulator';
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

test('random legal play finishes every job; the slowdown reward sums to −Σ slowdown (believed durations)', () => {
  const rng = new Rng(7);
  for (let ep = 0; ep < 40; ep++) {
    const durations = ep % 2 === 0 ? 'oracle' : 'history';
    const env = new ClusterEnv({
      cluster,
      jobsForSeed: (s) => randomJobs(s),
      window: 4,
      reward: 'slowdown',
      durations,
    });
    assert.equal(env.oracle, durations === 'oracle');
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
    // Oracle env: the true slowdown; otherwise JCT over the duration predicted at submit time.
    const believed = env.believedDurations;
    let sumSlowdown = 0;
    for (let j = 0; j < 30; j++) {
      const d = durations === 'oracle' ? res.jobs[j].duration : believed[j];
      assert.ok(Number.isFinite(d) && d >= 0, `job ${j} has a belief`);
      sumSlowdown += (res.finish[j] - res.jobs[j].submit) / d;
    }
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

/** Jobs whose duration getter counts reads and throws once `armed` (the simulator reads durations only when built). */
function guarded(jobs: Job[]): { jobs: Job[]; arm: (on: boolean) => void; reads: () => number } {
  let armed = false;
  let reads = 0;
  const out = jobs.map((j): Job => {
    const copy = { ...j } as Job;
    const d = j.duration;
    Object.defineProperty(copy, 'duration', {
      enumerable: true,
      get() {
        if (armed) throw new Error(`true duration of job ${j.id} read`);
        reads++;
        return d;
      },
    });
    return copy;
  });
  return { jobs: out, arm: (on) => (armed = on), reads: () => reads };
}

/** Plays an episode (always the first legal action) and returns its decisions. */
function playGuarded(
  durations: 'history' | 'global' | 'user-estimate' | 'oracle',
  reward: 'slowdown' | 'bsld',
): number {
  const g = guarded(randomJobs(11, 40));
  const env = new ClusterEnv({ cluster, jobsForSeed: () => g.jobs, window: 4, reward, durations });
  // reset builds the episode's simulator, which reads each duration to set up the work; the env
  // itself must read none: as many reads as building a bare simulator.
  const bare = guarded(randomJobs(11, 40));
  new Simulator(
    bare.jobs,
    cluster,
    { name: 'x', preemptive: false, reset() {}, schedule() {} },
    { oversize: 'reject' },
  );
  let { info } = env.reset(0);
  if (g.reads() !== bare.reads())
    throw new Error(`true duration read ${g.reads() - bare.reads()} extra times in reset`);
  g.arm(true);
  try {
    let steps = 0;
    for (;;) {
      const r = env.step(info.actionMask.findIndex((m) => m === 1));
      steps++;
      if (r.terminated || r.truncated) return steps;
      info = r.info;
    }
  } finally {
    g.arm(false);
  }
}

test("the cluster env's observation and reward never read a true duration unless durations is 'oracle'", () => {
  for (const d of ['history', 'global', 'user-estimate'] as const)
    for (const reward of ['slowdown', 'bsld'] as const) assert.ok(playGuarded(d, reward) > 40, `${d} ${reward}`);
  // The guard does catch the oracle env (so the test can fail).
  assert.throws(() => playGuarded('oracle', 'slowdown'), /true duration read 40 extra times/);
});

test('a deployed agent reads predictions, not durations; only an oracle-trained one is an OracleScheduler', () => {
  const firstLegal: Agent = {
    name: 'first',
    act: (_o, mask) => mask.findIndex((m) => m === 1),
    save: async () => {},
  };
  assert.equal(agentScheduler(firstLegal, 4, 4).oracle, undefined);
  assert.equal(agentScheduler(firstLegal, 4, 4, 'a', undefined, 'oracle').oracle, true);
  const g = guarded(randomJobs(5, 40));
  const s = agentScheduler(firstLegal, 4, 4);
  const blind = {
    ...s,
    reset: (jobs: readonly Job[], rng: Rng) => {
      g.arm(true);
      s.reset(jobs, rng);
    },
  };
  try {
    assert.equal(simulate(g.jobs, cluster, blind as typeof s).counts.finished, 40);
  } finally {
    g.arm(false);
  }
});
