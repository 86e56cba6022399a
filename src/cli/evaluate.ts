import { UsageError } from '../util/errors';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { ProgressBar } from './progress';
import { formatTable, fmt } from './table';
import { policyConfigFromArgs } from './policyOptions';
import { SIMULATE_OPTIONS, loadFromArgs, clusterFromArgs, comparisonTable } from './simulate';
import { comparePolicies } from '../experiment/comparePolicies';
import { makeManifest, sha256File } from '../experiment/manifest';
import { openRunOutput, writeRunFiles } from '../report/writeRun';
import type { OutputSet } from '../util/atomic';
import { readJsonFile } from '../util/json';
import { loadTrainedAgent } from '../experiment/train';
import { resolveCheckpoint, agentWindow } from '../experiment/agentPolicy';
import {
  compareOnDeeprm,
  writeDeeprmComparison,
  agentInputSize,
  type DeeprmComparisonRow,
} from '../experiment/evaluateDeeprm';
import { parseJobsFile, paramsToJson } from '../deeprm/params';
import { agentScheduler } from '../agents/agentScheduler';
import { JOB_FEATURES, CLUSTER_FEATURES } from '../env/observation';
import { makeScheduler, SCHEDULERS } from '../schedulers/registry';
import { clusterTotals } from '../cluster/spec';
import { renderHtmlReport } from '../report/html';
import { initBackend } from '../tf/backend';
import type { Agent } from '../agents/types';

const { policy: _policy, out: _out, help: _help, quiet: _quiet, ...TRACE_OPTIONS } = SIMULATE_OPTIONS;

export const EVALUATE_OPTIONS: OptionSpecs = {
  checkpoint: {
    type: 'string',
    arg: 'DIR',
    help: 'a `lepton train` output folder (or its checkpoint/ folder) (required)',
  },
  jobs: {
    type: 'string',
    arg: 'JOBS.json',
    help: 'DeepRM job sets (format of `lepton deeprm generate`): evaluate on the DeepRM env',
  },
  ...TRACE_OPTIONS,
  trace: {
    type: 'string',
    arg: 'KIND|FILE',
    help: 'cluster mode: trace kind or file, as in `lepton simulate` (instead of --jobs)',
  },
  policy: {
    type: 'list',
    arg: 'P1,P2,…',
    help: 'heuristics to compare with (default: sjf,packer,random for --jobs; fifo,sjf,tiresias for --trace)',
  },
  'no-stochastic': { type: 'boolean', help: 'deeprm: evaluate only the greedy agent (default: greedy and sampling)' },
  'sample-seed': {
    type: 'number',
    arg: 'N',
    int: true,
    min: 0,
    max: 4294967295,
    help: "deeprm: seed of the agent's sampling",
    default: 1,
  },
  window: {
    type: 'number',
    int: true,
    min: 1,
    max: 4096,
    arg: 'K',
    help: "cluster: the agent's window (default: from the training manifest, else from the network size)",
  },
  out: { type: 'string', arg: 'DIR', help: 'output folder: summary.csv, jobs.csv, manifest.json (required)' },
  'no-report': { type: 'boolean', help: 'cluster: do not write report.html' },
  quiet: { type: 'boolean', help: 'no progress bar' },
  help: { type: 'boolean', help: 'show this help' },
};

export function evaluateHelp(): string {
  return formatHelp(
    'lepton evaluate --checkpoint DIR (--jobs JOBS.json | --trace KIND|FILE [--cluster …]) --out DIR [options]',
    'Compares a trained agent with the heuristics on the SAME held-out job sets and writes\n' +
      'DIR/summary.csv, DIR/jobs.csv and DIR/manifest.json (the layout of `lepton simulate`).\n' +
      'DeepRM (--jobs): pooled mean slowdown per policy with a 95 % bootstrap CI over job sets and\n' +
      'the ratio to SJF (paired CI). Cluster (--trace): the agent runs as a scheduler beside heuristics.\n' +
      'Example: lepton deeprm generate --rate 0.379 --simu-len 50 --num-nw 10 --num-ex 100 --seed 314159 \\\n' +
      '           --end all_done --episode-max-length 20000 --out heldout.json\n' +
      '         lepton evaluate --checkpoint results/deeprm/pg-seed1 --jobs heldout.json --out eval/',
    EVALUATE_OPTIONS,
  );
}

