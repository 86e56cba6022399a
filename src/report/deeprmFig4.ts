/**
 * DeepRM Figure 4, complete (issue 11 §2): mean slowdown against load for SJF, Packer, Random and
 * REINFORCE trained at each load, on the held-out job sets of that load. Reads the run folders
 * `loadNN-seedS/` of scripts/deeprm-fig4.sh and its `config/loadNN.json`, writes fig4.csv (one row
 * per load), fig4-runs.csv (one row per run), fig4.md and fig4.html/png.
 *
 * The heuristic points are recomputed here by replaying the held-out sets of every load (they
 * exist even where a training is pending), and each run's own evaluation must agree with them
 * (same job sets, same SJF), so a run evaluated on the wrong sets cannot slip into the figure.
 * A run counts only when it reached the expected iterations and has its held-out evaluation;
 * every other expected run is listed as pending — a missing point is never filled in.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { deeprmJobSets, resolveDeeprmSetting } from '../experiment/deeprmTask';
import { deeprmReplay } from '../deeprm/replay';
import { confidenceInterval } from '../metrics/ci';
import { writeCsv } from '../util/csv';
import { writeFileAtomic } from '../util/atomic';
import { loadPlotly } from './plotly';
import { policyColor } from './palette';
import { readEvalSummary, renderPng } from './deeprm';

/**
 * The paper's own curves, read off Figure 4 by the spec (shared/specs/deeprm.md, "Reference"),
 * by nominal load; and DeepRM's one printed value, Figure 5's bar label at 130 % (2.81). The
 * paper prints no other DeepRM number, so its learned curve is shown by this point only.
 */
const PAPER_READ_OFF: Readonly<Record<'SJF' | 'Packer', readonly number[]>> = {
  SJF: [1.4, 2.0, 2.5, 3.0, 3.6, 3.9, 4.9, 5.1, 6.3, 8.4],
  Packer: [1.4, 2.5, 4.1, 5.4, 8.0, 9.6, 12.5, 15.3, 17.8, 21.3],
};
const PAPER_LOADS = [10, 30, 50, 70, 90, 110, 130, 150, 170, 190];
const PAPER_DEEPRM_130 = 2.81;

/** Which runs the sweep is expected to have: seed 1 at every load plus `extra` (load → seeds). */
export interface Fig4Expectation {
  iterations: number;
  extra: ReadonlyMap<number, readonly number[]>;
}

export interface Fig4Run {
  load: number;
  seed: number;
  sampled: number;
  ciLo: number;
  ciHi: number;
  ratio: number;
  ratioLo: number;
  ratioHi: number;
  unscheduled: number;
  trainMinutes: number;
  backend: string;
}

export interface Fig4Row {
  load: number;
  rate: number;
  measuredLoad: number;
  sjf: number;
  packer: number;
  random: number;
  runs: Fig4Run[];
  /** Mean over the finished seeds and its interval (t over seeds; with one seed, bootstrap over job sets). */
  pg: number;
  pgLo: number;
  pgHi: number;
  ratio: number;
  ratioLo: number;
  ratioHi: number;
  ciOver: string;
  pending: string[];
}

/** "130:2 130:3 70:2" → {130: [2, 3], 70: [2]}. */
export function parseExtra(spec: string): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const tok of spec.split(/\s+/).filter(Boolean)) {
    const m = /^(\d+):(\d+)$/.exec(tok);
    if (!m) throw new Error(`fig4: extra run '${tok}' is not LOAD:SEED`);
    const l = Number(m[1]);
    out.set(l, [...(out.get(l) ?? []), Number(m[2])]);
  }
  return out;
}

function configLoads(root: string): { load: number; rate: number }[] {
  const dir = path.join(root, 'config');
  if (!existsSync(dir)) throw new Error(`fig4: no config folder ${dir}`);
  return readdirSync(dir)
    .map((f) => /^load(\d+)\.json$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const cfg = JSON.parse(readFileSync(path.join(dir, m[0]), 'utf8')) as { env?: { rate?: unknown } };
      const rate = cfg.env?.rate;
      if (typeof rate !== 'number') throw new Error(`fig4: ${m[0]} has no env.rate`);
      return { load: Number(m[1]), rate };
    })
    .sort((a, b) => a.load - b.load);
}

