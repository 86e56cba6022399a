import { existsSync } from 'node:fs';
import { UsageError } from '../util/errors';
import type { OutputSet } from '../util/atomic';
import { MAX_SECONDS } from '../util/limits';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { ProgressBar } from './progress';
import { formatTable, fmt } from './table';
import { comparePolicies, type PolicyRun } from '../experiment/comparePolicies';
import { makeManifest, stableManifest, type Manifest } from '../experiment/manifest';
import { openRunOutput, writeRunFiles } from '../report/writeRun';
import { loadTrace, defaultTraceFile, detectTraceKind, TRACE_KINDS, type TraceKind } from '../workload/traces';
import { presetCluster, clusterFromJson } from '../cluster/presets';
import { clusterTotals, type ClusterSpec } from '../cluster/spec';
import { PLACEMENTS, type PlacementName } from '../sim/placement';
import { makeScheduler, SCHEDULERS } from '../schedulers/registry';
import { POLICY_OPTION_ARGS, policyConfigFromArgs, type PolicyRunConfig } from './policyOptions';
import { renderHtmlReport } from '../report/html';
import type { Workload } from '../workload/job';
import type { AgentPolicy } from '../experiment/agentPolicy';
import { offeredLoad } from '../workload/generators';

export const SIMULATE_OPTIONS: OptionSpecs = {
  trace: {
    type: 'string',
    arg: 'KIND|FILE',
    help: `trace kind (${'philly, openb, swf, pollux, philly-raw, helios'}) or a trace file`,
    default: 'philly',
  },
  'trace-file': {
    type: 'string',
    arg: 'PATH',
    help: 'trace file for --trace KIND (default: the copy in ../shared/datasets)',
  },
  vc: {
    type: 'string',
    arg: 'NAME',
    help: 'keep only this virtual cluster / group (and, for Philly, use its capacity)',
  },
  from: {
    type: 'number',
    arg: 'T',
    min: 0,
    max: MAX_SECONDS,
    unit: 's',
    help: 'keep jobs submitted at or after T seconds (trace time origin)',
  },
  to: { type: 'number', arg: 'T', min: 0, max: MAX_SECONDS, unit: 's', help: 'keep jobs submitted before T seconds' },
  limit: {
    type: 'number',
    arg: 'N',
    int: true,
    min: 1,
    unit: 'jobs',
    help: 'keep only the first N jobs (after filters)',
  },
  cluster: {
    type: 'string',
    arg: 'PRESET|FILE',
    help: "cluster: 'philly', 'philly:<vc>', 'openb', 'uniform:<nodes>x<gpus>' or a JSON file (default: the trace's own)",
  },
  policy: {
    type: 'list',
    arg: 'P1,P2,…',
    help: 'policies to compare (lepton policies lists them)',
    default: ['fifo', 'sjf', 'tiresias'],
  },
  agent: {
    type: 'list',
    arg: 'DIR,…',
    help: 'trained cluster agents (`lepton train --env cluster` folders) to run beside the policies',
  },
  window: {
    type: 'number',
    arg: 'K',
    int: true,
    min: 1,
    max: 4096,
    unit: 'jobs',
    help: "agents' job window (default: from the training manifest)",
  },
  seed: {
    type: 'number',
    arg: 'N',
    int: true,
    min: 0,
    max: 4294967295,
    help: 'seed of the schedulers RNG (Random policy)',
    default: 1,
  },
  placement: {
    type: 'string',
    arg: 'NAME',
    help: `placement override (${PLACEMENTS.join(', ')}); default: each policy's own`,
  },
  'restart-overhead': {
    type: 'number',
    arg: 'S',
    help: 'seconds of work added at each preemption (checkpoint/restart; default 0, or the --config value)',
  },
  ...POLICY_OPTION_ARGS,
  'no-fractional': { type: 'boolean', help: 'give fractional-GPU jobs a whole GPU instead of sharing' },
  'arrival-scale': {
    type: 'number',
    min: 1e-6,
    max: 1e6,
    arg: 'F',
    help: 'divide every submit time by F (F > 1 raises the offered load F-fold; durations unchanged)',
    default: 1,
  },
  until: {
    type: 'number',
    arg: 'T',
    min: 0,
    max: MAX_SECONDS,
    unit: 's',
    help: 'stop the simulation at time T (unfinished jobs are counted)',
  },
  'skip-invalid': {
    type: 'boolean',
    help: 'skip (and count) malformed rows and jobs that can never fit, instead of failing',
  },
  'window-trim': {
    type: 'number',
    min: 0,
    max: 0.49,
    arg: 'F',
    help: 'steady-state window: drop the first and last fraction F of jobs from the metrics',
    default: 0,
  },
  out: { type: 'string', arg: 'DIR', help: 'output folder', default: 'results/simulate' },
  'no-report': { type: 'boolean', help: 'do not write report.html' },
  quiet: { type: 'boolean', help: 'no progress bar' },
  help: { type: 'boolean', help: 'show this help' },
};

