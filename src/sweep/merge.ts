/**
 * `lepton sweep merge`: gathers a plan's cell folders into one summary with 95 % intervals over
 * seeds (metrics/ci.ts `seedInterval`: a seeded percentile bootstrap, inside the metric's range), one
 * row per cell group (the cell without its seed), and a report.
 * The output depends only on the cells' results, read in the plan's order, never on which
 * process, shard, host or worker count produced them, nor when: the merge of a sharded or
 * Slurm run is byte-identical to the merge of the same plan run in one process.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { seedInterval, SEED_BOUND_SUFFIX, SEED_INTERVAL_METHOD } from '../metrics';
import { writeFileAtomic } from '../util/atomic';
import { UsageError } from '../util/errors';
import { isDone, readCellResult, METRIC_KEYS, type CellResult } from './cell';
import type { Cell, Plan } from './plan';

/** Metrics shown in report.md (summary.csv has every metric). */
export const REPORT_METRICS = ['jctMean', 'queueMean', 'bsldMean', 'utilGpu', 'makespan'] as const;

export interface MergedRow {
  trace: string;
  cluster: string;
  arrivalScale: number;
  jobs: number;
  scheduler: string;
  seeds: number[];
  /** metric → mean, 95 % interval over seeds (NaN bounds with one seed), n. */
  metrics: Record<string, { mean: number; lo: number; hi: number; n: number }>;
}

/** Shortest round-trip decimal: the same double always prints the same way. */
function num(x: number): string {
  return Number.isFinite(x) ? String(x) : '';
}

export function mergeCells(plan: Plan, cells: readonly Cell[], out: string): MergedRow[] {
  const missing = cells.filter((c) => !isDone(out, c.hash));
  if (missing.length > 0)
    throw new UsageError(
      `${missing.length} of ${cells.length} cells of plan '${plan.name}' are not done in ${out} ` +
        `(first: ${missing[0].hash} ${JSON.stringify(missing[0].spec)}); run \`lepton sweep PLAN\` (or the remaining shards) first`,
    );
  const groups = new Map<string, CellResult[]>();
  for (const c of cells) {
    const r = readCellResult(out, c.hash);
    if (r.hash !== c.hash) throw new Error(`${path.join(out, 'cells', c.hash)}: result.json names cell ${r.hash}`);
    const list = groups.get(c.group) ?? [];
    list.push(r);
    groups.set(c.group, list);
  }
  const rows: MergedRow[] = [];
  for (const results of groups.values()) {
    const s = results[0].spec;
    const metrics: MergedRow['metrics'] = {};
    for (const k of METRIC_KEYS) {
      const values = results
        .map((r) => (r.metrics as Record<string, number | null>)[k])
        .filter((v): v is number => typeof v === 'number');
      const ci = seedInterval(values);
      metrics[k] = { mean: ci.estimate, lo: ci.lo, hi: ci.hi, n: values.length };
    }
    rows.push({
      trace: s.trace,
      cluster: s.cluster,
      arrivalScale: s.arrivalScale,
      jobs: s.jobs,
      scheduler: s.scheduler,
      seeds: results.map((r) => r.spec.seed),
      metrics,
    });
  }
  return rows;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function summaryCsv(rows: readonly MergedRow[]): string {
  const head = ['trace', 'cluster', 'arrivalScale', 'jobs', 'scheduler', 'seeds'];
  for (const k of METRIC_KEYS) head.push(`${k}_mean`, `${k}_${SEED_BOUND_SUFFIX.lo}`, `${k}_${SEED_BOUND_SUFFIX.hi}`);
  const lines = [head.join(',')];
  for (const r of rows) {
    const cells = [r.trace, r.cluster, num(r.arrivalScale), num(r.jobs), r.scheduler, r.seeds.join(' ')].map(csvField);
    for (const k of METRIC_KEYS) {
      const m = r.metrics[k];
      cells.push(num(m.mean), num(m.lo), num(m.hi));
    }
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? x.toExponential(3) : x.toPrecision(4);
}

export function reportMarkdown(plan: Plan, cells: number, rows: readonly MergedRow[]): string {
  const out: string[] = [
    `# Sweep ${plan.name}`,
    '',
    ...(plan.description ? [plan.description, ''] : []),
    `${cells} cells, ${rows.length} rows (one per cell without its seed); each value is the mean over the seeds ` +
      `with its 95 % interval [lo, hi] (– with one seed): ${SEED_INTERVAL_METHOD}. Every metric, with its bounds: ` +
      'summary.csv; definitions: docs/metrics.md.',
    '',
  ];
  const head = ['trace', 'cluster', 'load ×', 'jobs', 'scheduler', 'seeds', ...REPORT_METRICS];
  out.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
  for (const r of rows) {
    const cellsOut = [
      r.trace,
      r.cluster,
      fmt(r.arrivalScale),
      r.jobs === 0 ? 'all' : String(r.jobs),
      r.scheduler,
      String(r.seeds.length),
      ...REPORT_METRICS.map((k) => {
        const m = r.metrics[k];
        return Number.isFinite(m.lo) ? `${fmt(m.mean)} [${fmt(m.lo)}, ${fmt(m.hi)}]` : fmt(m.mean);
      }),
    ];
    out.push(`| ${cellsOut.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  return out.join('\n') + '\n';
}

/** Writes `<out>/merged/{summary.csv,summary.json,report.md}` (each atomically) and returns the folder. */
export function writeMerged(plan: Plan, cells: readonly Cell[], out: string): string {
  const rows = mergeCells(plan, cells, out);
  const dir = path.join(out, 'merged');
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, 'summary.csv'), summaryCsv(rows));
  const json = {
    plan: plan.name,
    cells: cells.map((c) => ({ index: c.index, hash: c.hash, spec: c.spec })),
    rows,
  };
  writeFileAtomic(
    path.join(dir, 'summary.json'),
    JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n',
  );
  writeFileAtomic(path.join(dir, 'report.md'), reportMarkdown(plan, cells.length, rows));
  return dir;
}
