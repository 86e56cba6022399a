/**
 * The packing study: every policy on the identical pod orders (one per seed, built by the paper's
 * workload inflation), a summary per run, and per-policy 95 % t intervals over seeds.
 */
import { inflatedOrder } from '../../sim/packing/order';
import { runPacking, type PackingPolicy, type PackingRunResult, type PackingSnapshot } from '../../sim/packing/run';
import { PACKING_POLICIES, type PackingPolicyKind } from '../../schedulers/packing/registry';
import { confidenceInterval, type Interval } from '../../metrics/ci';
import { Rng } from '../../util/rng';
import type { PackingSetup } from './setup';

/** A policy for one seed (a fresh instance per run: policies may keep memo tables or an RNG). */
export type PolicyFactory = (seed: number) => PackingPolicy;

export interface PackingStudyRun {
  policy: string;
  seed: number;
  result: PackingRunResult;
  wallSeconds: number;
}

export function heuristicFactory(kind: PackingPolicyKind, setup: PackingSetup): PolicyFactory {
  // The policy's RNG is derived from the seed but is not the pod-order RNG.
  return (seed) => PACKING_POLICIES[kind].create({ rng: new Rng((seed ^ 0x5eed5eed) >>> 0), frag: setup.frag });
}

export function podOrder(setup: PackingSetup, ratio: number, seed: number): Int32Array {
  return inflatedOrder(setup.interned.podSpec, setup.interned.specs, setup.cluster.totalGpuMilli, ratio, seed);
}

export function runPackingStudy(
  setup: PackingSetup,
  policies: Readonly<Record<string, PolicyFactory>>,
  seeds: readonly number[],
  ratio: number,
  gridStep: number,
  onRun?: (r: PackingStudyRun) => void,
): PackingStudyRun[] {
  const runs: PackingStudyRun[] = [];
  for (const seed of seeds) {
    const order = podOrder(setup, ratio, seed);
    for (const [name, make] of Object.entries(policies)) {
      const t0 = performance.now();
      const result = runPacking(setup.cluster, setup.interned.specs, order, make(seed), setup.frag, gridStep);
      const run = {
        policy: name,
        seed,
        result: { ...result, policy: name },
        wallSeconds: (performance.now() - t0) / 1000,
      };
      runs.push(run);
      onRun?.(run);
    }
  }
  return runs;
}

/** The metrics of one run that the table reports (percentages of the cluster's GPU capacity). */
export const SUMMARY_METRICS = {
  first_fail_arrived_pct: 'arrived workload when the first pod fails (% of GPU capacity)',
  first_fail_alloc_pct: 'GPUs allocated when the first pod fails (% of capacity)',
  first_fail_frag_gpu: 'fragmented GPUs F(M) when the first pod fails',
  alloc_pct_at_100: 'GPUs allocated when 100 % of capacity has arrived (% of capacity)',
  frag_gpu_at_100: 'fragmented GPUs F(M) when 100 % has arrived',
  frag_rate_at_100: 'F(M) / unallocated GPUs when 100 % has arrived (%)',
  final_alloc_pct: 'GPUs allocated at the end of the inflated workload (% of capacity)',
  final_unalloc_gpu: 'unallocated GPUs at the end',
  alloc_of_requested_pct: 'allocated / requested GPUs at the end (%)',
  failed_pods: 'pods that could not be placed',
} as const;
export type SummaryMetric = keyof typeof SUMMARY_METRICS;
export const SUMMARY_METRIC_KEYS = Object.keys(SUMMARY_METRICS) as SummaryMetric[];

/** The curve point where `fraction` of capacity has arrived (the last point if the run stopped short). */
export function curveAt(r: PackingRunResult, fraction: number): PackingSnapshot {
  const k = Math.round(fraction / r.gridStep) - 1;
  return r.curve[Math.min(Math.max(k, 0), r.curve.length - 1)] ?? r.final;
}

export function runSummary(r: PackingRunResult): Record<SummaryMetric, number> {
  const cap = r.capacityGpu;
  const ff = r.firstFailure ?? r.final;
  const at100 = curveAt(r, 1);
  return {
    first_fail_arrived_pct: (100 * ff.arrivedGpu) / cap,
    first_fail_alloc_pct: (100 * ff.allocatedGpu) / cap,
    first_fail_frag_gpu: ff.fragGpu,
    alloc_pct_at_100: (100 * at100.allocatedGpu) / cap,
    frag_gpu_at_100: at100.fragGpu,
    frag_rate_at_100: at100.unallocatedGpu > 0 ? (100 * at100.fragGpu) / at100.unallocatedGpu : 0,
    final_alloc_pct: (100 * r.final.allocatedGpu) / cap,
    final_unalloc_gpu: r.final.unallocatedGpu,
    alloc_of_requested_pct: r.final.arrivedGpu > 0 ? (100 * r.final.allocatedGpu) / r.final.arrivedGpu : 100,
    failed_pods: r.final.failedPods,
  };
}

