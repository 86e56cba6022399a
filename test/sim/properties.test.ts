import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { simulate, type SimOptions } from '../../src/sim/simulator';
import { uniformCluster, type ClusterSpec } from '../../src/cluster/spec';
import { PLACEMENTS } from '../../src/sim/placement';
import { JobStatus, type SimResult } from '../../src/sim/result';
import { makeJob, type Job } from '../../src/workload/job';
import { SCHEDULERS, SCHEDULER_NAMES, makeScheduler } from '../../src/schedulers/registry';

/**
 * Property-based tests of the simulator under EVERY registered scheduler: random small
 * clusters and job lists (zero durations, simultaneous arrivals, fractional shares,
 * CPU-only jobs, jobs that can never fit), run with debug: true so resource invariants
 * are checked after every decision point. The runs together must simulate at least
 * MIN_EVENTS events (counted from result.events, asserted at the end).
 * Seeded (FC_SEED overrides) so that a failure reproduces.
 */
const FC_SEED = Number(process.env.FC_SEED ?? 20240601);
const MIN_EVENTS = 1_000_000;
let totalEvents = 0;

interface Scenario {
  cluster: ClusterSpec;
  jobs: Job[];
  opts: SimOptions;
}

const jobRaw = fc.record({
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })), // 0 = simultaneous arrival
  halfSecond: fc.boolean(),
  dur: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 600 })),
  kind: fc.integer({ min: 0, max: 9 }), // 0-6 whole GPUs, 7-8 fractional share, 9 CPU-only
  size: fc.integer({ min: 1, max: 40 }),
  share: fc.integer({ min: 1, max: 999 }),
  cpu: fc.integer({ min: 0, max: 24 }),
  mem: fc.integer({ min: 0, max: 48 }),
  est: fc.option(fc.integer({ min: 0, max: 1200 })),
  group: fc.integer({ min: 0, max: 3 }),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    nodes: fc.integer({ min: 1, max: 4 }),
    gpus: fc.integer({ min: 1, max: 8 }),
    cpus: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 32 })),
    memMiB: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 64 })),
    raw: fc.array(jobRaw, { minLength: 0, maxLength: 80, size: 'max' }),
    placement: fc.option(fc.constantFrom(...PLACEMENTS)),
    fractional: fc.boolean(),
    restartOverhead: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
    seed: fc.integer({ min: 0, max: 0x7fffffff }),
  })
  .map(({ nodes, gpus, cpus, memMiB, raw, placement, fractional, restartOverhead, seed }) => {
    const cluster = uniformCluster('p', nodes, { gpus, cpus, memMiB });
    const total = nodes * gpus;
    let t = 0;
    const jobs = raw.map((r, i) => {
      t += r.gap + (r.halfSecond ? 0.5 : 0);
      const whole = r.kind <= 6;
      const share = r.kind === 7 || r.kind === 8;
      // size 40 asks for one GPU more than the cluster has: a job that can never fit (rejected).
      const g = whole ? (r.size === 40 ? total + 1 : 1 + ((r.size - 1) % total)) : 0;
      return makeJob({
        id: `j${i}`,
        submit: t,
        duration: r.dur,
        gpus: g,
        gpuShare: share ? r.share / 1000 : 0,
        cpus: cpus > 0 ? r.cpu % (cpus + 1) : 0,
        memMiB: memMiB > 0 ? r.mem % (memMiB + 1) : 0,
        group: `g${r.group}`,
        ...(r.est !== null ? { estimate: r.est } : {}),
      });
    });
    const opts: SimOptions = { fractional, restartOverhead, seed, oversize: 'reject', debug: true };
    if (placement !== null) opts.placement = placement;
    return { cluster, jobs, opts };
  });

/** The per-job and global checks every run must pass. */
function checkRun(name: string, sc: Scenario, r: SimResult, until: number): void {
  const preemptive = SCHEDULERS[name].preemptive;
  const n = sc.jobs.length;
  let finished = 0;
  let rejected = 0;
  let unfinished = 0;
  for (let j = 0; j < n; j++) {
    const job = sc.jobs[j];
    const st = r.status[j];
    if (st === JobStatus.Rejected) {
      rejected++;
      assert.ok(Number.isNaN(r.start[j]) && Number.isNaN(r.finish[j]), `${name}: rejected job ${j} ran`);
      continue;
    }
    if (st === JobStatus.Finished) {
      finished++;
      assert.ok(r.start[j] >= job.submit, `${name}: job ${j} started ${r.start[j]} before arrival ${job.submit}`);
      assert.ok(r.finish[j] <= until, `${name}: job ${j} finished after until`);
      const span = r.finish[j] - r.start[j];
      if (preemptive) assert.ok(span >= job.duration - 1e-9, `${name}: job ${j} ran ${span} < ${job.duration}`);
      else assert.equal(span, job.duration, `${name}: non-preemptive job ${j} span ${span} != ${job.duration}`);
    } else {
      unfinished++;
      assert.ok(Number.isNaN(r.finish[j]), `${name}: unfinished job ${j} has a finish time`);
      if (!Number.isNaN(r.start[j])) assert.ok(r.start[j] >= job.submit);
    }
    if (!preemptive) assert.equal(r.preemptions[j], 0, `${name}: non-preemptive policy preempted job ${j}`);
  }
  assert.deepEqual(r.counts, { jobs: n, finished, rejected, unfinished }, `${name}: counts`);
  assert.equal(n, finished + rejected + unfinished);
  if (until === Infinity) assert.equal(unfinished, 0, `${name}: ${unfinished} jobs never finished without 'until'`);
  // GPU usage never exceeds capacity (debug mode checks per GPU; this checks the recorded timeline).
  for (const used of r.timeline.gpus) assert.ok(used <= r.capacity.gpus + 1e-9, `${name}: timeline uses ${used} GPUs`);
}

test('every scheduler: invariants, arrival/duration bounds, conservation, completion, determinism', () => {
  fc.assert(
    fc.property(scenarioArb, (sc) => {
      for (const name of SCHEDULER_NAMES) {
        const r = simulate(sc.jobs, sc.cluster, makeScheduler(name), sc.opts);
        totalEvents += r.events;
        checkRun(name, sc, r, Infinity);
        // Determinism: same inputs and seed -> identical schedule.
        const again = simulate(sc.jobs, sc.cluster, makeScheduler(name), sc.opts);
        totalEvents += again.events;
        assert.deepEqual(again.start, r.start, `${name}: start times differ between identical runs`);
        assert.deepEqual(again.finish, r.finish, `${name}: finish times differ between identical runs`);
      }
    }),
    { seed: FC_SEED, numRuns: Number(process.env.FC_RUNS ?? 800) },
  );
});

test('every scheduler with `until`: counts conserved, nothing finishes after the stop', () => {
  fc.assert(
    fc.property(scenarioArb, fc.integer({ min: 0, max: 2000 }), (sc, until) => {
      for (const name of SCHEDULER_NAMES) {
        const r = simulate(sc.jobs, sc.cluster, makeScheduler(name), { ...sc.opts, until });
        totalEvents += r.events;
        checkRun(name, sc, r, until);
      }
    }),
    { seed: FC_SEED + 1, numRuns: Number(process.env.FC_RUNS_UNTIL ?? 300) },
  );
});

test(`the property runs simulated at least ${MIN_EVENTS} events`, () => {
  console.log(`# events simulated: ${totalEvents}`);
  assert.ok(totalEvents >= MIN_EVENTS, `only ${totalEvents} events simulated`);
});
