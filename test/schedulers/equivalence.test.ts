import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { simulate, type SimOptions } from '../../src/sim/simulator';
import type { ClusterSpec, NodeSpec } from '../../src/cluster/spec';
import { PLACEMENTS } from '../../src/sim/placement';
import { makeJob, type Job } from '../../src/workload/job';
import { SCHEDULER_NAMES, makeScheduler } from '../../src/schedulers/registry';
import { SCHEDULERS as REFERENCE, makeScheduler as makeReference } from './reference/registry';

/**
 * The fast schedulers (incremental queues, demand buckets, early exits) must produce
 * EXACTLY the schedules of the straightforward full-scan implementations kept in
 * ./reference (the code before the speed-ups): same start, finish, preemption count and
 * status for every job, on random clusters and workloads with CPU / memory demands,
 * fractional shares, GPU-type constraints, CPU-only jobs, oversize jobs, every placement,
 * restart overheads and `until`, plus long overloaded queues (where the shortcuts act).
 * Seeded (FC_SEED overrides) so that a failure reproduces.
 */
const FC_SEED = Number(process.env.FC_SEED ?? 20250101);

/**
 * Policy variants: every registered name that has a reference implementation, with defaults,
 * plus the non-default options. The prediction-based policies (sjf-estimate, srtf-estimate, qssf)
 * have none: they were written on the fast queues (keyed.ts, preemptive.ts) whose oracle users
 * sjf and srtf are compared here.
 */
const VARIANTS: ReadonlyArray<{ name: string; opts?: Record<string, unknown> }> = [
  ...SCHEDULER_NAMES.filter((name) => name in REFERENCE).map((name) => ({ name })),
  { name: 'easy', opts: { useEstimates: true } },
  { name: 'conservative', opts: { useEstimates: true } },
  { name: 'tiresias', opts: { thresholds: [200, 2000], promoteKnob: 2, tickInterval: 40 } },
  { name: 'gittins', opts: { delta: 300, tickInterval: 45 } },
  { name: 'las', opts: { tickInterval: 35 } },
  { name: 'tetris', opts: { srtfWeight: 0.3, minRemaining: 50 } },
];

interface Scenario {
  cluster: ClusterSpec;
  jobs: Job[];
  opts: SimOptions;
}

const jobRaw = fc.record({
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
  halfSecond: fc.boolean(),
  dur: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 900 }), fc.constantFrom(60, 120, 300)),
  kind: fc.integer({ min: 0, max: 11 }), // 0-7 whole GPUs, 8-9 fractional share, 10 CPU-only, 11 typed whole
  size: fc.integer({ min: 1, max: 40 }),
  share: fc.constantFrom(100, 250, 500, 333, 999),
  cpu: fc.integer({ min: 0, max: 24 }),
  mem: fc.integer({ min: 0, max: 48 }),
  est: fc.option(fc.integer({ min: 0, max: 1200 })),
  group: fc.integer({ min: 0, max: 3 }),
});

/** Mostly 1-GPU jobs with a tail of large gangs, as in Philly. */
const GANG = [1, 1, 1, 1, 1, 1, 2, 2, 4, 8];

function scenario(longQueue: boolean): fc.Arbitrary<Scenario> {
  return fc
    .record({
      nodes: fc.integer({ min: 1, max: 5 }),
      gpus: fc.integer({ min: 1, max: 8 }),
      resources: fc.boolean(), // nodes have CPU / memory (else 0: demands must be 0 too)
      typed: fc.boolean(), // half the nodes have GPU type B (else all A)
      plainOnly: fc.boolean(), // whole GPUs only, no CPU / memory / type: the fast paths
      raw: fc.array(jobRaw, { minLength: 0, maxLength: longQueue ? 260 : 60, size: 'max' }),
      placement: fc.option(fc.constantFrom(...PLACEMENTS)),
      fractional: fc.boolean(),
      // Below half the shortest tick: a larger overhead can livelock LAS (each slice redoes it).
      restartOverhead: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 })),
      until: fc.oneof(fc.constant(Infinity), fc.integer({ min: 0, max: 3000 })),
      seed: fc.integer({ min: 0, max: 0x7fffffff }),
    })
    .map((s) => {
      const nodes: NodeSpec[] = [];
      for (let i = 0; i < s.nodes; i++)
        nodes.push({
          name: `n${i}`,
          gpus: s.gpus,
          gpuType: s.typed && i % 2 === 1 ? 'B' : 'A',
          cpus: s.resources ? 16 : 0,
          memMiB: s.resources ? 32 : 0,
        });
      const total = s.nodes * s.gpus;
      let t = 0;
      const jobs = s.raw.map((r, i) => {
        t += (longQueue ? r.gap >> 3 : r.gap) + (r.halfSecond ? 0.5 : 0);
        const kind = s.plainOnly ? r.kind % 8 : r.kind;
        const whole = kind <= 7 || kind === 11;
        const g = !whole
          ? 0
          : r.size === 40
            ? total + 1 // can never fit: rejected
            : longQueue
              ? Math.min(total, GANG[r.size % GANG.length])
              : 1 + ((r.size - 1) % total);
        const plain = s.plainOnly || !s.resources;
        return makeJob({
          id: `j${i}`,
          submit: t,
          duration: longQueue ? r.dur * 3 : r.dur,
          gpus: g,
          gpuShare: kind === 8 || kind === 9 ? r.share / 1000 : 0,
          cpus: plain ? 0 : r.cpu % 17,
          memMiB: plain ? 0 : r.mem % 33,
          gpuType: kind === 11 ? (r.cpu % 2 === 0 ? 'A' : 'B') : undefined,
          group: `g${r.group}`,
          ...(r.est !== null ? { estimate: r.est } : {}),
        });
      });
      const opts: SimOptions = {
        fractional: s.fractional,
        restartOverhead: s.restartOverhead,
        seed: s.seed,
        oversize: 'reject',
        until: s.until,
      };
      if (s.placement !== null) opts.placement = s.placement;
      return { cluster: { name: 'eq', nodes }, jobs, opts };
    });
}

function assertSame(sc: Scenario): void {
  for (const v of VARIANTS) {
    const label = `${v.name}${v.opts ? ' ' + JSON.stringify(v.opts) : ''}`;
    const fast = simulate(sc.jobs, sc.cluster, makeScheduler(v.name, v.opts), sc.opts);
    const ref = simulate(sc.jobs, sc.cluster, makeReference(v.name, v.opts), sc.opts);
    assert.deepEqual(fast.start, ref.start, `${label}: start times differ`);
    assert.deepEqual(fast.finish, ref.finish, `${label}: finish times differ`);
    assert.deepEqual(fast.preemptions, ref.preemptions, `${label}: preemption counts differ`);
    assert.deepEqual(fast.status, ref.status, `${label}: statuses differ`);
  }
}

test('every policy schedules exactly like its reference implementation (small random workloads)', () => {
  fc.assert(fc.property(scenario(false), assertSame), {
    seed: FC_SEED,
    numRuns: Number(process.env.FC_RUNS ?? 150),
  });
});

test('every policy schedules exactly like its reference implementation (long overloaded queues)', () => {
  fc.assert(fc.property(scenario(true), assertSame), {
    seed: FC_SEED + 1,
    numRuns: Number(process.env.FC_RUNS_LONG ?? 40),
  });
});
