/**
 * Collects a results/deeprm folder written by scripts/reproduce-deeprm.sh into the
 * comparison table (summary.csv, table.md, the README's table block) and the learning
 * curves (curves.html with plotly inlined, curves.png rendered by headless Chromium).
 *
 * Layout read: <root>/<run>/manifest.json + curve.csv (from `lepton train`) and
 * <root>/<run>/eval/summary.csv (from `lepton evaluate` on the held-out job sets).
 * Every number comes from those files; nothing is typed in by hand.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { confidenceInterval } from '../metrics/ci';
import { loadPlotly } from '../report/plotly';
import { writeCsv } from '../report';
import { readCurve, type CurveRow } from './train';
import { writeFileAtomic } from './writeRun';

export interface EvalRow {
  policy: string;
  mean_slowdown: number;
  ci_lo: number;
  ci_hi: number;
  ratio_to_sjf: number;
  ratio_ci_lo: number;
  ratio_ci_hi: number;
  unscheduled: number;
  jobs_counted: number;
}

export interface RunRecord {
  name: string;
  agent: string;
  seed: number;
  iterations: number;
  trainWallSeconds: number;
  backend: string;
  curve: CurveRow[];
  evals: EvalRow[];
}

function readCsvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

function num(s: string | undefined): number {
  return s === undefined || s === '' ? NaN : Number(s);
}

export function readEvalSummary(file: string): EvalRow[] {
  return readCsvRows(file).map((r) => ({
    policy: r.policy,
    mean_slowdown: num(r.mean_slowdown),
    ci_lo: num(r.ci_lo),
    ci_hi: num(r.ci_hi),
    ratio_to_sjf: num(r.ratio_to_sjf),
    ratio_ci_lo: num(r.ratio_ci_lo),
    ratio_ci_hi: num(r.ratio_ci_hi),
    unscheduled: num(r.unscheduled),
    jobs_counted: num(r.jobs_counted),
  }));
}

/** Every trained run under `root` that has a manifest and an evaluation. */
export function collectRuns(root: string): RunRecord[] {
  const runs: RunRecord[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = path.join(root, name);
    const mf = path.join(dir, 'manifest.json');
    const ev = path.join(dir, 'eval', 'summary.csv');
    if (!existsSync(mf) || !existsSync(ev)) continue;
    const m = JSON.parse(readFileSync(mf, 'utf8'));
    runs.push({
      name,
      agent: m.config.agent,
      seed: m.seeds[0],
      iterations: m.extra.iterationsDone,
      trainWallSeconds: m.extra.trainWallSeconds,
      backend: m.backend,
      curve: readCurve(path.join(dir, 'curve.csv')),
      evals: readEvalSummary(ev),
    });
  }
  return runs;
}

/** One line of the comparison table. */
export interface TableRow {
  policy: string;
  evaluation: string;
  seeds: string;
  mean_slowdown: number;
  ci_lo: number;
  ci_hi: number;
  /** What the CI is over ('job sets' bootstrap, or 'seeds' t interval). */
  ci_over: string;
  ratio_to_sjf: number;
  ratio_ci_lo: number;
  ratio_ci_hi: number;
  unscheduled: number;
  iterations: number;
  train_minutes: number;
  backend: string;
}

const AGENT_LABEL: Record<string, string> = {
  pg: 'DeepRM PG (REINFORCE)',
  a2c: 'A2C',
  ppo: 'PPO',
  dqn: 'DQN',
  qlearning: 'Q-learning',
};

