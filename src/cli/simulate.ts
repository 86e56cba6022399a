import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { MAX_SECONDS } from '../util/limits';
import { POLICY_OPTION_ARGS, policyConfigFromArgs } from './policyOptions';
import { formatHelp, parseArgs, type OptionSpecs, type ParsedArgs } from './args';
import { ProgressBar } from './progress';
import { formatTable, fmt } from './table';
import type { PolicyRun } from '../experiment/comparePolicies';
import {
  checkSimulationOptions,
  EXPERIMENT_DEFAULTS,
  loadAgents,
  prepareTraceExperiment,
  runExperiment,
  type ExperimentHooks,
  type ExperimentOptions,
  type PreparedExperiment,
} from '../experiment/pipeline';
import { openRunOutput, writeExperiment } from '../report/writeRun';
import { TRACE_KINDS } from '../workload/traces';
import { PLACEMENTS, type PlacementName } from '../sim/placement';
import { oracleInfo } from '../schedulers/registry';

export const SIMULATE_OPTIONS: OptionSpecs = {
  trace: {
    type: 'string',
    arg: 'KIND|FILE',
    help: `trace kind (${TRACE_KINDS.join(', ')}) or a trace file`,
    default: EXPERIMENT_DEFAULTS.trace,
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
    max: 1_000_000_000,
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
    default: [...EXPERIMENT_DEFAULTS.policies],
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
    default: EXPERIMENT_DEFAULTS.seed,
  },
  placement: {
    type: 'string',
    arg: 'NAME',
    choices: PLACEMENTS,
    help: `placement override (${PLACEMENTS.join(', ')}); default: each policy's own`,
  },
  'restart-overhead': {
    type: 'number',
    min: 0,
    max: MAX_SECONDS,
    unit: 's',
    arg: 'S',
    help: `seconds of work added at each preemption (checkpoint/restart; default ${EXPERIMENT_DEFAULTS.restartOverhead}, or --config's)`,
  },
  ...POLICY_OPTION_ARGS,
  'no-fractional': { type: 'boolean', help: 'give fractional-GPU jobs a whole GPU instead of sharing' },
  'arrival-scale': {
    type: 'number',
    min: 1e-6,
    max: 1e6,
    arg: 'F',
    help: 'divide every submit time by F (F > 1 raises the offered load F-fold; durations unchanged)',
    default: EXPERIMENT_DEFAULTS.arrivalScale,
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
    default: EXPERIMENT_DEFAULTS.windowTrim,
  },
  out: {
    type: 'string',
    arg: 'DIR',
    help: 'output folder (default: a new results/simulate/<trace>-<date>-<time>, never a previous run)',
  },
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

/**
 * The typed options of a trace experiment from parsed arguments: the one place where CLI names
 * (`--arrival-scale`) become pipeline fields (`arrivalScale`). `lepton evaluate --trace` uses it too.
 */
export function experimentOptions(a: ParsedArgs): ExperimentOptions {
  const { policyOptions, restartOverhead } = policyConfigFromArgs(a);
  return {
    trace: a.trace as string,
    traceFile: a['trace-file'] as string | undefined,
    vc: a.vc as string | undefined,
    from: a.from as number | undefined,
    to: a.to as number | undefined,
    limit: a.limit as number | undefined,
    skipInvalid: Boolean(a['skip-invalid']),
    cluster: a.cluster as string | undefined,
    policies: a.policy as string[],
    agents: (a.agent as string[] | undefined) ?? [],
    window: a.window as number | undefined,
    seed: a.seed as number,
    placement: a.placement as PlacementName | undefined,
    restartOverhead,
    policyOptions,
    fractional: !a['no-fractional'],
    arrivalScale: a['arrival-scale'] as number,
    until: a.until as number | undefined,
    windowTrim: a['window-trim'] as number,
  };
}

/**
 * A new folder under results/<command>/ named after the trace and the local time, so a run without
 * --out never replaces an earlier one (a second run in the same second gets a -2, -3, … suffix).
 */
export function defaultOut(command: string, trace: string): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  const name = path
    .basename(trace)
    .replace(/\.[^.]*$/, '')
    .replace(/[^\w.-]/g, '_');
  const base = path.join('results', command, `${name}-${stamp}`);
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}