const readJson = readJsonFile;

export function deeprmTable(rows: readonly DeeprmComparisonRow[]): string {
  return formatTable(
    ['policy', 'mean slowdown', '95% CI', 'vs SJF', 'ratio CI', 'jobs', 'unsched', 'wall s'],
    rows.map((r) => [
      r.policy,
      r.mean_slowdown.toFixed(3),
      `[${r.ci_lo.toFixed(3)}, ${r.ci_hi.toFixed(3)}]`,
      Number.isNaN(r.ratio_to_sjf) ? '-' : r.ratio_to_sjf.toFixed(3),
      Number.isNaN(r.ratio_ci_lo) ? '-' : `[${r.ratio_ci_lo.toFixed(3)}, ${r.ratio_ci_hi.toFixed(3)}]`,
      String(r.jobs_counted),
      String(r.unscheduled),
      fmt(r.wall_seconds),
    ]),
  );
}

export async function runEvaluate(argv: string[]): Promise<number> {
  const a = parseArgs(argv, EVALUATE_OPTIONS, 'evaluate');
  if (a.help) {
    process.stdout.write(evaluateHelp());
    return 0;
  }
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  const ckArg = a.checkpoint as string | undefined;
  const out = a.out as string | undefined;
  if (!ckArg) throw new UsageError('evaluate: --checkpoint DIR is required');
  if (!out) throw new UsageError('evaluate: --out DIR is required');
  const jobsFile = a.jobs as string | undefined;
  const trace = a.trace as string | undefined;
  if ((jobsFile === undefined) === (trace === undefined))
    throw new UsageError('evaluate: give exactly one of --jobs JOBS.json (DeepRM) or --trace (cluster)');

  // Fail fast: an unusable --out is found before any evaluation.
  const outSet = openRunOutput(out, 'evaluate output');
  try {
    return await evaluateInto(outSet, a, argv, { t0, startedAt, ckArg, jobsFile });
  } finally {
    outSet.abort();
  }
}