export interface PolicySummaryRow {
  policy: string;
  seeds: number;
  metrics: Record<SummaryMetric, Interval>;
}

/** Per policy (in first-seen order): each metric's mean and 95 % t interval over seeds. */
export function summariseStudy(runs: readonly PackingStudyRun[]): PolicySummaryRow[] {
  const by = new Map<string, Record<SummaryMetric, number>[]>();
  for (const r of runs) {
    let l = by.get(r.policy);
    if (!l) by.set(r.policy, (l = []));
    l.push(runSummary(r.result));
  }
  return [...by].map(([policy, rows]) => ({
    policy,
    seeds: rows.length,
    metrics: Object.fromEntries(
      SUMMARY_METRIC_KEYS.map((k) => [k, confidenceInterval(rows.map((x) => x[k])) as Interval]),
    ) as unknown as Record<SummaryMetric, Interval>,
  }));
}

/** The family of a learned policy named '<algo> seed<k>' (its training seed dropped); other names are their own. */
export function familyOf(policy: string): string {
  return policy.replace(/ seed\d+$/, '');
}

/**
 * For every family with ≥ 2 training seeds, a row '<family> (N training seeds)': each metric's mean
 * over the training seeds of the per-seed means (over the test orders), with the 95 % t interval
 * over training seeds — the uncertainty that matters for "does this algorithm learn a good policy".
 */
export function familyRows(rows: readonly PolicySummaryRow[]): PolicySummaryRow[] {
  const fam = new Map<string, PolicySummaryRow[]>();
  for (const r of rows) {
    const f = familyOf(r.policy);
    if (f === r.policy) continue;
    let l = fam.get(f);
    if (!l) fam.set(f, (l = []));
    l.push(r);
  }
  return [...fam]
    .filter(([, l]) => l.length >= 2)
    .map(([f, l]) => ({
      policy: `${f} (${l.length} training seeds)`,
      seeds: l.length,
      metrics: Object.fromEntries(
        SUMMARY_METRIC_KEYS.map((k) => [k, confidenceInterval(l.map((r) => r.metrics[k].estimate)) as Interval]),
      ) as unknown as Record<SummaryMetric, Interval>,
    }));
}

export interface CurveBand {
  policy: string;
  /** Arrived workload, % of capacity. */
  arrivedPct: number[];
  allocPct: Interval[];
  fragGpu: Interval[];
}

/**
 * Mean and 95 % t interval over seeds at every grid point shared by all runs of a policy. With
 * `families`, the training seeds of a learned family are one band: the mean over training seeds of
 * each seed's mean curve, the interval over training seeds.
 */
export function curveBands(runs: readonly PackingStudyRun[], families = false): CurveBand[] {
  if (families) {
    const per = curveBands(runs);
    const fam = new Map<string, CurveBand[]>();
    for (const b of per) {
      const f = familyOf(b.policy);
      let l = fam.get(f);
      if (!l) fam.set(f, (l = []));
      l.push(b);
    }
    return [...fam].map(([f, l]) => {
      if (l.length === 1 && f === l[0].policy) return l[0];
      const len = Math.min(...l.map((b) => b.arrivedPct.length));
      const pick = (get: (b: CurveBand) => Interval[], k: number): Interval =>
        confidenceInterval(l.map((b) => get(b)[k].estimate));
      return {
        policy: `${f} (${l.length} training seeds)`,
        arrivedPct: l[0].arrivedPct.slice(0, len),
        allocPct: Array.from({ length: len }, (_, k) => pick((b) => b.allocPct, k)),
        fragGpu: Array.from({ length: len }, (_, k) => pick((b) => b.fragGpu, k)),
      };
    });
  }
  const by = new Map<string, PackingRunResult[]>();
  for (const r of runs) {
    let l = by.get(r.policy);
    if (!l) by.set(r.policy, (l = []));
    l.push(r.result);
  }
  return [...by].map(([policy, rs]) => {
    const len = Math.min(...rs.map((r) => r.curve.length));
    const step = rs[0].gridStep;
    const arrivedPct: number[] = [];
    const allocPct: Interval[] = [];
    const fragGpu: Interval[] = [];
    for (let k = 0; k < len; k++) {
      arrivedPct.push(Math.round((k + 1) * step * 1e6) / 1e4);
      allocPct.push(confidenceInterval(rs.map((r) => (100 * r.curve[k].allocatedGpu) / r.capacityGpu)));
      fragGpu.push(confidenceInterval(rs.map((r) => r.curve[k].fragGpu)));
    }
    return { policy, arrivedPct, allocPct, fragGpu };
  });
}
