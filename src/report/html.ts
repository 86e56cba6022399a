import { SUMMARY_COLUMNS } from '../metrics/summary';
import { jobCompletionTimes, queueingDelays } from '../metrics/perjob';
import { jobSpan } from '../metrics/makespan';
import type { SimResult } from '../sim/result';
import { cdfPoints, downsampleStep } from './downsample';
import { policyColor } from './palette';
import { loadPlotly } from './plotly';
import type { PolicySummary } from './tables';

/** Hyperparameters of the report: keep the HTML small whatever the run size. */
export const REPORT_DEFAULTS = {
  /** Points per policy in each CDF. */
  cdfPoints: 2000,
  /** Points per policy in the utilisation-over-time chart. */
  timelinePoints: 2000,
  /** Significant digits in the summary table (the CSV has full precision). */
  tableDigits: 4,
};

export interface ReportInput {
  readonly title: string;
  readonly summaries: readonly PolicySummary[];
  /** Runs to chart; `policy` names the traces. */
  readonly results: readonly SimResult[];
  /** Provenance (config, seeds, versions, trace hashes), shown verbatim. */
  readonly manifest: object;
}

/** HTML text escaping for element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON that is safe inside a <script> element (no '</script>', '<!--', or JS line separators). */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A table cell's number: integers as they are, others to REPORT_DEFAULTS.tableDigits significant digits. */
export function displayNumber(x: number): string {
  if (Number.isNaN(x)) return '–';
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(REPORT_DEFAULTS.tableDigits)));
}

function summaryTable(summaries: readonly PolicySummary[]): string {
  const head = `<tr><th>metric</th><th>unit</th>${summaries.map((s) => `<th>${escapeHtml(s.policy)}</th>`).join('')}</tr>`;
  const body = SUMMARY_COLUMNS.map((c) => {
    const cells = summaries
      .map((s) => {
        const v = s.summary[c.key];
        return `<td title="${escapeHtml(String(v))}">${escapeHtml(displayNumber(v))}</td>`;
      })
      .join('');
    return `<tr><th title="${escapeHtml(c.description)}">${c.key}</th><td class="unit">${c.unit}</td>${cells}</tr>`;
  }).join('\n');
  // The wrapper scrolls sideways: 16 policy columns never widen the page (checked in headless Chromium).
  return `<div class="table-wrap"><table class="summary">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

/** Rounds chart coordinates: 7 significant digits are plenty on screen and halve the JSON. */
function compact(xs: Float64Array): number[] {
  return Array.from(xs, (v) => Number(v.toPrecision(7)));
}

interface Series {
  name: string;
  /** The policy's palette colour (report/palette.ts): the same in every report and notebook. */
  color: string;
  x: number[];
  y: number[];
}

/** CDF over finished jobs; points with x <= 0 are dropped (log axis) but y still counts them. */
function cdfSeries(r: SimResult, perJob: Float64Array): Series {
  const vals: number[] = [];
  for (let i = 0; i < perJob.length; i++) {
    const v = perJob[i];
    if (!Number.isNaN(v) && Number.isFinite(r.finish[i])) vals.push(v);
  }
  const { x, y } = cdfPoints(Float64Array.from(vals).sort(), REPORT_DEFAULTS.cdfPoints);
  let first = 0;
  while (first < x.length && !(x[first] > 0)) first++;
  return { name: r.policy, color: policyColor(r.policy), x: compact(x.subarray(first)), y: compact(y.subarray(first)) };
}

/** GPU utilisation (fraction of capacity) against hours since `origin`, over the run's span. */
function utilSeries(r: SimResult, origin: number): Series {
  const span = jobSpan(r);
  // through the end of the run, so jobs still running at the end show up too
  let t1 = span.end;
  if (Number.isFinite(r.endTime) && !(r.endTime <= t1)) t1 = r.endTime;
  const { time, value } = downsampleStep(
    r.timeline.time,
    r.timeline.gpus,
    span.start,
    t1,
    REPORT_DEFAULTS.timelinePoints,
  );
  const cap = r.capacity.gpus > 0 ? r.capacity.gpus : NaN;
  return {
    name: r.policy,
    color: policyColor(r.policy),
    x: compact(time.map((t) => (t - origin) / 3600)),
    y: compact(value.map((v) => v / cap)),
  };
}

/** Page style shared by the per-run and the cross-seed report. */
export const REPORT_CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:1100px;color:#222;padding:0 1rem}
.table-wrap{max-width:100%;overflow-x:auto}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.35em;border-radius:2px;vertical-align:baseline}
span.ci{color:#666;white-space:nowrap}
span.unit{color:#777;font-weight:normal}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table.summary{border-collapse:collapse;font-size:.85rem}
table.summary th,table.summary td{border:1px solid #ddd;padding:.2rem .5rem;text-align:right}
table.summary th:first-child{text-align:left}
table.summary thead th{background:#f3f3f3}
td.unit{color:#777;text-align:left}
.chart{width:100%;height:420px}
pre{background:#f7f7f7;padding:.8rem;overflow:auto;font-size:.8rem}
.note{color:#666;font-size:.85rem}
`;

/** Chart setup that runs in the page; reads the data from the JSON block. */
const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('lepton-data').textContent);
  var cfg = { responsive: true, displaylogo: false };
  function lines(series, shape) {
    return series.map(function (s) { return { type: 'scatter', mode: 'lines', name: s.name, x: s.x, y: s.y, line: { shape: shape, color: s.color } }; });
  }
  function layout(xTitle, yTitle, xType, yRange) {
    // Vertical legend right of the plot (plotly widens the right margin for it): a horizontal one under
    // the plot sat on the x-axis title. Checked in headless Chromium (test/report/html.test.ts).
    return { margin: { t: 20, r: 20 }, xaxis: { title: { text: xTitle }, type: xType, automargin: true }, yaxis: { title: { text: yTitle }, range: yRange, automargin: true }, legend: { orientation: 'v', x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' } };
  }
  Promise.all([
    Plotly.newPlot('chart-jct', lines(data.jct, 'hv'), layout('JCT (s, log scale)', 'fraction of finished jobs', 'log', [0, 1.02]), cfg),
    Plotly.newPlot('chart-queue', lines(data.queue, 'hv'), layout('queueing delay (s, log scale)', 'fraction of finished jobs', 'log', [0, 1.02]), cfg),
    Plotly.newPlot('chart-util', lines(data.util, 'hv'), layout('time since first submit (h)', 'GPU utilisation (fraction)', 'linear', [0, 1.05]), cfg)
  ]).then(function () { document.body.setAttribute('data-plots-ready', 'true'); });
})();
`;

/**
 * The page every self-contained report shares: the head (title, REPORT_CSS, plotly inlined so the
 * file opens offline), the title as <h1>, the report's own `body`, the manifest verbatim in a
 * closed <details>, the chart data as a JSON <script> and the page's `script`, which reads it.
 */
export function reportPage(page: {
  readonly title: string;
  readonly body: string;
  readonly manifest: object;
  readonly data: unknown;
  readonly script: string;
}): string {
  const plotly = loadPlotly().source.replace(/<\/(script)/gi, '<\\/$1');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${REPORT_CSS}</style>
<script>${plotly}</script>
</head>
<body>
<h1>${escapeHtml(page.title)}</h1>
${page.body}
<details>
<summary>Manifest</summary>
<pre>${escapeHtml(JSON.stringify(page.manifest, null, 2))}</pre>
</details>
<script type="application/json" id="lepton-data">${scriptJson(page.data)}</script>
<script>${page.script}</script>
</body>
</html>
`;
}

