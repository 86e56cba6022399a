/**
 * Files of a packing study (`lepton pack --out DIR`): summary.csv (every metric, mean and 95 %
 * t interval over seeds), table.md, curves.csv (allocation and fragmentation against arrived
 * workload, with intervals), runs.csv (one row per policy × seed) and figure.svg.
 */
import {
  SUMMARY_METRICS,
  SUMMARY_METRIC_KEYS,
  curveBands,
  runSummary,
  summariseStudy,
  type PackingStudyRun,
  type PolicySummaryRow,
} from '../experiment/packing/study';
import type { Interval } from '../metrics/ci';
import { packingFigureSvg } from './packingFigure';

export const PACKING_OUTPUT_FILES = [
  'summary.csv',
  'table.md',
  'curves.csv',
  'runs.csv',
  'figure.svg',
  'manifest.json',
];

const num = (v: number, d = 3): string => (Number.isFinite(v) ? v.toFixed(d) : '');

export function packingSummaryCsv(rows: readonly PolicySummaryRow[]): string {
  const lines = ['policy,seeds,metric,mean,ci95_lo,ci95_hi'];
  for (const r of rows)
    for (const k of SUMMARY_METRIC_KEYS) {
      const m = r.metrics[k];
      lines.push(`${r.policy},${r.seeds},${k},${num(m.estimate, 4)},${num(m.lo, 4)},${num(m.hi, 4)}`);
    }
  return lines.join('\n') + '\n';
}

const cell = (m: Interval, d = 1): string =>
  Number.isFinite(m.lo) ? `${m.estimate.toFixed(d)} [${m.lo.toFixed(d)}, ${m.hi.toFixed(d)}]` : m.estimate.toFixed(d);

/** The markdown table: one row per policy, the headline metrics with their 95 % intervals. */
export function packingTableMd(rows: readonly PolicySummaryRow[], title: string): string {
  const cols: [keyof typeof SUMMARY_METRICS, string, number][] = [
    ['first_fail_arrived_pct', 'arrived at 1st failure (%)', 1],
    ['first_fail_alloc_pct', 'allocated at 1st failure (%)', 1],
    ['alloc_pct_at_100', 'allocated at 100 % arrived (%)', 2],
    ['frag_gpu_at_100', 'fragmented GPUs at 100 %', 1],
    ['frag_rate_at_100', 'frag. rate at 100 % (%)', 1],
    ['final_alloc_pct', 'allocated at end (%)', 2],
    ['alloc_of_requested_pct', 'allocated / requested at end (%)', 2],
  ];
  const out = [`### ${title}`, '', `| policy | seeds | ${cols.map((c) => c[1]).join(' | ')} |`];
  out.push(`|---|---:|${cols.map(() => '---:').join('|')}|`);
  for (const r of rows)
    out.push(`| ${r.policy} | ${r.seeds} | ${cols.map(([k, , d]) => cell(r.metrics[k], d)).join(' | ')} |`);
  out.push(
    '',
    "Mean over the test pod orders (seeds) [95 % t interval]; for a '… (N training seeds)' row, the mean over " +
      'training seeds of the per-seed means, the interval over training seeds. Percentages are of the GPU capacity ' +
      'unless stated.',
    '',
  );
  return out.join('\n');
}

export function packingCurvesCsv(runs: readonly PackingStudyRun[]): string {
  const lines = ['policy,arrived_pct,alloc_pct_mean,alloc_pct_lo,alloc_pct_hi,frag_gpu_mean,frag_gpu_lo,frag_gpu_hi'];
  const bands = curveBands(runs);
  const fams = curveBands(runs, true).filter((b) => !bands.some((x) => x.policy === b.policy));
  for (const b of [...bands, ...fams])
    b.arrivedPct.forEach((x, i) => {
      const a = b.allocPct[i];
      const f = b.fragGpu[i];
      lines.push(
        `${b.policy},${x},${num(a.estimate)},${num(a.lo)},${num(a.hi)},${num(f.estimate)},${num(f.lo)},${num(f.hi)}`,
      );
    });
  return lines.join('\n') + '\n';
}

export function packingRunsCsv(runs: readonly PackingStudyRun[]): string {
  const lines = [`policy,seed,pods,${SUMMARY_METRIC_KEYS.join(',')}`];
  for (const r of runs) {
    const s = runSummary(r.result);
    lines.push(
      `${r.policy},${r.seed},${r.result.final.pods},${SUMMARY_METRIC_KEYS.map((k) => num(s[k], 4)).join(',')}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function packingFigure(runs: readonly PackingStudyRun[], caption: string): string {
  const bands = curveBands(runs, true);
  return packingFigureSvg(
    [
      {
        title: 'GPUs allocated',
        yLabel: 'allocated GPUs (% of capacity)',
        series: bands.map((b) => ({ policy: b.policy, x: b.arrivedPct, y: b.allocPct })),
      },
      {
        title: 'GPU fragmentation F(M)',
        yLabel: 'fragmented GPUs',
        series: bands.map((b) => ({ policy: b.policy, x: b.arrivedPct, y: b.fragGpu })),
      },
    ],
    'arrived workload (% of cluster GPU capacity)',
    caption,
  );
}

export { summariseStudy };
