/**
 * The cross-seed report: one self-contained HTML page for a multi-seed run (`lepton start`), beside
 * the per-seed reports. Per policy and metric: the mean over seeds with its 95 % interval
 * (experiment/seedSummary.ts, a percentile bootstrap that stays inside the metric's range) and every
 * seed's own value, so the spread behind an interval is visible. Policies keep their palette colour.
 */
import { SEED_INTERVAL_METHOD } from '../metrics/ci';
import { SUMMARY_COLUMNS, type SummaryKey } from '../metrics/summary';
import type { SeedSummaryRow } from '../experiment/seedSummary';
import { escapeHtml, displayNumber, reportPage } from './html';
import { policyColor } from './palette';

/** Metrics charted (one chart each) and shown first in the table; every metric is in the full table. */
export const CROSS_SEED_METRICS = ['jctMean', 'jctP99', 'queueMean', 'bsldMean', 'utilGpu', 'makespan'] as const;

export interface CrossSeedReportInput {
  readonly title: string;
  readonly rows: readonly SeedSummaryRow[];
  /** perSeed[s][p]: the value of every metric for seed rows[p].seeds[s] and policy p (NaN allowed). */
  readonly perSeed: readonly (readonly Readonly<Record<SummaryKey, number>>[])[];
  /** Per policy, what oracle information it reads (false: none); shown under the table. */
  readonly oracle: Readonly<Record<string, string | false>>;
  /** Provenance shown verbatim (config, seeds, versions); keep it free of clock times for stable bytes. */
  readonly manifest: object;
}

const UNIT = Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c.key, c.unit])) as Record<SummaryKey, string>;
const DESCRIPTION = Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c.key, c.description])) as Record<
  SummaryKey,
  string
>;

function cell(row: SeedSummaryRow, key: SummaryKey): string {
  const m = row.metrics[key];
  const exact = `mean ${m.estimate}, 95% interval [${m.lo}, ${m.hi}] over ${m.n} seeds`;
  const bounds = Number.isNaN(m.lo) ? '' : ` <span class="ci">[${displayNumber(m.lo)}, ${displayNumber(m.hi)}]</span>`;
  return `<td title="${escapeHtml(exact)}">${escapeHtml(displayNumber(m.estimate))}${bounds}</td>`;
}

function table(rows: readonly SeedSummaryRow[], keys: readonly SummaryKey[], cls: string): string {
  const head = `<tr><th>policy</th>${keys.map((k) => `<th title="${escapeHtml(DESCRIPTION[k])}">${k} <span class="unit">(${UNIT[k]})</span></th>`).join('')}</tr>`;
  const body = rows
    .map(
      (r) =>
        `<tr><th><span class="swatch" style="background:${policyColor(r.policy)}"></span>${escapeHtml(r.policy)}</th>${keys.map((k) => cell(r, k)).join('')}</tr>`,
    )
    .join('\n');
  // The wrapper scrolls sideways: a wide table never widens the page (checked in headless Chromium).
  return `<div class="table-wrap"><table class="summary ${cls}">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

/** Chart data: per metric, per policy the mean, its bounds and the seeds' values. */
function chartData(input: CrossSeedReportInput): object {
  return CROSS_SEED_METRICS.map((key) => ({
    key,
    title: `${key} (${UNIT[key]})`,
    policies: input.rows.map((r, p) => ({
      name: r.policy,
      color: policyColor(r.policy),
      mean: r.metrics[key].estimate,
      lo: r.metrics[key].lo,
      hi: r.metrics[key].hi,
      seeds: input.perSeed.map((runs) => runs[p][key]),
    })),
  }));
}

/**
 * In the page: one chart per metric, policies on the x axis (so no legend is needed and none can
 * cover an axis title): the mean as a filled marker with its asymmetric interval, each seed as an
 * open marker beside it.
 */
const PAGE_SCRIPT = `
(function () {
  var charts = JSON.parse(document.getElementById('lepton-data').textContent);
  var cfg = { responsive: true, displaylogo: false };
  var done = charts.map(function (c, i) {
    var traces = [];
    c.policies.forEach(function (p) {
      var ok = typeof p.lo === 'number' && typeof p.hi === 'number';
      traces.push({ type: 'scatter', mode: 'markers', name: p.name, x: [p.name], y: [p.mean], showlegend: false,
        marker: { color: p.color, size: 11 },
        error_y: ok ? { type: 'data', symmetric: false, array: [p.hi - p.mean], arrayminus: [p.mean - p.lo], color: p.color, thickness: 2, width: 6 } : undefined,
        hovertemplate: p.name + ': mean %{y}' + (ok ? ' [' + p.lo + ', ' + p.hi + ']' : '') + '<extra></extra>' });
      traces.push({ type: 'scatter', mode: 'markers', name: p.name + ' seeds', x: p.seeds.map(function () { return p.name; }), y: p.seeds, showlegend: false,
        marker: { color: p.color, symbol: 'circle-open', size: 7, opacity: 0.7 },
        hovertemplate: p.name + ' (one seed): %{y}<extra></extra>' });
    });
    var layout = { margin: { t: 10, r: 20 }, showlegend: false,
      xaxis: { title: { text: 'policy' }, automargin: true, type: 'category' },
      yaxis: { title: { text: c.title }, automargin: true, rangemode: 'tozero' } };
    return Plotly.newPlot('chart-' + c.key, traces, layout, cfg);
  });
  Promise.all(done).then(function () { document.body.setAttribute('data-plots-ready', 'true'); });
})();
`;

/** The page; deterministic for the same input (no clock, no randomness). */
export function renderCrossSeedReport(input: CrossSeedReportInput): string {
  const { title, rows, oracle, manifest } = input;
  const seeds = rows[0]?.seeds ?? [];
  const oracles = rows.filter((r) => oracle[r.policy]);
  const oracleNote =
    oracles.length === 0
      ? '<p class="note">No policy here reads oracle information.</p>'
      : `<p class="note">Oracle policies (they read what no scheduler knows at submit time): ${oracles
          .map((r) => `<b>${escapeHtml(r.policy)}</b>: ${escapeHtml(String(oracle[r.policy]))}`)
          .join('; ')}.</p>`;
  const rest = SUMMARY_COLUMNS.map((c) => c.key).filter(
    (k) => !(CROSS_SEED_METRICS as readonly string[]).includes(k),
  ) as SummaryKey[];
  return reportPage({
    title,
    body: `<p class="note">${rows.length} policies on the same job sequence per seed; ${seeds.length} seeds (${escapeHtml(seeds.join(', '))}).
Each value is the mean over the seeds with its 95 % interval [lo, hi]: ${escapeHtml(SEED_INTERVAL_METHOD)}; the bounds never
leave the range of the seeds' values (docs/metrics.md). The reports of single seeds are in <code>seed-N/report.html</code>.</p>
<h2>Summary across seeds</h2>
${table(rows, CROSS_SEED_METRICS, 'main')}
${oracleNote}
${CROSS_SEED_METRICS.map((k) => `<h2>${k} (${UNIT[k]})</h2>\n<p class="note">${escapeHtml(DESCRIPTION[k])}: filled marker = mean with its interval, open markers = single seeds.</p>\n<div id="chart-${k}" class="chart"></div>`).join('\n')}
<details>
<summary>Every metric across seeds</summary>
${table(rows, rest, 'all')}
</details>`,
    manifest,
    data: chartData(input),
    script: PAGE_SCRIPT,
  });
}