/**
 * One self-contained HTML file: summary table, JCT and queueing-delay CDFs,
 * GPU utilisation over time, and the manifest. Plotly is inlined, so the file
 * opens offline. Deterministic for the same input.
 */
export function renderHtmlReport(input: ReportInput): string {
  const { title, summaries, results, manifest } = input;
  let origin = Infinity;
  for (const r of results) origin = Math.min(origin, jobSpan(r).start);
  const data = {
    jct: results.map((r) => cdfSeries(r, jobCompletionTimes(r))),
    queue: results.map((r) => cdfSeries(r, queueingDelays(r))),
    util: results.map((r) => utilSeries(r, Number.isFinite(origin) ? origin : 0)),
  };
  return reportPage({
    title,
    body: `<h2>Summary</h2>
<p class="note">Per-job statistics over finished jobs in the window; formulas in docs/metrics.md. Hover a metric for its meaning, a cell for the exact value.</p>
${summaryTable(summaries)}
<h2>Job completion time (CDF)</h2>
<div id="chart-jct" class="chart"></div>
<h2>Queueing delay (CDF)</h2>
<p class="note">Jobs that started at once (delay 0) cannot sit on a log axis: each curve starts at the fraction of jobs with delay 0 or less.</p>
<div id="chart-queue" class="chart"></div>
<h2>GPU utilisation over time</h2>
<p class="note">Time-weighted mean per bucket, at most ${REPORT_DEFAULTS.timelinePoints} points per policy.</p>
<div id="chart-util" class="chart"></div>`,
    manifest,
    data,
    script: PAGE_SCRIPT,
  });
}