/** A finished run's held-out result, or null when it is missing or short of the expected iterations. */
function readRun(dir: string, load: number, seed: number, iterations: number, sjf: number): Fig4Run | null {
  const mf = path.join(dir, 'manifest.json');
  const ev = path.join(dir, 'eval', 'summary.csv');
  if (!existsSync(mf) || !existsSync(ev)) return null;
  const m = JSON.parse(readFileSync(mf, 'utf8'));
  if (m.extra?.iterationsDone !== iterations) return null;
  const rows = readEvalSummary(ev);
  const s = rows.find((r) => r.policy === 'agent:reinforce:sample');
  const h = rows.find((r) => r.policy === 'sjf');
  if (!s || !h) throw new Error(`fig4: ${ev} lacks the sampled agent or SJF row`);
  // Same held-out sets as the replay above, or the run was evaluated on something else.
  if (Math.abs(h.mean_slowdown - sjf) > 1e-5)
    throw new Error(`fig4: ${ev}: SJF ${h.mean_slowdown} ≠ ${sjf} on the held-out sets of load ${load} %`);
  return {
    load,
    seed,
    sampled: s.mean_slowdown,
    ciLo: s.ci_lo,
    ciHi: s.ci_hi,
    ratio: s.ratio_to_sjf,
    ratioLo: s.ratio_ci_lo,
    ratioHi: s.ratio_ci_hi,
    unscheduled: s.unscheduled,
    trainMinutes: m.extra.trainWallSeconds / 60,
    backend: m.backend,
  };
}

/** One row per load of `root`'s config/, with the finished runs and the pending ones. */
export function collectFig4(root: string, expect: Fig4Expectation): Fig4Row[] {
  return configLoads(root).map(({ load, rate }) => {
    const setting = resolveDeeprmSetting({ rate });
    const file = deeprmJobSets(setting, 'heldout');
    const rep = deeprmReplay(file, { policies: ['sjf', 'packer', 'random'] });
    const mean = (k: string): number => rep[k].mean_slowdown ?? NaN;
    const sjf = mean('sjf');
    const m = file.generator?.measured_load_per_resource;
    const seeds = [1, ...(expect.extra.get(load) ?? [])];
    const runs: Fig4Run[] = [];
    const pending: string[] = [];
    for (const seed of seeds) {
      const r = readRun(path.join(root, `load${load}-seed${seed}`), load, seed, expect.iterations, sjf);
      if (r) runs.push(r);
      else pending.push(`load${load}-seed${seed}`);
    }
    let pg = NaN;
    let pgLo = NaN;
    let pgHi = NaN;
    let ratio = NaN;
    let ratioLo = NaN;
    let ratioHi = NaN;
    let ciOver = '-';
    if (runs.length === 1) {
      ({ sampled: pg, ciLo: pgLo, ciHi: pgHi, ratio, ratioLo, ratioHi } = runs[0]);
      ciOver = 'job sets';
    } else if (runs.length > 1) {
      const c = confidenceInterval(runs.map((r) => r.sampled));
      pg = c.estimate;
      pgLo = c.lo;
      pgHi = c.hi;
      // SJF is one fixed number per load (same held-out sets for every seed), so the ratio's
      // interval over seeds is the mean's divided by it.
      ratio = pg / sjf;
      ratioLo = pgLo / sjf;
      ratioHi = pgHi / sjf;
      ciOver = `${runs.length} seeds (t)`;
    }
    return {
      load,
      rate,
      measuredLoad: m ? (m[0] + m[1]) / 2 : NaN,
      sjf,
      packer: mean('packer'),
      random: mean('random'),
      runs,
      pg,
      pgLo,
      pgHi,
      ratio,
      ratioLo,
      ratioHi,
      ciOver,
      pending,
    };
  });
}

