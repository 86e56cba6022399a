/**
 * The one experiment pipeline behind `lepton simulate`, `lepton evaluate --trace` and `lepton start`:
 *
 *   workload (a trace, or a seeded generator) → cluster → arrival scaling → every policy on the
 *   identical job sequence (comparePolicies) → summaries → manifest
 *
 * Every option lives in one typed object, ExperimentOptions, which the CLI fills from its arguments
 * (and a schema can validate); the manifest records that object as the run's config. The CLI only
 * parses, calls `prepareTraceExperiment`/`prepareGeneratedExperiment` and `runExperiment`, prints,
 * and hands the result to report/writeRun. So a command can no longer accept an option and ignore
 * it: the options reach the simulator through this file only.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../util/errors';
import { clusterFromJson, presetCluster } from '../cluster/presets';
import { clusterTotals, type ClusterSpec, type ClusterTotals } from '../cluster/spec';
import type { JobWindow } from '../metrics/window';
import { PLACEMENTS, type PlacementName } from '../sim/placement';
import type { Scheduler } from '../sim/scheduler';
import { makeScheduler, oracleInfo, SCHEDULERS } from '../schedulers/registry';
import { validatePolicyOptions, type PolicyOptions } from '../schedulers/options';
import type { Job, Workload } from '../workload/job';
import { embeddedDefaultWorkload, EMBEDDED_DEFAULT_CLUSTER, offeredLoad } from '../workload/generators';
import {
  defaultTraceFile,
  detectTraceKind,
  isTraceKind,
  loadTrace,
  traceFormat,
  TRACE_KINDS,
  type TraceKind,
} from '../workload/traces';
import { comparePolicies, type PolicyRun } from './comparePolicies';
import { makeManifest, sha256Text, type Manifest } from './manifest';
import type { AgentPolicy } from './agentPolicy';

/** Which jobs: a trace kind or file and the filters applied while loading it. */
export interface WorkloadOptions {
  /** A trace kind (`TRACE_KINDS`) or a trace file (its kind is detected). */
  trace: string;
  /** The file for `trace` = KIND (default: the format's default file). */
  traceFile?: string;
  /** Keep only this virtual cluster / group (for Philly also the cluster preset's VC). */
  vc?: string;
  /** Keep jobs submitted in [from, to) seconds. */
  from?: number;
  to?: number;
  /** Keep only the first N jobs after the filters. */
  limit?: number;
  /** Skip (and count) malformed rows and jobs that can never fit, instead of failing. */
  skipInvalid: boolean;
}

/** How the jobs are simulated and scored. */
export interface SimulationOptions {
  /** Seed of the schedulers' RNG (Random policy, agents that sample). */
  seed: number;
  /** Placement override; default: each policy's own. */
  placement?: PlacementName;
  /** Seconds of work added at each preemption. */
  restartOverhead: number;
  /** Let fractional-GPU jobs share a GPU (false: they take a whole one). */
  fractional: boolean;
  /** Divide every submit time by this factor (> 1 raises the offered load). */
  arrivalScale: number;
  /** Stop the simulation at this time (unfinished jobs are counted). */
  until?: number;
  /** Drop the first and last fraction of jobs (by submit order) from the metrics. */
  windowTrim: number;
  /** Options per heuristic, checked by each registry entry's schema (`--policy-opt`, `--config`). */
  policyOptions?: PolicyOptions;
}

/** Everything `lepton simulate` (and `lepton evaluate --trace`) needs. */
export interface ExperimentOptions extends WorkloadOptions, SimulationOptions {
  /** Cluster preset (`presetCluster` name) or JSON file; default: the trace format's own cluster. */
  cluster?: string;
  /** Heuristics by registry name. */
  policies: readonly string[];
  /** Trained cluster agents (`lepton train --env cluster` folders) to run beside the heuristics. */
  agents: readonly string[];
  /** The agents' job window (default: from each training manifest). */
  window?: number;
}

/** Simulation defaults (also `lepton start`'s settings). */
export const SIMULATION_DEFAULTS = {
  seed: 1,
  restartOverhead: 0,
  fractional: true,
  arrivalScale: 1,
  windowTrim: 0,
} as const satisfies SimulationOptions;

/** The defaults of every optional-with-default field (the CLI shows them in --help). */
export const EXPERIMENT_DEFAULTS = {
  ...SIMULATION_DEFAULTS,
  trace: 'philly',
  skipInvalid: false,
  policies: ['fifo', 'sjf', 'tiresias'],
  agents: [],
} as const satisfies Partial<ExperimentOptions>;

