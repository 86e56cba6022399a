import * as path from 'node:path';
import { UsageError } from '../util/errors';
import { formatHelp, parseArgs, type OptionSpecs, type ParsedArgs } from './args';
import { formatTable, fmt } from './table';
import { SIMULATE_OPTIONS, comparisonTable, describePrepared, experimentOptions, progressHooks } from './simulate';
import { makeManifest, sha256File } from '../experiment/manifest';
import {
  checkSimulationOptions,
  EXPERIMENT_DEFAULTS,
  loadAgents,
  prepareTraceExperiment,
  runExperiment,
  type ExperimentOptions,
} from '../experiment/pipeline';
import { openRunOutput, writeExperiment } from '../report/writeRun';
import type { OutputSet } from '../util/atomic';
import { readJsonFile } from '../util/json';
import { loadTrainedAgent } from '../experiment/train';
import { resolveCheckpoint } from '../experiment/agentPolicy';
import { compareOnDeeprm, writeDeeprmComparison, type DeepRMComparisonRow } from '../experiment/evaluateDeeprm';
import { parseJobsFile, paramsToJson } from '../deeprm/params';
import { initBackend } from '../tf/backend';

const { policy: _policy, out: _out, help: _help, quiet: _quiet, agent: _agent, ...TRACE_OPTIONS } = SIMULATE_OPTIONS;

export const EVALUATE_OPTIONS: OptionSpecs = {
  checkpoint: {
    type: 'string',
    arg: 'DIR',
    help: 'a `lepton train` output folder (or its checkpoint/ folder)',
    required: true,
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
  'rlsched-trace': {
    type: 'string',
    arg: 'FILE',
    help: 'RLScheduler mode: evaluate on the Table V protocol of this SWF trace (= `lepton rlsched evaluate --trace`)',
  },
  window: {
    type: 'number',
    int: true,
    min: 1,
    max: 4096,
    arg: 'K',
    help: "cluster: the agent's window (default: from the training manifest, else from the network size)",
  },
  out: {
    type: 'string',
    arg: 'DIR',
    help: 'output folder: summary.csv, jobs.csv, manifest.json (default: CHECKPOINT_DIR/eval)',
  },
  'no-report': { type: 'boolean', help: 'cluster: do not write report.html' },
  quiet: { type: 'boolean', help: 'no progress bar' },
  help: { type: 'boolean', help: 'show this help' },
};

export function evaluateHelp(): string {
  return formatHelp(
    'lepton evaluate --checkpoint DIR (--jobs JOBS.json | --trace KIND|FILE [--cluster …]) [--out DIR] [options]',
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

export function deeprmTable(rows: readonly DeepRMComparisonRow[]): string {
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
  // `lepton evaluate --rlsched-trace FILE …` is `lepton rlsched evaluate --trace FILE …` (Table V protocol).
  const rl = argv.findIndex((x) => x === '--rlsched-trace' || x.startsWith('--rlsched-trace='));
  if (rl >= 0) {
    const rest = [...argv];
    rest[rl] = rest[rl].replace('--rlsched-trace', '--trace');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./rlsched') as typeof import('./rlsched')).runRlsched(['evaluate', ...rest]);
  }
  const a = parseArgs(argv, EVALUATE_OPTIONS, 'evaluate');
  if (a.help) {
    process.stdout.write(evaluateHelp());
    return 0;
  }
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  const ckArg = a.checkpoint as string;
  // Default: beside the checkpoint, where `lepton report deeprm` looks for it.
  const out = (a.out as string | undefined) ?? path.join(ckArg, 'eval');
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
  a: ParsedArgs,
  argv: string[],
  o: { t0: number; startedAt: string; ckArg: string; jobsFile: string | undefined },
): Promise<number> {
  const { t0, startedAt, ckArg, jobsFile } = o;
  const backend = await initBackend();
  if (jobsFile === undefined) return evaluateOnTrace(a, argv, { backend, startedAt, ckArg, outSet });
  const { ckDir, trainManifest } = resolveCheckpoint(ckArg);
  const agent = await loadTrainedAgent(ckDir);
  const provenance = {
    checkpoint: ckDir,
    trainCommand: trainManifest?.command,
    trainConfig: trainManifest?.config,
    trainGitRevision: trainManifest?.gitRevision,
  };

  {
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
}

/** Cluster mode: the agent joins the heuristics in the same pipeline as `lepton simulate --agent`. */
async function evaluateOnTrace(
  a: ParsedArgs,
  argv: string[],
  ctx: { backend: string; startedAt: string; ckArg: string; outSet: OutputSet },
): Promise<number> {
  const o: ExperimentOptions = {
    ...experimentOptions({ ...a, policy: (a.policy as string[] | undefined) ?? [...EXPERIMENT_DEFAULTS.policies] }),
    agents: [ctx.ckArg],
  };
  checkSimulationOptions(o);
  const p = prepareTraceExperiment(o);
  process.stderr.write(describePrepared(p, o.arrivalScale));
  const { agents } = await loadAgents(o.agents, p.totals.maxNodeGpus, o.window);
  const exp = runExperiment(p, o, {
    command: ['lepton', 'evaluate', ...argv].join(' '),
    config: { mode: 'cluster', ...o },
    agents,
    backend: ctx.backend,
    startedAt: ctx.startedAt,
    hooks: progressHooks(p.jobs.length, Boolean(a.quiet)),
  });
  process.stdout.write('\n' + comparisonTable(exp.runs));
  const files = writeExperiment(ctx.outSet, exp, {
    report: !a['no-report'],
    title: `Lepton: ${agents[0].name} vs heuristics on ${p.kind} / ${p.cluster.name}`,
  });
  ctx.outSet.commit();
  process.stdout.write(`\nwrote ${Object.values(files).join(', ')}\n`);
  return 0;
}
