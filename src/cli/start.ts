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
import { formatNumber as csvNumber } from '../util/csv';
import { confidenceInterval } from '../metrics';
import { SCHEDULERS } from '../schedulers/registry';

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
      writeExperiment(outSet, exp, {
        report: true,
        title: `Lepton start: generated Philly-like workload, seed ${seed}`,
        sub: `seed-${seed}`,
      });
    }
    if (seeds.length === 1) process.stdout.write('\n' + comparisonTable(perSeed[0]));

    // Across seeds: mean and 95 % Student-t interval per policy and metric.
    const header = ['policy', ...CI_METRICS.map((m) => `${m} (95% CI)`)];
    const rows: string[][] = [];
    let csv = ['policy', 'seeds', ...CI_METRICS.flatMap((m) => [m, `${m}_lo`, `${m}_hi`])].join(',') + '\n';
    policies.forEach((p, i) => {
      const cells = [p];
      const csvCells = [p, String(seeds.length)];
      for (const m of CI_METRICS) {
        const vals = perSeed.map((runs) => runs[i].summary[m]);
        const ci = confidenceInterval(vals, 0.95);
        const scale = m === 'utilGpu' ? 100 : 1;
        cells.push(`${fmt(ci.estimate * scale)} ± ${fmt(ci.halfWidth * scale, 2)}`);
        csvCells.push(csvNumber(ci.estimate), csvNumber(ci.lo), csvNumber(ci.hi));
      }
      rows.push(cells);
      csv += csvCells.join(',') + '\n';
    });
    process.stdout.write(
      `\nAll heuristics over ${seeds.length} seeds (mean ± 95% CI half-width; JCT/queue in s, GPU util in %):\n`,
    );
    process.stdout.write(formatTable(header, rows));
    // Same label as `simulate`: the newcomer's first table must not pass oracle policies off as fair rivals.
    process.stdout.write(oracleNote(policies));
    outSet.write('summary.csv', csv);
    outSet.commit();
    process.stdout.write(
      `\nwrote ${path.join(out, 'summary.csv')} and ${seeds.map((s) => path.join(out, `seed-${s}`, 'report.html')).join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
    return 0;
  } finally {
    outSet.abort();
  }
}
