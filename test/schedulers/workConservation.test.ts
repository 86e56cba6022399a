import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { simulate, type SimOptions } from '../../src/sim/simulator';
import type { ClusterSpec, NodeSpec } from '../../src/cluster/spec';
import { PLACEMENTS, type PlacementName } from '../../src/sim/placement';
import type { OracleSimContext as SimContext, Scheduler } from '../../src/sim/scheduler';
import { makePredictor } from '../../src/predict/registry';
import { PredictionTracker } from '../../src/predict/tracker';
import { makeJob, type Job } from '../../src/workload/job';
import { SCHEDULERS, makeScheduler } from '../../src/schedulers/registry';
import { gittinsIndex } from '../../src/schedulers/gittins';
import { KEY_TOLERANCE } from '../../src/schedulers/preemptive';

/**
 * The promises of docs/schedulers.md about which jobs run after a decision point, checked
 * after EVERY decision point of random runs (seeded; FC_SEED overrides):
 * 1. one pool (fitting = enough idle GPUs / CPUs / memory): the running set of a preemptive
 *    policy is exactly the greedy prefix of its priority order that fits, and exactly the
 *    running jobs outside it were preempted (once each);
 * 2. every non-reserving policy is work conserving, on any cluster: no waiting job fits the
 *    idle resources after a decision point;
 * 3. on several nodes with per-node demands, a preemptive policy stops a running job only
 *    for a strictly more urgent job started at the same decision point.
 */
const FC_SEED = Number(process.env.FC_SEED ?? 20251130);
const RUNS = Number(process.env.FC_RUNS ?? 100);

/** The priority key each preemptive policy gives a job (lower = more urgent), recomputed independently. */
type KeyOf = (ctx: SimContext, j: number) => number;
interface Preemptive {
  name: string;
  opts?: Record<string, unknown>;
  key: (jobs: readonly Job[]) => KeyOf;
}
const queueOf = (thresholds: number[]) => (ctx: SimContext, j: number) => {
  const a = ctx.attained(j);
  let q = 0;
  while (q < thresholds.length && a >= thresholds[q]) q++;
  return q;
};
const PREEMPTIVE: Preemptive[] = [
  { name: 'srtf', key: () => (ctx, j) => ctx.remaining(j) },
  {
    // An independent tracker over the same predictor sees the same completions and arrivals.
    name: 'srtf-estimate',
    key: (jobs) => {
      const t = new PredictionTracker(makePredictor('user-estimate'));
      t.reset(jobs);
      return (ctx, j) => {
        t.update(ctx);
        return Math.max(0, t.predicted[j] - ctx.executed(j));
      };
    },
  },
  {
    name: 'srtf-estimate',
    opts: { predictor: 'gpus' },
    key: (jobs) => {
      const t = new PredictionTracker(makePredictor('gpus'));
      t.reset(jobs);
      return (ctx, j) => {
        t.update(ctx);
        return Math.max(0, t.predicted[j] - ctx.executed(j));
      };
    },
  },
  { name: 'las', opts: { tickInterval: 30 }, key: () => (ctx, j) => ctx.attained(j) },
  { name: 'las', opts: { tickInterval: 0 }, key: () => (ctx, j) => ctx.attained(j) },
  { name: 'tiresias', opts: { thresholds: [3600] }, key: () => queueOf([3600]) },
  { name: 'tiresias', opts: { thresholds: [60, 400], tickInterval: 25 }, key: () => queueOf([60, 400]) },
  {
    name: 'gittins',
    opts: { delta: 200, tickInterval: 40 },
    key: (jobs) => {
      const g = gittinsIndex(jobs, 200);
      return (ctx, j) => -g(ctx.attained(j));
    },
  },
];

