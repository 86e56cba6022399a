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
import { loadPlotly } from './plotly';
import { policyColor } from './palette';
import { writeCsv } from '../util/csv';
import { readCurve, type CurveRow } from '../experiment/train';
import { agentEntry, isAgentKind } from '../experiment/agents';
import { writeFileAtomic } from '../util/atomic';

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
  /** Iteration a resumed run started from (0 = from scratch). */
  resumedFrom: number;
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
      resumedFrom: m.extra.resumedFrom ?? 0,
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

const agentLabel = (agent: string): string => (isAgentKind(agent) ? agentEntry(agent).label : agent);

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
  // Runs are grouped by folder name without its "-seedN" (pg, pg-decay, ppo, …).
  const groupOf = (r: RunRecord): string => r.name.replace(/-seed\d+$/, '');
  const order = ['pg', 'pg-decay', 'ppo', 'a2c', 'dqn', 'qlearning'];
  const rank = (g: string): number => (order.includes(g) ? order.indexOf(g) : order.length);
  const groups = [...new Set(runs.map(groupOf))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const group of groups) {
    const mine = runs.filter((r) => groupOf(r) === group);
    const agent = mine[0].agent;
    const label = agentLabel(agent) + (group === agent ? '' : ` [${group}]`);
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
          policy: label,
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
        const unsched = evs.reduce((s, x) => s + x.e!.unscheduled, 0) / evs.length; // per evaluation, like the other rows
        rows.push({
          policy: label,
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
      `| ${r.policy} | ${r.evaluation} | ${r.seeds} | **${f3(r.mean_slowdown)}** | [${f3(r.ci_lo)}, ${f3(r.ci_hi)}] | ${r.ci_over} | ${f3(r.ratio_to_sjf)} [${f3(r.ratio_ci_lo)}, ${f3(r.ratio_ci_hi)}] | ${Number.isFinite(r.unscheduled) ? Number(r.unscheduled.toFixed(1)) : '-'} | ${Number.isFinite(r.iterations) ? r.iterations : '-'} | ${f1(r.train_minutes)} | ${r.backend} |`,
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

/**
 * Learning curves, three panels: held-out mean slowdown of the SAMPLED policy by
 * iteration, of the GREEDY policy by iteration, and (sampled where available, else greedy)
 * by training wall-clock time. A run continued from another (pg-decay) is drawn from
 * its resume point on, so the shared first part is not drawn twice.
 */
/** The texts of a learning-curve page: which evaluation split the curves show. */
export interface CurvesText {
  title: string;
  heading: string;
  note: string;
  yAxis: string;
}

export const HELDOUT_CURVES: CurvesText = {
  title: 'DeepRM reproduction: learning curves',
  heading: 'DeepRM paper setting, 70 % load: mean slowdown on the 100 held-out job sets (seed 314159) during training',
  note: 'Lower is better. Horizontal lines: heuristics on the same held-out sets. Greedy points leave out jobs the greedy policy never scheduled (see the README table). Dashed run lines: pg-decay, continued from the pg run of the same seed at iteration 200 with lr 0.001.',
  yAxis: 'held-out pooled mean slowdown',
};

export const VALIDATION_CURVES: CurvesText = {
  title: 'DeepRM reproduction: validation learning curves',
  heading:
    'DeepRM paper setting, 70 % load: mean slowdown on the 100 VALIDATION job sets (seed 271828) during training',
  note: 'Lower is better. Horizontal lines: heuristics on the same VALIDATION sets. Greedy points leave out jobs the greedy policy never scheduled (see the README table). Curves from iteration 200 on: continuations of the pg run of the same seed (pilots: seed 1 only; settings in each manifest).',
  yAxis: 'VALIDATION pooled mean slowdown',
};

export function curvesHtml(
  runs: readonly RunRecord[],
  heuristics: Record<string, number>,
  text: CurvesText = HELDOUT_CURVES,
): string {
  const sampledTraces: unknown[] = [];
  const greedyTraces: unknown[] = [];
  const wallTraces: unknown[] = [];
  const palette = [
    '#1f77b4',
    '#2ca02c',
    '#9467bd',
    '#8c564b',
    '#e377c2',
    '#17becf',
    '#bcbd22',
    '#7f7f7f',
    '#aec7e8',
    '#98df8a',
  ];
  runs.forEach((r, i) => {
    const from = r.resumedFrom > 0 && r.name.replace(/-seed\d+$/, '') !== r.agent ? r.resumedFrom : 0;
    const pts = r.curve.filter(
      (c) =>
        c.iteration >= from &&
        (Number.isFinite(c.eval_mean_slowdown) || Number.isFinite(c.eval_mean_slowdown_stochastic)),
    );
    const colour = palette[i % palette.length];
    const label = `${r.name.replace(/-seed\d+$/, '')} seed ${r.seed}`;
    const mode = pts.length > 1 ? 'lines+markers' : 'markers';
    const line = { color: colour, dash: from > 0 ? 'dash' : 'solid' };
    const sampled = pts.filter((c) => Number.isFinite(c.eval_mean_slowdown_stochastic));
    const greedy = pts.filter((c) => Number.isFinite(c.eval_mean_slowdown));
    if (sampled.length > 1)
      sampledTraces.push({
        x: sampled.map((c) => c.iteration),
        y: sampled.map((c) => c.eval_mean_slowdown_stochastic),
        name: label,
        mode,
        line,
        marker: { size: 5, color: colour },
      });
    // An "iteration" means different amounts of work per algorithm; runs evaluated only
    // at the end (dqn, qlearning) appear in the wall-clock panel only.
    if (greedy.length > 1)
      greedyTraces.push({
        x: greedy.map((c) => c.iteration),
        y: greedy.map((c) => c.eval_mean_slowdown),
        name: label,
        mode,
        line,
        marker: { size: 5, color: colour },
      });
    const best =
      sampled.length > 0
        ? sampled.map((c) => [c.wall_seconds, c.eval_mean_slowdown_stochastic])
        : greedy.map((c) => [c.wall_seconds, c.eval_mean_slowdown]);
    wallTraces.push({
      x: best.map((p) => p[0] / 60),
      y: best.map((p) => p[1]),
      name: `${label} (${sampled.length > 0 ? 'sampled' : 'greedy'})`,
      mode,
      line,
      marker: { size: 5, color: colour },
    });
  });
  // Heuristic lines in their palette colours (the same as in every other report); the run curves above
  // use a colour per run instead, because one chart holds several seeds and variants of the same agent.
  const hlines = Object.entries(heuristics).map(([name, y]) => ({
    type: 'line',
    xref: 'paper',
    x0: 0,
    x1: 1,
    y0: y,
    y1: y,
    line: { color: policyColor(name), dash: 'dash', width: 1.5 },
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
    title: { text: title, font: { size: 15 } },
    xaxis: { title: { text: x } },
    yaxis: { title: { text: text.yAxis }, range: [0, 6] },
    shapes: hlines,
    annotations: notes,
    width: 1000,
    height: 430,
    margin: { t: 40, b: 50 },
    legend: { font: { size: 10 } },
  });
  const plotly = loadPlotly().source;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${text.title}</title>
<script>${plotly}</script></head><body style="font-family:sans-serif;margin:8px">
<h3 style="margin:4px">${text.heading}</h3>
<p style="margin:4px;font-size:13px">${text.note}</p>
<div id="a"></div><div id="b"></div><div id="c"></div>
<script>
Plotly.newPlot('a', ${JSON.stringify(sampledTraces)}, ${JSON.stringify(layout('sampled policy, by iteration', 'iteration'))});
Plotly.newPlot('b', ${JSON.stringify(greedyTraces)}, ${JSON.stringify(layout('greedy policy, by iteration', 'iteration'))});
Plotly.newPlot('c', ${JSON.stringify(wallTraces)}, ${JSON.stringify(layout('by training wall-clock time (sampled where available, else greedy)', 'training wall time (minutes)'))}).then(() => { document.body.dataset.ready = '1'; });
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
  viewport = { width: 1040, height: 1400 },
): Promise<boolean> {
  if (!existsSync(executablePath)) return false;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport });
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

/**
 * Writes summary.csv, table.md and curves.html(.png) of the runs under `root` into `out`; when `out`
 * is `root`, also refreshes the table block of root/README.md (the committed results).
 */
export async function writeDeeprmReport(root: string, out = root): Promise<TableRow[]> {
  const runs = collectRuns(root);
  const rows = buildTable(runs);
  writeFileAtomic(path.join(out, 'summary.csv'), writeCsv(rows as unknown as Record<string, unknown>[], TABLE_COLUMNS));
  const md = markdownTable(rows);
  writeFileAtomic(path.join(out, 'table.md'), md);
  const heur: Record<string, number> = {};
  for (const r of rows) if (r.evaluation === 'heuristic' && r.policy !== 'Random') heur[r.policy] = r.mean_slowdown;
  const html = path.join(out, 'curves.html');
  writeFileAtomic(html, curvesHtml(runs, heur));
  await renderPng(html, path.join(out, 'curves.png'));
  const readme = path.join(root, 'README.md');
  if (path.resolve(out) === path.resolve(root) && existsSync(readme)) {
    const text = readFileSync(readme, 'utf8');
    const a = text.indexOf(START);
    const b = text.indexOf(END);
    if (a >= 0 && b > a) writeFileAtomic(readme, text.slice(0, a + START.length) + '\n' + md + text.slice(b));
  }
  return rows;
}

/**
 * The validation learning curves (curve.csv columns val_*) of every run and pilot under `root`, beside
 * SJF and Packer on the validation sets (from pg-seed1/validation-eval): validation-curves.html(.png)
 * in `out`. Returns the number of curves drawn (0: no run has validation curves; nothing written).
 */
export async function writeValidationCurves(root: string, out = root): Promise<number> {
  const dirs: [string, string][] = readdirSync(root).map((n) => [n, path.join(root, n)]);
  const pilots = path.join(root, 'pilots');
  if (existsSync(pilots)) for (const n of readdirSync(pilots)) dirs.push([`pilot ${n}`, path.join(pilots, n)]);
  const runs: RunRecord[] = [];
  for (const [name, dir] of dirs) {
    const f = path.join(dir, 'curve.csv');
    if (!existsSync(f)) continue;
    const curve = readCurve(f)
      .filter((c) => Number.isFinite(c.val_mean_slowdown))
      .map((c) => ({
        ...c,
        eval_mean_slowdown: c.val_mean_slowdown,
        eval_mean_slowdown_stochastic: c.val_mean_slowdown_stochastic,
      }));
    if (curve.length === 0) continue;
    const seed = Number(/seed(\d+)/.exec(name)?.[1] ?? 0);
    runs.push({
      name,
      agent: 'pg',
      seed,
      iterations: NaN,
      trainWallSeconds: NaN,
      backend: '',
      resumedFrom: 0,
      curve,
      evals: [],
    });
  }
  if (runs.length === 0) return 0;
  const heur: Record<string, number> = {};
  const ev = path.join(root, 'pg-seed1', 'validation-eval', 'summary.csv');
  if (existsSync(ev))
    for (const e of readEvalSummary(ev))
      if (e.policy === 'sjf' || e.policy === 'packer') heur[e.policy === 'sjf' ? 'SJF' : 'Packer'] = e.mean_slowdown;
  const html = path.join(out, 'validation-curves.html');
  writeFileAtomic(html, curvesHtml(runs, heur, VALIDATION_CURVES));
  await renderPng(html, path.join(out, 'validation-curves.png'));
  return runs.length;
}