export function simulateHelp(): string {
  return formatHelp(
    'lepton simulate --trace <philly|openb|swf|pollux|FILE> [options]',
    'Replays one trace on one cluster under every listed policy (identical job sequence for all),\n' +
      'prints a comparison table and writes DIR/summary.csv, DIR/jobs.csv, DIR/manifest.json, DIR/report.html.\n' +
      'Example: lepton simulate --trace philly --vc 6c71a0 --policy fifo,sjf,tiresias --out results/philly-6c71a0',
    SIMULATE_OPTIONS,
  );
}

/** Resolves --trace/--trace-file into a loaded workload. */
export function loadFromArgs(a: Record<string, unknown>): { kind: TraceKind; file: string; workload: Workload } {
  const t = String(a.trace);
  let kind: TraceKind;
  let file: string;
  if ((TRACE_KINDS as readonly string[]).includes(t)) {
    kind = t as TraceKind;
    file = (a['trace-file'] as string | undefined) ?? defaultTraceFile(kind);
  } else {
    if (a['trace-file'] !== undefined)
      throw new UsageError(
        `--trace-file is for --trace KIND; with --trace FILE ('${t}') leave it out (or pass --trace <kind> --trace-file FILE)`,
      );
    if (!existsSync(t))
      throw new UsageError(`--trace '${t}' is neither a trace kind (${TRACE_KINDS.join(', ')}) nor an existing file`);
    file = t;
    kind = detectTraceKind(file);
  }
  if (!existsSync(file))
    throw new UsageError(
      `trace file not found: ${file}. Pass --trace-file PATH, or see datasets/README.md to download the full trace.`,
    );
  const workload = loadTrace(kind, file, {
    skipInvalid: Boolean(a['skip-invalid']),
    group: a.vc as string | undefined,
    from: a.from as number | undefined,
    to: a.to as number | undefined,
    limit: a.limit as number | undefined,
  });
  return { kind, file, workload };
}

export function clusterFromArgs(a: Record<string, unknown>, kind: TraceKind): ClusterSpec {
  const c = a.cluster as string | undefined;
  if (c) return existsSync(c) ? clusterFromJson(c) : presetCluster(c);
  if (kind === 'philly' || kind === 'philly-raw') return presetCluster(a.vc ? `philly:${a.vc}` : 'philly');
  if (kind === 'openb') return presetCluster('openb');
  throw new UsageError(`--trace ${kind} has no cluster of its own: pass --cluster (e.g. uniform:16x4 or a JSON file)`);
}

export function comparisonTable(runs: readonly PolicyRun[]): string {
  return formatTable(
    [
      'policy',
      'finished',
      'JCT mean',
      'JCT p50',
      'JCT p99',
      'queue mean',
      'bsld mean',
      'GPU util',
      'preempt',
      'makespan',
      'wall s',
    ],
    runs.map((r) => [
      r.policy,
      `${r.summary.finished}/${r.summary.jobs}`,
      fmt(r.summary.jctMean),
      fmt(r.summary.jctP50),
      fmt(r.summary.jctP99),
      fmt(r.summary.queueMean),
      fmt(r.summary.bsldMean),
      (100 * r.summary.utilGpu).toFixed(1) + '%',
      fmt(r.summary.preemptTotal),
      fmt(r.summary.makespan),
      r.wallSeconds.toFixed(2),
    ]),
  );
}

export async function runSimulate(argv: string[]): Promise<number> {
  const a = parseArgs(argv, SIMULATE_OPTIONS, 'simulate');
  if (a.help) {
    process.stdout.write(simulateHelp());
    return 0;
  }
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  const policies = a.policy as string[];
  for (const p of policies)
    if (!SCHEDULERS[p]) throw new UsageError(`unknown policy '${p}'. Available: ${Object.keys(SCHEDULERS).join(', ')}`);
  const placement = a.placement as PlacementName | undefined;
  if (placement && !PLACEMENTS.includes(placement))
    throw new UsageError(`unknown --placement '${placement}' (${PLACEMENTS.join(', ')})`);
  const trim = a['window-trim'] as number;
  if (!(trim >= 0 && trim < 0.5)) throw new UsageError('--window-trim must be in [0, 0.5)');
  const runConfig = policyConfigFromArgs(a);
  for (const p of Object.keys(runConfig.policyOptions))
    if (!policies.includes(p)) throw new UsageError(`options given for policy '${p}', which is not in --policy`);

  // Fail fast: an unusable --out is found before the simulation, not after it.
  const outSet = openRunOutput(a.out as string, 'simulate output');
  try {
    return await simulateInto(outSet, a, argv, { t0, startedAt, policies, placement, trim, runConfig });
  } finally {
    outSet.abort();
  }
}