/** Wraps a policy and runs `check(ctx, before)` after each of its decision points (the watcher is an oracle). */
function watched<T>(
  inner: Scheduler,
  snap: (ctx: SimContext) => T,
  check: (ctx: SimContext, before: T) => void,
  onReset?: (jobs: readonly Job[]) => void,
): Scheduler {
  return {
    name: inner.name,
    oracle: true,
    preemptive: inner.preemptive,
    ...(inner.tickInterval !== undefined ? { tickInterval: inner.tickInterval } : {}),
    ...(inner.placement !== undefined ? { placement: inner.placement } : {}),
    reset(jobs, rng) {
      onReset?.(jobs);
      inner.reset(jobs, rng);
    },
    schedule(ctx) {
      const before = snap(ctx);
      inner.schedule(ctx);
      check(ctx, before);
    },
  };
}

interface Before {
  now: number;
  waiting: number[];
  running: number[];
  keys: Map<number, number>;
  preemptions: Map<number, number>;
}

function snapshot(ctx: SimContext, key: KeyOf): Before {
  const waiting: number[] = [];
  const running: number[] = [];
  const keys = new Map<number, number>();
  const preemptions = new Map<number, number>();
  for (let i = 0; i < ctx.waitingCount; i++) waiting.push(ctx.waitingAt(i));
  for (let i = 0; i < ctx.runningCount; i++) running.push(ctx.runningAt(i));
  for (const j of [...waiting, ...running]) {
    keys.set(j, key(ctx, j));
    preemptions.set(j, ctx.preemptionCount(j));
  }
  return { now: ctx.now, waiting, running, keys, preemptions };
}

const bound = (k: number): number => k + KEY_TOLERANCE * Math.max(1, Math.abs(k));

/** The greedy prefix of the merged priority order that fits the whole capacity (by totals). */
function greedyPrefix(ctx: SimContext, b: Before): Set<number> {
  const k = (j: number): number => b.keys.get(j)!;
  const byKey = (x: number, y: number): number => k(x) - k(y) || x - y;
  const w = [...b.waiting].sort(byKey);
  const r = [...b.running].sort(byKey);
  const order: number[] = [];
  let i = 0;
  let m = 0;
  while (i < w.length || m < r.length) {
    if (i < w.length && (m === r.length || k(r[m]) > bound(k(w[i])))) order.push(w[i++]);
    else order.push(r[m++]);
  }
  let gpus = ctx.totalGpus;
  let cpus = ctx.totalCpus;
  let mem = ctx.totalMemMiB;
  const chosen = new Set<number>();
  for (const j of order) {
    const job = ctx.jobs[j];
    if (job.gpus <= gpus && job.cpus <= cpus + 1e-6 && job.memMiB <= mem + 1e-6) {
      chosen.add(j);
      gpus -= job.gpus;
      cpus -= job.cpus;
      mem -= job.memMiB;
    }
  }
  return chosen;
}

function runningSet(ctx: SimContext): number[] {
  const out: number[] = [];
  for (let i = 0; i < ctx.runningCount; i++) out.push(ctx.runningAt(i));
  return out.sort((x, y) => x - y);
}

/**
 * No waiting job fits the idle resources. The waiting snapshot of a decision point does not list
 * jobs preempted during it (they join the queue when it closes), so those are checked too.
 */
function assertWorkConserving(ctx: SimContext, label: string, runningBefore: readonly number[]): void {
  const waiting: number[] = [];
  for (let i = 0; i < ctx.waitingCount; i++) waiting.push(ctx.waitingAt(i));
  for (const j of runningBefore) if (ctx.isWaiting(j)) waiting.push(j);
  for (const j of waiting) {
    if (ctx.isWaiting(j) && ctx.fits(j))
      assert.fail(`${label} t=${ctx.now}: job ${j} waits but fits (${ctx.freeGpus} GPUs idle); not work conserving`);
  }
}

function runningList(ctx: SimContext): number[] {
  const out: number[] = [];
  for (let i = 0; i < ctx.runningCount; i++) out.push(ctx.runningAt(i));
  return out;
}

// ---- workloads ------------------------------------------------------------------