/** Prints what was loaded: rows read = jobs + filtered + skipped, the cluster and the offered load. */
export function describePrepared(p: PreparedExperiment, arrivalScale: number): string {
  const src = p.workload.source;
  let s =
    `trace ${p.kind}: ${p.source.file}\n  rows read ${src.rowsRead} = jobs ${p.workload.jobs.length} + filtered ${src.filtered} + skipped ${src.skipped.length}\n` +
    `cluster ${p.cluster.name}: ${p.totals.nodes} nodes, ${p.totals.gpus} GPUs; offered GPU load ${(100 * p.offeredLoad).toFixed(1)}%` +
    (arrivalScale !== 1 ? ` (arrivals compressed ${arrivalScale}×)` : '') +
    '\n';
  for (const k of src.skipped.slice(0, 5)) s += `  skipped ${k.file}:${k.line}: ${k.reason}\n`;
  if (src.skipped.length > 5) s += `  … ${src.skipped.length - 5} more skipped rows (listed in manifest.json)\n`;
  return s;
}

/** Progress bars on stderr, one per policy (silent with --quiet). */
export function progressHooks(total: number, quiet: boolean): ExperimentHooks {
  let bar: ProgressBar | undefined;
  return {
    onStart: (p, i, n) => (bar = new ProgressBar(`${p} (${i + 1}/${n})`, total, process.stderr, quiet)),
    onProgress: (_p, f) => bar?.update(f),
    onDone: () => bar?.done(),
  };
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
  const startedAt = new Date().toISOString();
  const o = experimentOptions(a);
  checkSimulationOptions(o);
  // Fail fast: an unusable --out is found before the simulation, not after it.
  const outSet = openRunOutput((a.out as string | undefined) ?? defaultOut('simulate', o.trace), 'simulate output');
  try {
    const p = prepareTraceExperiment(o);
    process.stderr.write(describePrepared(p, o.arrivalScale));
    const { agents, backend } = await loadAgents(o.agents, p.totals.maxNodeGpus, o.window);
    const exp = runExperiment(p, o, {
      command: ['lepton', 'simulate', ...argv].join(' '),
      agents,
      backend,
      startedAt,
      hooks: progressHooks(p.jobs.length, Boolean(a.quiet)),
    });
    process.stdout.write('\n' + comparisonTable(exp.runs));
    process.stdout.write(oracleNote(o.policies, o.policyOptions, agents));
    const files = writeExperiment(outSet, exp, {
      report: !a['no-report'],
      title: `Lepton: ${p.kind} on ${p.cluster.name}`,
    });
    outSet.commit();
    process.stdout.write(`\nwrote ${Object.values(files).join(', ')}\n`);
    return 0;
  } finally {
    outSet.abort();
  }
}

/** The line under the table that says which policies are oracles and what they know. */
export function oracleNote(
  policies: readonly string[],
  options?: Record<string, Record<string, unknown>>,
  agents: ReadonlyArray<{ name: string; oracle: string | false }> = [],
): string {
  const lines = [
    ...agents.flatMap((a) => (a.oracle ? [`  ${a.name}: ${a.oracle}`] : [])),
    ...policies.flatMap((p) => {
      const info = oracleInfo(p, options?.[p]);
      return info ? [`  ${p}: ${info}`] : [];
    }),
  ];
  if (lines.length === 0) return '\nno oracle policies: none of them reads true job durations\n';
  return `\noracle policies (they read what no scheduler knows at submit time):\n${lines.join('\n')}\n`;
}
