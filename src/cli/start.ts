import { UsageError } from '../util/errors';
import * as path from 'node:path';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { formatTable, fmt } from './table';
import { comparisonTable, oracleNote, progressHooks } from './simulate';
import type { PolicyRun } from '../experiment/comparePolicies';
import {
  checkSimulationOptions,
  SIMULATION_DEFAULTS,
  prepareGeneratedExperiment,
  runExperiment,
} from '../experiment/pipeline';
import { openRunOutput, writeExperiment } from '../report/writeRun';
import { SEED_INTERVAL_METHOD } from '../metrics';
import { seedSummaryCsv, summarizeSeeds } from '../experiment/seedSummary';
import { SCHEDULERS, oracleInfo } from '../schedulers/registry';
import { renderCrossSeedReport } from '../report/crossSeed';
import { stableManifest, type Manifest } from '../experiment/manifest';

export const START_OPTIONS: OptionSpecs = {
  seeds: {
    type: 'list',
    arg: 'S1,S2,…',
    int: true,
    min: 0,
    max: 4294967295,
    help: 'workload seeds (one generated job sequence per seed, shared by all policies)',
    default: [1, 2, 3, 4, 5],
  },
  policy: { type: 'list', arg: 'P1,P2,…', help: 'policies (default: every heuristic)' },
  out: { type: 'string', arg: 'DIR', help: 'output folder', default: 'results/start' },
  quiet: { type: 'boolean', help: 'no progress bar' },
  help: { type: 'boolean', help: 'show this help' },
};

/** Metrics shown with a confidence interval across seeds. */
const CI_METRICS = ['jctMean', 'jctP99', 'queueMean', 'bsldMean', 'utilGpu'] as const;

/**
 * The main job: a seeded workload from Lepton's own generator (no downloads) on a
 * Philly-sized cluster, every heuristic, several seeds, a table with 95 % confidence
 * intervals and an HTML report.
 */
export async function runStart(argv: string[]): Promise<number> {
  const a = parseArgs(argv, START_OPTIONS, 'start');
  if (a.help) {
    process.stdout.write(
      formatHelp(
        'lepton start [options]',
        'Runs every heuristic on the embedded default workload (several seeds) and writes results/start/.',
        START_OPTIONS,
      ),
    );
    return 0;
  }
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  const seeds = a.seeds as number[];
  if (new Set(seeds).size !== seeds.length)
    throw new UsageError(`start: --seeds lists a seed twice (${seeds.join(',')})`);
  const policies = (a.policy as string[] | undefined) ?? Object.keys(SCHEDULERS);
  // `start` is the pipeline of `simulate` with the generated workload and the simulation defaults.
  const sim = { ...SIMULATION_DEFAULTS, policies };
  checkSimulationOptions(sim);
  const out = a.out as string;
  // Fail fast on an unusable --out; all seeds' folders and summary.csv appear together.
  const outSet = openRunOutput(out, 'start output');
  try {
    const perSeed: PolicyRun[][] = [];
    let firstManifest: Manifest | undefined;
    for (const seed of seeds) {
      const p = prepareGeneratedExperiment(seed, sim);
      process.stderr.write(
        `seed ${seed}: ${p.jobs.length} generated jobs, offered load ${(100 * p.offeredLoad).toFixed(1)}% on ${p.cluster.name} (${p.totals.nodes} nodes, ${p.totals.gpus} GPUs)\n`,
      );
      const exp = runExperiment(
        p,
        { ...sim, seed },
        {
          command: ['lepton', 'start', ...argv].join(' '),
          config: { generator: 'embeddedDefaultWorkload', ...sim, seed },
          startedAt,
          hooks: progressHooks(p.jobs.length, Boolean(a.quiet)),
        },
      );
      perSeed.push(exp.runs);
      firstManifest ??= exp.manifest;
      writeExperiment(outSet, exp, {
        report: true,
        title: `Lepton start: generated Philly-like workload, seed ${seed}`,
        sub: `seed-${seed}`,
      });
    }
    if (seeds.length === 1) process.stdout.write('\n' + comparisonTable(perSeed[0]));

    // Across seeds: mean and 95 % percentile-bootstrap interval per policy and metric (never
    // outside the metric's range; the t interval printed negative JCT bounds here).
    const rows = summarizeSeeds(
      policies,
      seeds,
      perSeed.map((runs) => runs.map((r) => r.summary)),
    );
    const header = ['policy', ...CI_METRICS.map((m) => `${m} [95% CI]`)];
    const cells = rows.map((r) => [
      r.policy,
      ...CI_METRICS.map((m) => {
        const ci = r.metrics[m];
        const scale = m === 'utilGpu' ? 100 : 1;
        const bounds = Number.isNaN(ci.lo) ? '' : ` [${fmt(ci.lo * scale)}, ${fmt(ci.hi * scale)}]`;
        return `${fmt(ci.estimate * scale)}${bounds}`;
      }),
    ]);
    process.stdout.write(
      `\nAll heuristics over ${seeds.length} seeds (mean [95% interval: ${SEED_INTERVAL_METHOD}]; JCT/queue in s, GPU util in %):\n`,
    );
    process.stdout.write(formatTable(header, cells));
    // Same label as `simulate`: the newcomer's first table must not pass oracle policies off as fair rivals.
    process.stdout.write(oracleNote(policies));
    outSet.write('summary.csv', seedSummaryCsv(rows));
    // One report across seeds beside the per-seed ones: intervals, every seed's value, palette colours.
    const base = stableManifest(firstManifest!);
    const { seed: _seed, ...config } = base.config;
    outSet.write(
      'report.html',
      renderCrossSeedReport({
        title: `Lepton start: generated Philly-like workload, ${seeds.length} seeds`,
        rows,
        perSeed: perSeed.map((runs) => runs.map((r) => r.summary)),
        oracle: Object.fromEntries(policies.map((p) => [p, oracleInfo(p)])),
        manifest: { ...base, config: { ...config, seeds }, seeds, interval: SEED_INTERVAL_METHOD },
      }),
    );
    outSet.commit();
    process.stdout.write(
      `\nwrote ${path.join(out, 'summary.csv')}, ${path.join(out, 'report.html')} (across seeds) and ${seeds.map((s) => path.join(out, `seed-${s}`, 'report.html')).join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
    return 0;
  } finally {
    outSet.abort();
  }
}