const GANG = [1, 1, 1, 1, 1, 2, 2, 3, 4, 8];
const jobRaw = fc.record({
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })),
  dur: fc.oneof(fc.integer({ min: 0, max: 900 }), fc.constantFrom(60, 120, 300)),
  size: fc.integer({ min: 0, max: 9 }),
  cpu: fc.integer({ min: 0, max: 8 }),
  mem: fc.integer({ min: 0, max: 16 }),
  kind: fc.integer({ min: 0, max: 9 }), // 0-6 whole GPUs, 7 share, 8 CPU-only, 9 typed whole
  share: fc.constantFrom(0.25, 0.5, 0.333),
});

interface Scenario {
  cluster: ClusterSpec;
  jobs: Job[];
  opts: SimOptions;
}

function build(
  nodes: NodeSpec[],
  raw: Array<typeof jobRaw extends fc.Arbitrary<infer R> ? R : never>,
  make: (r: (typeof raw)[number], i: number, t: number) => Job,
  opts: SimOptions,
): Scenario {
  let t = 0;
  const jobs = raw.map((r, i) => {
    t += r.gap;
    return make(r, i, t);
  });
  return { cluster: { name: 'wc', nodes }, jobs, opts };
}

const common = {
  raw: fc.array(jobRaw, { minLength: 1, maxLength: 70 }),
  overhead: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 })),
  seed: fc.integer({ min: 0, max: 1000 }),
};

/** One pool: a single node (whole GPUs with CPU / memory demands), or GPU-only jobs on nodes a gang may span. */
const pooled: fc.Arbitrary<Scenario> = fc
  .record({
    ...common,
    single: fc.boolean(),
    nodes: fc.integer({ min: 2, max: 4 }),
    gpus: fc.integer({ min: 1, max: 8 }),
    placement: fc.constantFrom<PlacementName>('first-fit', 'best-fit', 'spread'),
  })
  .map((s) => {
    const count = s.single ? 1 : s.nodes;
    const nodes = Array.from({ length: count }, (_, i) => ({
      name: `n${i}`,
      gpus: s.gpus,
      cpus: s.single ? 16 : 0,
      memMiB: s.single ? 32 : 0,
    }));
    const total = count * s.gpus;
    return build(
      nodes,
      s.raw,
      (r, i, t) =>
        makeJob({
          id: `j${i}`,
          submit: t,
          duration: r.dur,
          gpus: Math.min(total, GANG[r.size]),
          cpus: s.single ? r.cpu : 0,
          memMiB: s.single ? r.mem : 0,
        }),
      { restartOverhead: s.overhead, seed: s.seed, placement: s.placement },
    );
  });

/** Anything: several nodes, per-node CPU / memory, shares, CPU-only and typed jobs, every placement. */
const general: fc.Arbitrary<Scenario> = fc
  .record({
    ...common,
    nodes: fc.integer({ min: 1, max: 4 }),
    gpus: fc.integer({ min: 1, max: 8 }),
    placement: fc.constantFrom(...PLACEMENTS),
    fractional: fc.boolean(),
  })
  .map((s) => {
    const nodes = Array.from({ length: s.nodes }, (_, i) => ({
      name: `n${i}`,
      gpus: s.gpus,
      gpuType: i % 2 === 0 ? 'A' : 'B',
      cpus: 16,
      memMiB: 32,
    }));
    const total = s.nodes * s.gpus;
    return build(
      nodes,
      s.raw,
      (r, i, t) =>
        makeJob({
          id: `j${i}`,
          submit: t,
          duration: r.dur,
          gpus: r.kind <= 6 || r.kind === 9 ? Math.min(total, GANG[r.size]) : 0,
          gpuShare: r.kind === 7 ? r.share : 0,
          cpus: r.kind === 8 ? 1 + (r.cpu % 16) : r.cpu,
          memMiB: r.mem,
          gpuType: r.kind === 9 ? (r.cpu % 2 === 0 ? 'A' : 'B') : undefined,
          group: `g${r.size % 3}`,
        }),
      {
        restartOverhead: s.overhead,
        seed: s.seed,
        placement: s.placement,
        fractional: s.fractional,
        oversize: 'reject',
      },
    );
  });

// ---- properties -----------------------------------------------------------------