/** Heuristic rows (from the first run's evaluation: every run is evaluated on the same held-out sets), then agents. */
export function buildTable(runs: readonly RunRecord[]): TableRow[] {
  const rows: TableRow[] = [];
  const first = runs[0];
  if (!first) return rows;
  for (const e of first.evals.filter((x) => !x.policy.startsWith('agent:'))) {
    rows.push({
      policy:
        e.policy === 'sjf' ? 'SJF' : e.policy === 'packer' ? 'Packer' : e.policy === 'random' ? 'Random' : e.policy,
      evaluation: 'heuristic',
      seeds: '-',
      ...pick(e),
      ci_over: 'job sets',
      iterations: NaN,
      train_minutes: NaN,
      backend: '-',
    });
  }
  const agents = [...new Set(runs.map((r) => r.agent))];
  for (const agent of agents) {
    const mine = runs.filter((r) => r.agent === agent);
    for (const mode of ['greedy', 'sampled'] as const) {
      const evs = mine
        .map((r) => ({
          r,
          e: r.evals.find(
            (x) => x.policy.startsWith('agent:') && x.policy.endsWith(':sample') === (mode === 'sampled'),
          ),
        }))
        .filter((x) => x.e);
      for (const { r, e } of evs) {
        rows.push({
          policy: AGENT_LABEL[agent] ?? agent,
          evaluation: mode,
          seeds: String(r.seed),
          ...pick(e!),
          ci_over: 'job sets',
          iterations: r.iterations,
          train_minutes: r.trainWallSeconds / 60,
          backend: r.backend,
        });
      }
      if (evs.length >= 2) {
        const ci = confidenceInterval(evs.map((x) => x.e!.mean_slowdown));
        const ratio = confidenceInterval(evs.map((x) => x.e!.ratio_to_sjf));
        const unsched = evs.reduce((s, x) => s + x.e!.unscheduled, 0);
        rows.push({
          policy: AGENT_LABEL[agent] ?? agent,
          evaluation: mode,
          seeds: `mean of ${evs.length}`,
          mean_slowdown: ci.estimate,
          ci_lo: ci.lo,
          ci_hi: ci.hi,
          ci_over: 'seeds (t)',
          ratio_to_sjf: ratio.estimate,
          ratio_ci_lo: ratio.lo,
          ratio_ci_hi: ratio.hi,
          unscheduled: unsched,
          iterations: evs[0].r.iterations,
          train_minutes: evs.reduce((s, x) => s + x.r.trainWallSeconds, 0) / evs.length / 60,
          backend: evs[0].r.backend,
        });
      }
    }
  }
  return rows;
}

function pick(e: EvalRow) {
  return {
    mean_slowdown: e.mean_slowdown,
    ci_lo: e.ci_lo,
    ci_hi: e.ci_hi,
    ratio_to_sjf: e.ratio_to_sjf,
    ratio_ci_lo: e.ratio_ci_lo,
    ratio_ci_hi: e.ratio_ci_hi,
    unscheduled: e.unscheduled,
  };
}

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '-');
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '-');

export function markdownTable(rows: readonly TableRow[]): string {
  const head =
    '| policy | evaluation | training seed | mean slowdown | 95 % CI | CI over | ÷ SJF [95 % CI] | unscheduled jobs | iterations | training wall (min) | backend |';
  const sep = '|---|---|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map(
    (r) =>
      `| ${r.policy} | ${r.evaluation} | ${r.seeds} | **${f3(r.mean_slowdown)}** | [${f3(r.ci_lo)}, ${f3(r.ci_hi)}] | ${r.ci_over} | ${f3(r.ratio_to_sjf)} [${f3(r.ratio_ci_lo)}, ${f3(r.ratio_ci_hi)}] | ${Number.isFinite(r.unscheduled) ? r.unscheduled : '-'} | ${Number.isFinite(r.iterations) ? r.iterations : '-'} | ${f1(r.train_minutes)} | ${r.backend} |`,
  );
  return [head, sep, ...lines].join('\n') + '\n';
}

export const TABLE_COLUMNS = [
  'policy',
  'evaluation',
  'seeds',
  'mean_slowdown',
  'ci_lo',
  'ci_hi',
  'ci_over',
  'ratio_to_sjf',
  'ratio_ci_lo',
  'ratio_ci_hi',
  'unscheduled',
  'iterations',
  'train_minutes',
  'backend',
];