/** 3 decimals after rounding to 4, as the spec's table was printed (SJF at 10 %: 1.354479 → "1.355"). */
const f3 = (x: number): string => (Number.isFinite(x) ? Number(x.toFixed(4)).toFixed(3) : '-');

export function fig4Markdown(rows: readonly Fig4Row[], expect: Fig4Expectation): string {
  const head =
    '| load | rate | measured load | SJF | Packer | Random | REINFORCE sampled | 95 % CI | CI over | ÷ SJF [95 % CI] | per seed | unscheduled | pending |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|\n';
  const lines = rows.map((r) => {
    const done = r.runs.length > 0;
    const perSeed = r.runs.map((x) => `${x.seed}: ${f3(x.sampled)}`).join(', ') || '-';
    return (
      `| ${r.load} % | ${r.rate} | ${f3(r.measuredLoad)} | ${f3(r.sjf)} | ${f3(r.packer)} | ${f3(r.random)} | ` +
      (done
        ? `**${f3(r.pg)}** | [${f3(r.pgLo)}, ${f3(r.pgHi)}] | ${r.ciOver} | ${f3(r.ratio)} [${f3(r.ratioLo)}, ${f3(r.ratioHi)}] | `
        : '- | - | - | - | ') +
      `${perSeed} | ${done ? r.runs.reduce((s, x) => s + x.unscheduled, 0) : '-'} | ${r.pending.join(', ') || '-'} |`
    );
  });
  return (
    head +
    lines.join('\n') +
    `\n\nREINFORCE: ${expect.iterations} training iterations per run, sampled evaluation (every job counted), ` +
    '100 held-out job sets of each load (numpy seed 314159); heuristics on the same sets.\n'
  );
}

const ROW_COLUMNS = [
  'load',
  'rate',
  'measuredLoad',
  'sjf',
  'packer',
  'random',
  'pg',
  'pgLo',
  'pgHi',
  'ciOver',
  'ratio',
  'ratioLo',
  'ratioHi',
  'seeds',
  'pending',
];
const RUN_COLUMNS = [
  'load',
  'seed',
  'sampled',
  'ciLo',
  'ciHi',
  'ratio',
  'ratioLo',
  'ratioHi',
  'unscheduled',
  'trainMinutes',
  'backend',
];