/** Checks what a type cannot: names against the registries and ranges. UsageError names the option. */
export function checkSimulationOptions(o: SimulationOptions & { policies: readonly string[] }): void {
  for (const p of o.policies)
    if (!SCHEDULERS[p]) throw new UsageError(`unknown policy '${p}'. Available: ${Object.keys(SCHEDULERS).join(', ')}`);
  if (o.placement !== undefined && !PLACEMENTS.includes(o.placement))
    throw new UsageError(`unknown --placement '${o.placement}' (${PLACEMENTS.join(', ')})`);
  if (!(o.windowTrim >= 0 && o.windowTrim < 0.5)) throw new UsageError('--window-trim must be in [0, 0.5)');
  if (!(o.arrivalScale > 0)) throw new UsageError('--arrival-scale must be > 0');
  for (const [p, opts] of Object.entries(o.policyOptions ?? {})) {
    if (!o.policies.includes(p)) throw new UsageError(`options given for policy '${p}', which is not in --policy`);
    validatePolicyOptions(p, SCHEDULERS[p].options, opts);
  }
}

/** Where the jobs came from, for the manifest. */
export type WorkloadSource = NonNullable<Manifest['trace']>;

/** A workload and cluster ready to run: the jobs every policy sees, and what to record about them. */
export interface PreparedExperiment {
  /** Trace kind, or 'generated'. */
  kind: string;
  /** The jobs after filters and arrival scaling: identical for every policy. */
  jobs: readonly Job[];
  cluster: ClusterSpec;
  totals: ClusterTotals;
  /** Offered GPU load of `jobs` on `cluster` (1 = the cluster's whole GPU capacity). */
  offeredLoad: number;
  /** Metrics window from windowTrim (undefined: all jobs). */
  window?: JobWindow;
  source: WorkloadSource;
  /** Rows the loader skipped (first 1,000), recorded in the manifest. */
  skippedRows: unknown[];
  /** The loaded workload before arrival scaling (row counts, skipped rows). */
  workload: Workload;
}

/** Resolves `trace` / `traceFile` into a kind and a file. */
export function resolveTraceFile(o: Pick<WorkloadOptions, 'trace' | 'traceFile'>): { kind: TraceKind; file: string } {
  if (isTraceKind(o.trace)) {
    const file = o.traceFile ?? defaultTraceFile(o.trace);
    if (!existsSync(file)) {
      const hint = traceFormat(o.trace).downloadHint ?? 'see datasets/README.md';
      throw new UsageError(`trace file not found: ${file}. Pass --trace-file PATH (${hint}).`);
    }
    return { kind: o.trace, file };
  }
  if (o.traceFile !== undefined)
    throw new UsageError(
      `--trace-file is for --trace KIND; with --trace FILE ('${o.trace}') leave it out (or pass --trace <kind> --trace-file FILE)`,
    );
  if (!existsSync(o.trace))
    throw new UsageError(
      `--trace '${o.trace}' is neither a trace kind (${TRACE_KINDS.join(', ')}) nor an existing file`,
    );
  return { kind: detectTraceKind(o.trace), file: o.trace };
}

/** The cluster: `--cluster` (preset or JSON file), else the trace format's own cluster. */
export function resolveCluster(cluster: string | undefined, kind: string, vc?: string): ClusterSpec {
  if (cluster) return existsSync(cluster) ? clusterFromJson(cluster) : presetCluster(cluster);
  const own = isTraceKind(kind) ? traceFormat(kind).defaultCluster : undefined;
  if (own === 'philly') return presetCluster(vc ? `philly:${vc}` : 'philly');
  if (own) return presetCluster(own);
  throw new UsageError(`--trace ${kind} has no cluster of its own: pass --cluster (e.g. uniform:16x4 or a JSON file)`);
}

function trimWindow(n: number, trim: number): JobWindow | undefined {
  return trim > 0 ? { from: Math.floor(n * trim), to: Math.ceil(n * (1 - trim)) } : undefined;
}

function prepared(
  kind: string,
  workload: Workload,
  cluster: ClusterSpec,
  sim: Pick<SimulationOptions, 'arrivalScale' | 'windowTrim'>,
  source: WorkloadSource,
): PreparedExperiment {
  const scale = sim.arrivalScale;
  const jobs = scale === 1 ? workload.jobs : workload.jobs.map((j) => ({ ...j, submit: j.submit / scale }));
  const totals = clusterTotals(cluster);
  return {
    kind,
    jobs,
    cluster,
    totals,
    offeredLoad: offeredLoad(jobs, totals.gpus),
    window: trimWindow(jobs.length, sim.windowTrim),
    source,
    skippedRows: workload.source.skipped.slice(0, 1000),
    workload,
  };
}

/** Loads the trace, builds the cluster and scales arrivals as `o` says. */
export function prepareTraceExperiment(o: ExperimentOptions): PreparedExperiment {
  checkSimulationOptions(o);
  const { kind, file } = resolveTraceFile(o);
  const workload = loadTrace(kind, file, {
    skipInvalid: o.skipInvalid,
    group: o.vc,
    from: o.from,
    to: o.to,
    limit: o.limit,
  });
  if (workload.jobs.length === 0) throw new UsageError('no jobs left after filtering (check --vc / --from / --to)');
  const cluster = resolveCluster(o.cluster, kind, o.vc);
  const src = workload.source;
  return prepared(kind, workload, cluster, o, {
    kind,
    file,
    sha256: src.sha256,
    rowsRead: src.rowsRead,
    filtered: src.filtered,
    skipped: src.skipped.length,
    jobs: workload.jobs.length,
  });
}