/** Learning curves: held-out mean slowdown vs iteration (periodic evaluations) and vs training wall time. */
export function curvesHtml(runs: readonly RunRecord[], heuristics: Record<string, number>): string {
  const traces1: unknown[] = [];
  const traces2: unknown[] = [];
  const palette = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
  runs.forEach((r, i) => {
    const pts = r.curve.filter(
      (c) => Number.isFinite(c.eval_mean_slowdown) || Number.isFinite(c.eval_mean_slowdown_stochastic),
    );
    const colour = palette[i % palette.length];
    const label = `${AGENT_LABEL[r.agent] ?? r.agent} seed ${r.seed}`;
    const mode = pts.length > 1 ? 'lines+markers' : 'markers';
    const sampled = pts.filter((c) => Number.isFinite(c.eval_mean_slowdown_stochastic));
    if (sampled.length > 0) {
      traces1.push({
        x: sampled.map((c) => c.iteration),
        y: sampled.map((c) => c.eval_mean_slowdown_stochastic),
        name: `${label} (sampled)`,
        mode,
        line: { color: colour },
        marker: { size: 5 },
      });
      traces2.push({
        x: sampled.map((c) => c.wall_seconds / 60),
        y: sampled.map((c) => c.eval_mean_slowdown_stochastic),
        name: `${label} (sampled)`,
        mode,
        line: { color: colour },
        marker: { size: 5 },
      });
    }
    const greedy = pts.filter((c) => Number.isFinite(c.eval_mean_slowdown));
    traces1.push({
      x: greedy.map((c) => c.iteration),
      y: greedy.map((c) => c.eval_mean_slowdown),
      name: `${label} (greedy)`,
      mode,
      line: { color: colour, dash: 'dot' },
      marker: { size: 5, symbol: 'diamond' },
    });
    traces2.push({
      x: greedy.map((c) => c.wall_seconds / 60),
      y: greedy.map((c) => c.eval_mean_slowdown),
      name: `${label} (greedy)`,
      mode,
      line: { color: colour, dash: 'dot' },
      marker: { size: 5, symbol: 'diamond' },
    });
  });
  const hlines = Object.values(heuristics).map((y, i) => ({
    type: 'line',
    xref: 'paper',
    x0: 0,
    x1: 1,
    y0: y,
    y1: y,
    line: { color: ['#d62728', '#ff7f0e', '#555'][i % 3], dash: 'dash', width: 1.5 },
  }));
  const notes = Object.entries(heuristics).map(([name, y]) => ({
    xref: 'paper',
    x: 1,
    y,
    xanchor: 'right',
    yanchor: 'bottom',
    text: `${name} ${y.toFixed(3)}`,
    showarrow: false,
    font: { size: 11 },
  }));
  const layout = (title: string, x: string) => ({
    title,
    xaxis: { title: x },
    yaxis: { title: 'held-out pooled mean slowdown (100 job sets, seed 314159)', rangemode: 'tozero' },
    shapes: hlines,
    annotations: notes,
    width: 1000,
    height: 520,
    legend: { font: { size: 10 } },
  });
  const plotly = loadPlotly().source;
  return `<!doctype html><html><head><meta charset="utf-8"><title>DeepRM reproduction: learning curves</title>
<script>${plotly}</script></head><body style="font-family:sans-serif">
<h2>DeepRM paper setting, 70 % load: held-out mean slowdown during training</h2>
<p>Lower is better. Dashed horizontal lines: heuristics on the same 100 held-out job sets. Greedy points exclude jobs a greedy policy never scheduled (see the table's "unscheduled" column).</p>
<div id="a"></div><div id="b"></div>
<script>
Plotly.newPlot('a', ${JSON.stringify(traces1)}, ${JSON.stringify(layout('by training iteration', 'iteration'))}, {staticPlot: false});
Plotly.newPlot('b', ${JSON.stringify(traces2)}, ${JSON.stringify(layout('by training wall-clock time', 'training wall time (minutes)'))}).then(() => { document.body.dataset.ready = '1'; });
</script></body></html>
`;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Renders an HTML file to PNG with headless Chromium (playwright-core). */
export async function renderPng(
  htmlFile: string,
  pngFile: string,
  executablePath = process.env.LEPTON_CHROMIUM ?? '/usr/bin/chromium',
): Promise<boolean> {
  if (!existsSync(executablePath)) return false;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1040, height: 1200 } });
    await page.goto('file://' + path.resolve(htmlFile));
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
    await page.screenshot({ path: pngFile, fullPage: true });
    return true;
  } finally {
    await browser.close();
  }
}

const START = '<!-- table:start (generated by scripts/reproduce-deeprm.sh) -->';
const END = '<!-- table:end -->';

/** Writes summary.csv, table.md, curves.html(.png) and refreshes the README table block. */
export async function writeDeeprmReport(root: string): Promise<TableRow[]> {
  const runs = collectRuns(root);
  const rows = buildTable(runs);
  writeFileAtomic(
    path.join(root, 'summary.csv'),
    writeCsv(rows as unknown as Record<string, unknown>[], TABLE_COLUMNS),
  );
  const md = markdownTable(rows);
  writeFileAtomic(path.join(root, 'table.md'), md);
  const heur: Record<string, number> = {};
  for (const r of rows) if (r.evaluation === 'heuristic' && r.policy !== 'Random') heur[r.policy] = r.mean_slowdown;
  const html = path.join(root, 'curves.html');
  writeFileAtomic(html, curvesHtml(runs, heur));
  await renderPng(html, path.join(root, 'curves.png'));
  const readme = path.join(root, 'README.md');
  if (existsSync(readme)) {
    const text = readFileSync(readme, 'utf8');
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    if (a >= 0 && b > a) writeFileAtomic(readme, text.slice(0, a + START.length) + '\n' + md + text.slice(b));
  }
  return rows;
}