test('one pool: after every decision the running set is the greedy prefix of the priority order that fits', () => {
  fc.assert(
    fc.property(pooled, (sc) => {
      for (const p of PREEMPTIVE) {
        const label = `${p.name} ${JSON.stringify(p.opts ?? {})}`;
        let key: KeyOf = () => 0;
        let decisions = 0;
        const s = watched(
          makeScheduler(p.name, p.opts),
          (ctx) => snapshot(ctx, key),
          (ctx, b) => {
            decisions++;
            const want = [...greedyPrefix(ctx, b)].sort((x, y) => x - y);
            assert.deepEqual(runningSet(ctx), want, `${label} t=${b.now}: running set is not the greedy prefix`);
            for (const j of b.running) {
              const stopped = want.includes(j) ? 0 : 1;
              assert.equal(ctx.preemptionCount(j) - b.preemptions.get(j)!, stopped, `${label} t=${b.now}: job ${j}`);
            }
            for (const j of b.waiting) assert.equal(ctx.preemptionCount(j), b.preemptions.get(j), `${label}: job ${j}`);
            assertWorkConserving(ctx, label, b.running);
          },
          (jobs) => (key = p.key(jobs)),
        );
        const r = simulate(sc.jobs, sc.cluster, s, { ...sc.opts, debug: true });
        assert.ok(decisions > 0 && r.counts.finished === sc.jobs.length, `${label}: every job finishes`);
      }
    }),
    { seed: FC_SEED, numRuns: RUNS },
  );
});

/**
 * Policies that leave a fitting job waiting on purpose: the blocking head of a strict order
 * (fifo, wfp3, unicep), backfilling's reservations (easy, conservative), DRF's FIFO within a
 * group (a group's blocked head holds back its later jobs).
 */
const RESERVING = new Set(['fifo', 'wfp3', 'unicep', 'easy', 'conservative', 'drf']);

test('every non-reserving policy is work conserving on any cluster: no waiting job fits after a decision', () => {
  const names = Object.keys(SCHEDULERS).filter((n) => !RESERVING.has(n));
  const variants = [
    ...names.map((name) => ({ name, opts: undefined as Record<string, unknown> | undefined })),
    ...PREEMPTIVE.filter((p) => p.opts).map((p) => ({ name: p.name, opts: p.opts })),
    { name: 'tiresias', opts: { thresholds: [100], promoteKnob: 1, tickInterval: 20 } },
  ];
  fc.assert(
    fc.property(general, (sc) => {
      for (const v of variants) {
        const label = `${v.name} ${JSON.stringify(v.opts ?? {})}`;
        const s = watched(makeScheduler(v.name, v.opts), runningList, (ctx, before) =>
          assertWorkConserving(ctx, label, before),
        );
        simulate(sc.jobs, sc.cluster, s, { ...sc.opts, debug: true });
      }
    }),
    { seed: FC_SEED + 1, numRuns: RUNS },
  );
});

test('several nodes: a running job is preempted only for a strictly more urgent job started at that decision', () => {
  fc.assert(
    fc.property(general, (sc) => {
      for (const p of PREEMPTIVE) {
        const label = `${p.name} ${JSON.stringify(p.opts ?? {})}`;
        let key: KeyOf = () => 0;
        const s = watched(
          makeScheduler(p.name, p.opts),
          (ctx) => snapshot(ctx, key),
          (ctx, b) => {
            const started = b.waiting.filter((j) => !ctx.isWaiting(j));
            const best = Math.min(...started.map((j) => b.keys.get(j)!));
            for (const j of b.running) {
              if (ctx.preemptionCount(j) === b.preemptions.get(j)) continue;
              assert.ok(
                b.keys.get(j)! > bound(best),
                `${label} t=${b.now}: job ${j} (key ${b.keys.get(j)}) preempted, most urgent start has key ${best}`,
              );
            }
          },
          (jobs) => (key = p.key(jobs)),
        );
        simulate(sc.jobs, sc.cluster, s, { ...sc.opts, debug: true });
      }
    }),
    { seed: FC_SEED + 2, numRuns: RUNS },
  );
});