/** `lepton start`'s workload: Lepton's seeded Philly-like generator on its default cluster. */
export function prepareGeneratedExperiment(
  seed: number,
  sim: Pick<SimulationOptions, 'arrivalScale' | 'windowTrim'>,
): PreparedExperiment {
  const { workload } = embeddedDefaultWorkload(seed);
  const n = workload.jobs.length;
  return prepared('generated', workload, presetCluster(EMBEDDED_DEFAULT_CLUSTER), sim, {
    kind: 'generated',
    sha256: sha256Text(JSON.stringify(workload.jobs)),
    rowsRead: n,
    filtered: 0,
    skipped: 0,
    jobs: n,
  });
}

/** Loads trained cluster agents as policies (tfjs is imported only when there is one). */
export async function loadAgents(
  dirs: readonly string[],
  maxNodeGpus: number,
  window?: number,
): Promise<{ agents: AgentPolicy[]; backend?: string }> {
  if (dirs.length === 0) return { agents: [] };
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { initBackend } = require('../tf/backend') as typeof import('../tf/backend');
  const { loadAgentPolicy } = require('./agentPolicy') as typeof import('./agentPolicy');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const backend = await initBackend();
  const agents: AgentPolicy[] = [];
  for (const dir of dirs) agents.push(await loadAgentPolicy(dir, maxNodeGpus, window));
  return { agents, backend };
}

/** Progress callbacks (the CLI draws a bar; tests and notebooks pass nothing). */
export interface ExperimentHooks {
  onStart?: (policy: string, index: number, total: number) => void;
  onProgress?: (policy: string, finished: number, total: number) => void;
  onDone?: (policy: string) => void;
}

/** The outcome of one experiment: a run per policy (agents first) and the manifest. */
export interface Experiment {
  prepared: PreparedExperiment;
  runs: PolicyRun[];
  manifest: Manifest;
}

/**
 * Runs every agent and heuristic on the identical job sequence and cluster with the same seed, and
 * builds the manifest: `config` is the options object plus what was derived from it.
 */
export function runExperiment(
  p: PreparedExperiment,
  o: SimulationOptions & { policies: readonly string[]; skipInvalid?: boolean },
  ctx: {
    command: string;
    /** The options to record as the run's config (default: `o`). */
    config?: object;
    agents?: readonly AgentPolicy[];
    backend?: string;
    startedAt?: string;
    hooks?: ExperimentHooks;
  },
): Experiment {
  const t0 = Date.now();
  const startedAt = ctx.startedAt ?? new Date(t0).toISOString();
  const agents = ctx.agents ?? [];
  const names = [...agents.map((a) => a.name), ...o.policies];
  const make = (name: string): Scheduler =>
    agents.find((a) => a.name === name)?.make() ?? makeScheduler(name, o.policyOptions?.[name]);
  const h = ctx.hooks ?? {};
  const runs = comparePolicies(p.jobs, p.cluster, {
    makeScheduler: make,
    policies: names,
    seed: o.seed,
    placement: o.placement,
    restartOverhead: o.restartOverhead,
    fractional: o.fractional,
    until: o.until,
    // --skip-invalid also rejects (and counts) jobs larger than the cluster instead of failing.
    oversize: o.skipInvalid ? 'reject' : 'error',
    window: p.window,
    onStart: h.onStart ? (policy, i) => h.onStart!(policy, i, names.length) : undefined,
    onProgress: h.onProgress,
    onDone: h.onDone ? (policy) => h.onDone!(policy) : undefined,
  });
  const manifest = makeManifest({
    command: ctx.command,
    config: {
      ...(ctx.config ?? o),
      policies: names,
      // What each oracle heuristic knows that a real scheduler would not (absent = none).
      oraclePolicies: Object.fromEntries([
        ...o.policies.flatMap((q) => {
          const info = oracleInfo(q, o.policyOptions?.[q]);
          return info ? [[q, info]] : [];
        }),
        ...(ctx.agents ?? []).flatMap((a) => (a.oracle ? [[a.name, a.oracle]] : [])),
      ]),
      clusterName: p.cluster.name,
      clusterNodes: p.totals.nodes,
      clusterGpus: p.totals.gpus,
      offeredLoad: p.offeredLoad,
      metricsWindow: p.window,
    },
    seeds: [o.seed],
    trace: p.source,
    ...(p.skippedRows.length > 0 ? { skippedRows: p.skippedRows } : {}),
    ...(ctx.backend ? { backend: ctx.backend } : {}),
    startedAt,
    wallTimeSeconds: (Date.now() - t0) / 1000,
    policyWallSeconds: Object.fromEntries(runs.map((r) => [r.policy, r.wallSeconds])),
    ...(agents.length > 0 ? { extra: { agents: agents.map((a) => ({ name: a.name, ...a.provenance })) } } : {}),
  });
  return { prepared: p, runs, manifest };
}