async function simulateInto(
  outSet: OutputSet,
  a: Record<string, unknown>,
  argv: string[],
  o: {
    t0: number;
    startedAt: string;
    policies: string[];
    placement: PlacementName | undefined;
    trim: number;
    runConfig: PolicyRunConfig;
  },
): Promise<number> {
  const { t0, startedAt, policies, placement, trim, runConfig } = o;
  const { kind, file, workload } = loadFromArgs(a);
  const cluster = clusterFromArgs(a, kind);
  const totals = clusterTotals(cluster);
  const scale = a['arrival-scale'] as number;
  if (!(scale > 0)) throw new UsageError('--arrival-scale must be > 0');
  const jobs = scale === 1 ? workload.jobs : workload.jobs.map((j) => ({ ...j, submit: j.submit / scale }));
  const src = workload.source;
  process.stderr.write(
    `trace ${kind}: ${file}\n  rows read ${src.rowsRead} = jobs ${workload.jobs.length} + filtered ${src.filtered} + skipped ${src.skipped.length}\n` +
      `cluster ${cluster.name}: ${totals.nodes} nodes, ${totals.gpus} GPUs; offered GPU load ${(100 * offeredLoad(jobs, totals.gpus)).toFixed(1)}%` +
      (scale !== 1 ? ` (arrivals compressed ${scale}×)` : '') +
      '\n',
  );
  for (const s of src.skipped.slice(0, 5)) process.stderr.write(`  skipped ${s.file}:${s.line}: ${s.reason}\n`);
  if (src.skipped.length > 5)
    process.stderr.write(`  … ${src.skipped.length - 5} more skipped rows (listed in manifest.json)\n`);
  if (workload.jobs.length === 0) throw new UsageError('no jobs left after filtering (check --vc / --from / --to)');

  const agents: AgentPolicy[] = [];
  const agentDirs = (a.agent as string[] | undefined) ?? [];
  let backend: string | undefined;
  if (agentDirs.length > 0) {
    // Loaded only when asked for: tfjs takes a while to import.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { initBackend } = require('../tf/backend') as typeof import('../tf/backend');
    const { loadAgentPolicy } = require('../experiment/agentPolicy') as typeof import('../experiment/agentPolicy');
    /* eslint-enable @typescript-eslint/no-require-imports */
    backend = await initBackend();
    for (const dir of agentDirs)
      agents.push(await loadAgentPolicy(dir, totals.maxNodeGpus, a.window as number | undefined));
  }
  const allPolicies = [...agents.map((p) => p.name), ...policies];
  const n = workload.jobs.length;
  const window = trim > 0 ? { from: Math.floor(n * trim), to: Math.ceil(n * (1 - trim)) } : undefined;
  let bar: ProgressBar | undefined;
  const runs = comparePolicies(jobs, cluster, {
    makeScheduler: (name) =>
      agents.find((p) => p.name === name)?.make() ?? makeScheduler(name, runConfig.policyOptions[name]),
    policies: allPolicies,
    seed: a.seed as number,
    placement,
    restartOverhead: runConfig.restartOverhead,
    fractional: !a['no-fractional'],
    until: a.until as number | undefined,
    oversize: a['skip-invalid'] ? 'reject' : 'error',
    window,
    onStart: (p, i) =>
      (bar = new ProgressBar(`${p} (${i + 1}/${allPolicies.length})`, n, process.stderr, Boolean(a.quiet))),
    onProgress: (_p, f) => bar?.update(f),
    onDone: () => bar?.done(),
  });

  process.stdout.write('\n' + comparisonTable(runs));
  const manifest: Manifest = makeManifest({
    command: ['lepton', 'simulate', ...argv].join(' '),
    config: {
      ...a,
      offeredLoad: offeredLoad(jobs, totals.gpus),
      policyOptions: runConfig.policyOptions,
      restartOverhead: runConfig.restartOverhead,
      cluster: cluster.name,
      clusterNodes: totals.nodes,
      clusterGpus: totals.gpus,
      window,
    },
    seeds: [a.seed as number],
    trace: {
      kind,
      file,
      sha256: src.sha256,
      rowsRead: src.rowsRead,
      filtered: src.filtered,
      skipped: src.skipped.length,
      jobs: n,
    },
    skippedRows: src.skipped.slice(0, 1000),
    startedAt,
    wallTimeSeconds: 0,
    policyWallSeconds: Object.fromEntries(runs.map((r) => [r.policy, r.wallSeconds])),
    ...(backend ? { backend, extra: { agents: agents.map((p) => ({ name: p.name, ...p.provenance })) } } : {}),
  });
  manifest.wallTimeSeconds = (Date.now() - t0) / 1000;
  const html = a['no-report']
    ? undefined
    : renderHtmlReport({
        title: `Lepton: ${kind} on ${cluster.name}`,
        summaries: runs.map((r) => ({ policy: r.policy, summary: r.summary })),
        results: runs.map((r) => r.result),
        manifest: stableManifest(manifest),
      });
  const files = writeRunFiles(outSet, runs, manifest, html);
  outSet.commit();
  process.stdout.write(`\nwrote ${Object.values(files).join(', ')}\n`);
  return 0;
}
