import { UsageError } from '../util/errors';
import * as path from 'node:path';
import { formatHelp, parseArgs, type OptionSpecs } from './args';
import { ProgressBar } from './progress';
import { formatTable, fmt } from './table';
import { comparisonTable } from './simulate';
import { comparePolicies, type PolicyRun } from '../experiment/comparePolicies';
import { makeManifest } from '../experiment/manifest';
import { openRunOutput, writeRunFiles } from '../report/writeRun';
import { formatNumber as csvNumber } from '../util/csv';
import { confidenceInterval } from '../metrics';
import { presetCluster } from '../cluster/presets';
import { clusterTotals } from '../cluster/spec';
import { makeScheduler, SCHEDULERS } from '../schedulers/registry';
import { embeddedDefaultWorkload, EMBEDDED_DEFAULT_CLUSTER } from '../workload/generators';
import { renderHtmlReport } from '../report/html';
import { sha256Text, stableManifest } from '../experiment/manifest';

const OPTIONS: OptionSpecs = {
  seeds: {
    type: 'list',
    arg: 'S1,S2,…',
    help: 'workload seeds (one generated job sequence per seed, shared by all policies)',
    default: ['1', '2', '3', '4', '5'],
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
  const a = parseArgs(argv, OPTIONS, 'start');
  if (a.help) {
    process.stdout.write(
      formatHelp(
        'lepton start [options]',
        'Runs every heuristic on the embedded default workload (several seeds) and writes results/start/.',
        OPTIONS,
      ),
    );
    return 0;
  }
  const t0 = Date.now();
  const startedAt = new Date().toISOString();
  const seeds = (a.seeds as string[]).map((s) => {
    const v = Number(s);
    if (!/^\d+$/.test(s) || v > 0xffffffff)
      throw new UsageError(`start: --seeds expects integers in [0, 4294967295] separated by commas, got '${s}'`);
    return v;
  });
  if (new Set(seeds).size !== seeds.length)
    throw new UsageError(`start: --seeds lists a seed twice (${(a.seeds as string[]).join(',')})`);
  const policies = (a.policy as string[] | undefined) ?? Object.keys(SCHEDULERS);
  const cluster = presetCluster(EMBEDDED_DEFAULT_CLUSTER);
  const totals = clusterTotals(cluster);
  for (const p of policies)
    if (!SCHEDULERS[p]) throw new UsageError(`unknown policy '${p}'. Available: ${Object.keys(SCHEDULERS).join(', ')}`);
  const out = a.out as string;
  // Fail fast on an unusable --out; all seeds' folders and summary.csv appear together.
  const outSet = openRunOutput(out, 'start output');
  try {
    const perSeed: PolicyRun[][] = [];
    for (const seed of seeds) {
      const { workload, offeredLoad } = embeddedDefaultWorkload(seed);
      const n = workload.jobs.length;
      process.stderr.write(
        `seed ${seed}: ${n} generated jobs, offered load ${(100 * offeredLoad).toFixed(1)}% on ${cluster.name} (${totals.nodes} nodes, ${totals.gpus} GPUs)\n`,
      );
      let bar: ProgressBar | undefined;
      const runs = comparePolicies(workload.jobs, cluster, {
        makeScheduler,
        policies,
        seed,
        onStart: (p, i) =>
          (bar = new ProgressBar(`${p} (${i + 1}/${policies.length})`, n, process.stderr, Boolean(a.quiet))),
        onProgress: (_p, f) => bar?.update(f),
        onDone: () => bar?.done(),
      });
      perSeed.push(runs);
      const manifest = makeManifest({
        command: ['lepton', 'start', ...argv].join(' '),
        config: {
          generator: 'embeddedDefaultWorkload',
          seed,
          offeredLoad,
          cluster: cluster.name,
          clusterGpus: totals.gpus,
          policies,
        },
        seeds: [seed],
        trace: {
          kind: 'generated',
          sha256: sha256Text(JSON.stringify(workload.jobs)),
          rowsRead: n,
          filtered: 0,
          skipped: 0,
          jobs: n,
        },
        startedAt,
        wallTimeSeconds: (Date.now() - t0) / 1000,
      });
      const html = renderHtmlReport({
        title: `Lepton start: generated Philly-like workload, seed ${seed}`,
        summaries: runs.map((r) => ({ policy: r.policy, summary: r.summary })),
        results: runs.map((r) => r.result),
        manifest: stableManifest(manifest),
      });
      writeRunFiles(outSet, runs, manifest, html, `seed-${seed}`);
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