export function fig4Html(rows: readonly Fig4Row[], expect: Fig4Expectation): string {
  const x = rows.map((r) => r.load);
  const heur = (['SJF', 'Packer', 'Random'] as const).map((name) => ({
    x,
    y: rows.map((r) => (name === 'SJF' ? r.sjf : name === 'Packer' ? r.packer : r.random)),
    name: `${name} (this repo)`,
    mode: 'lines+markers',
    line: { color: policyColor(name) },
    marker: { size: 6, color: policyColor(name) },
  }));
  const paper = (['SJF', 'Packer'] as const).map((name) => ({
    x: PAPER_LOADS,
    y: PAPER_READ_OFF[name],
    name: `${name} (paper Fig. 4, read off)`,
    mode: 'lines',
    line: { color: policyColor(name), dash: 'dot', width: 1 },
  }));
  const done = rows.filter((r) => r.runs.length > 0);
  // Every load on the x axis, null where pending: plotly leaves a gap there instead of a line over it.
  const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
  const pg = {
    x,
    y: rows.map((r) => orNull(r.pg)),
    connectgaps: false,
    error_y: {
      type: 'data',
      symmetric: false,
      array: rows.map((r) => orNull(r.pgHi - r.pg)),
      arrayminus: rows.map((r) => orNull(r.pg - r.pgLo)),
    },
    name: `REINFORCE sampled (this repo, ${expect.iterations} it.)`,
    mode: 'lines+markers',
    line: { color: '#d62728', width: 2.5 },
    marker: { size: 8, color: '#d62728' },
  };
  const seeds = {
    x: done.flatMap((r) => r.runs.map(() => r.load)),
    y: done.flatMap((r) => r.runs.map((s) => s.sampled)),
    name: 'REINFORCE, each training seed',
    mode: 'markers',
    marker: { size: 5, color: '#d62728', symbol: 'circle-open' },
  };
  const paperPg = {
    x: [130],
    y: [PAPER_DEEPRM_130],
    name: 'DeepRM (paper Fig. 5, 130 %)',
    mode: 'markers',
    marker: { size: 11, color: '#d62728', symbol: 'star' },
  };
  const pendingLoads = rows.filter((r) => r.runs.length === 0).map((r) => `${r.load} %`);
  const layout = {
    title: { text: 'DeepRM Figure 4: mean slowdown vs load (100 held-out job sets per load)', font: { size: 15 } },
    xaxis: { title: { text: 'nominal load (%)' }, tickvals: x },
    yaxis: { title: { text: 'pooled mean slowdown' }, rangemode: 'tozero' },
    width: 1000,
    height: 560,
    margin: { t: 50, b: 60 },
    legend: { x: 0.01, y: 0.99, font: { size: 11 } },
  };
  const note =
    `Lower is better. REINFORCE: mean over the finished training seeds (error bars: t interval over seeds, or with one seed the bootstrap over job sets), ` +
    `sampled policy, every job counted. ${pendingLoads.length > 0 ? 'No learned point yet (pending) at: ' + pendingLoads.join(', ') + '.' : ''}`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>DeepRM Figure 4</title>
<script>${loadPlotly().source}</script></head><body style="font-family:sans-serif;margin:8px;width:1000px">
<p style="margin:4px;font-size:13px">${note}</p>
<div id="a"></div>
<script>
Plotly.newPlot('a', ${JSON.stringify([...heur, ...paper, pg, seeds, paperPg])}, ${JSON.stringify(layout)}).then(() => { document.body.dataset.ready = '1'; });
</script></body></html>
`;
}

const README_START = '<!-- fig4:start (generated by scripts/deeprm-fig4.sh) -->';
const README_END = '<!-- fig4:end -->';

/** Writes fig4.csv, fig4-runs.csv, fig4.md, fig4.html and (with Chromium, unless `png` is false) fig4.png into `out`. */
export async function writeFig4Report(
  root: string,
  out: string,
  expect: Fig4Expectation,
  png = true,
): Promise<{ rows: Fig4Row[]; png: boolean }> {
  const rows = collectFig4(root, expect);
  const csvRows = rows.map((r) => ({
    ...r,
    seeds: r.runs.map((x) => x.seed).join(' '),
    pending: r.pending.join(' '),
  }));
  writeFileAtomic(path.join(out, 'fig4.csv'), writeCsv(csvRows, ROW_COLUMNS));
  writeFileAtomic(
    path.join(out, 'fig4-runs.csv'),
    writeCsv(
      rows.flatMap((r) => r.runs.map((x) => ({ ...x }))),
      RUN_COLUMNS,
    ),
  );
  const md = fig4Markdown(rows, expect);
  writeFileAtomic(path.join(out, 'fig4.md'), md);
  // Regenerating the committed folder also refreshes the table block of its README.
  const readme = path.join(root, 'README.md');
  if (path.resolve(out) === path.resolve(root) && existsSync(readme)) {
    const text = readFileSync(readme, 'utf8');
    const a = text.indexOf(README_START);
    const b = text.indexOf(README_END);
    if (a >= 0 && b > a) writeFileAtomic(readme, text.slice(0, a + README_START.length) + '\n' + md + text.slice(b));
  }
  const html = path.join(out, 'fig4.html');
  writeFileAtomic(html, fig4Html(rows, expect));
  // Viewport just taller than the page (note + 560 px plot), so the PNG has no blank tail.
  const wrote = png && (await renderPng(html, path.join(out, 'fig4.png'), undefined, { width: 1020, height: 640 }));
  return { rows, png: wrote };
}