async function evaluateInto(
  outSet: OutputSet,
  a: Record<string, unknown>,
  argv: string[],
  o: { t0: number; startedAt: string; ckArg: string; jobsFile: string | undefined },
): Promise<number> {
  const { t0, startedAt, ckArg, jobsFile } = o;
  const backend = await initBackend();
  const { ckDir, trainManifest } = resolveCheckpoint(ckArg);
  const agent = await loadTrainedAgent(ckDir);
  const provenance = {
    checkpoint: ckDir,
    trainCommand: trainManifest?.command,
    trainConfig: trainManifest?.config,
    trainGitRevision: trainManifest?.gitRevision,
  };

  if (jobsFile !== undefined) {
    const file = parseJobsFile(readJson(jobsFile), jobsFile);
    const policies = (a.policy as string[] | undefined) ?? ['sjf', 'packer', 'random'];
    const cmp = compareOnDeeprm(agent, file, policies, {
      stochastic: !a['no-stochastic'],
      sampleSeed: a['sample-seed'] as number,
    });
    process.stdout.write('\n' + deeprmTable(cmp.rows));
    const files = writeDeeprmComparison(outSet, cmp);
    const manifest = makeManifest({
      command: ['lepton', 'evaluate', ...argv].join(' '),
      config: {
        mode: 'deeprm',
        jobs: jobsFile,
        params: paramsToJson(file.params),
        generator: file.generator,
        policies,
        ...provenance,
        stochastic: !a['no-stochastic'],
        sampleSeed: a['sample-seed'],
      },
      seeds: [a['sample-seed'] as number],
      trace: {
        kind: 'deeprm-jobs',
        file: jobsFile,
        sha256: sha256File(jobsFile),
        rowsRead: file.jobs.length,
        filtered: 0,
        skipped: 0,
        jobs: file.jobs.length,
      },
      backend,
      startedAt,
      wallTimeSeconds: (Date.now() - t0) / 1000,
      policyWallSeconds: Object.fromEntries(cmp.rows.map((r) => [r.policy, r.wall_seconds])),
      extra: {
        summary: cmp.rows,
        ciMethod: 'percentile bootstrap over job sets, 2000 resamples, seed 7; ratio CI paired on the same resamples',
      },
    });
    const mf = outSet.write('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
    outSet.commit();
    process.stdout.write(`\nwrote ${files.summary}, ${files.jobs}, ${mf}\n`);
    return 0;
  }
  return evaluateOnTrace(a, argv, agent, { backend, startedAt, t0, provenance, trainManifest, outSet });
}

async function evaluateOnTrace(
  a: Record<string, unknown>,
  argv: string[],
  agent: Agent,
  ctx: {
    backend: string;
    startedAt: string;
    t0: number;
    provenance: Record<string, unknown>;
    trainManifest?: Record<string, unknown>;
    outSet: OutputSet;
  },
): Promise<number> {
  const policies = (a.policy as string[] | undefined) ?? ['fifo', 'sjf', 'tiresias'];
  for (const p of policies)
    if (!SCHEDULERS[p]) throw new UsageError(`unknown policy '${p}'. Available: ${Object.keys(SCHEDULERS).join(', ')}`);
  const runConfig = policyConfigFromArgs(a);
  const { kind, file, workload } = loadFromArgs(a);
  const cluster = clusterFromArgs(a, kind);
  const totals = clusterTotals(cluster);
  const window = agentWindow(a.window as number | undefined, agent, ctx.trainManifest);
  const n = agentInputSize(agent);
  if (n !== undefined && n !== window * JOB_FEATURES + CLUSTER_FEATURES)
    throw new UsageError(`the agent expects ${n} inputs, not a cluster observation with window ${window}`);
  if (workload.jobs.length === 0) throw new UsageError('no jobs left after filtering (check --vc / --from / --to)');
  const agentName = `agent:${agent.name}`;
  const all = [agentName, ...policies];
  let bar: ProgressBar | undefined;
  const runs = comparePolicies(workload.jobs, cluster, {
    makeScheduler: (name) =>
      name === agentName
        ? agentScheduler(agent, window, totals.maxNodeGpus, agentName)
        : makeScheduler(name, runConfig.policyOptions[name]),
    policies: all,
    seed: a.seed as number,
    restartOverhead: runConfig.restartOverhead,
    fractional: !a['no-fractional'],
    until: a.until as number | undefined,
    oversize: a['skip-invalid'] ? 'reject' : 'error',
    onStart: (p, i) =>
      (bar = new ProgressBar(`${p} (${i + 1}/${all.length})`, workload.jobs.length, process.stderr, Boolean(a.quiet))),
    onProgress: (_p, f) => bar?.update(f),
    onDone: () => bar?.done(),
  });
  process.stdout.write('\n' + comparisonTable(runs));
  const src = workload.source;
  const manifest = makeManifest({
    command: ['lepton', 'evaluate', ...argv].join(' '),
    config: {
      mode: 'cluster',
      ...a,
      cluster: cluster.name,
      clusterNodes: totals.nodes,
      clusterGpus: totals.gpus,
      window,
      policies: all,
      ...ctx.provenance,
    },
    seeds: [a.seed as number],
    trace: {
      kind,
      file,
      sha256: src.sha256,
      rowsRead: src.rowsRead,
      filtered: src.filtered,
      skipped: src.skipped.length,
      jobs: workload.jobs.length,
    },
    skippedRows: src.skipped.slice(0, 1000),
    backend: ctx.backend,
    startedAt: ctx.startedAt,
    wallTimeSeconds: (Date.now() - ctx.t0) / 1000,
    policyWallSeconds: Object.fromEntries(runs.map((r) => [r.policy, r.wallSeconds])),
  });
  const html = a['no-report']
    ? undefined
    : renderHtmlReport({
        title: `Lepton: ${agentName} vs heuristics on ${kind} / ${cluster.name}`,
        summaries: runs.map((r) => ({ policy: r.policy, summary: r.summary })),
        results: runs.map((r) => r.result),
        manifest,
      });
  const files = writeRunFiles(ctx.outSet, runs, manifest, html);
  ctx.outSet.commit();
  process.stdout.write(`\nwrote ${Object.values(files).join(', ')}\n`);
  return 0;
}
