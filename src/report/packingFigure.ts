/**
 * The packing study's figure as a standalone SVG (no browser needed to regenerate it): GPUs
 * allocated (% of capacity) and fragmented GPUs F(M) against arrived workload, one line per policy
 * with its 95 % interval over seeds as a band, as in Fig. 7 / 9 of the FGD paper.
 */
import { escapeHtml } from './html';
import { policyColor } from './palette';

export interface FigureSeries {
  policy: string;
  x: readonly number[];
  y: readonly { estimate: number; lo: number; hi: number }[];
}

export interface FigurePanel {
  title: string;
  yLabel: string;
  series: readonly FigureSeries[];
}

const W = 460;
const H = 320;
const M = { l: 64, r: 16, t: 36, b: 48 };

function niceTicks(lo: number, hi: number, n = 5): number[] {
  const span = hi - lo || 1;
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

function panelSvg(p: FigurePanel, xLabel: string, dx: number): string {
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (const s of p.series)
    s.x.forEach((x, i) => {
      const y = s.y[i];
      xmin = Math.min(xmin, x);
      xmax = Math.max(xmax, x);
      for (const v of [y.estimate, y.lo, y.hi]) {
        if (!Number.isFinite(v)) continue;
        ymin = Math.min(ymin, v);
        ymax = Math.max(ymax, v);
      }
    });
  if (!Number.isFinite(xmin)) return '';
  ymin = Math.min(0, ymin);
  const pw = W - M.l - M.r;
  const ph = H - M.t - M.b;
  const sx = (x: number): number => dx + M.l + ((x - xmin) / (xmax - xmin || 1)) * pw;
  const sy = (y: number): number => M.t + ph - ((y - ymin) / (ymax - ymin || 1)) * ph;
  const f = (v: number): string => v.toFixed(1);
  const parts: string[] = [];
  parts.push(`<text x="${f(dx + W / 2)}" y="20" text-anchor="middle" font-size="14">${escapeHtml(p.title)}</text>`);
  for (const t of niceTicks(ymin, ymax)) {
    parts.push(
      `<line x1="${f(dx + M.l)}" x2="${f(dx + M.l + pw)}" y1="${f(sy(t))}" y2="${f(sy(t))}" stroke="#e5e5e5"/>`,
    );
    parts.push(
      `<text x="${f(dx + M.l - 6)}" y="${f(sy(t) + 4)}" text-anchor="end" font-size="11">${t.toLocaleString('en-US')}</text>`,
    );
  }
  for (const t of niceTicks(xmin, xmax)) {
    parts.push(`<line x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${f(M.t + ph)}" y2="${f(M.t + ph + 4)}" stroke="#333"/>`);
    parts.push(`<text x="${f(sx(t))}" y="${f(M.t + ph + 17)}" text-anchor="middle" font-size="11">${t}</text>`);
  }
  parts.push(`<rect x="${f(dx + M.l)}" y="${M.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  parts.push(
    `<text x="${f(dx + M.l + pw / 2)}" y="${H - 10}" text-anchor="middle" font-size="12">${escapeHtml(xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(${f(dx + 16)},${f(M.t + ph / 2)}) rotate(-90)" text-anchor="middle" font-size="12">${escapeHtml(p.yLabel)}</text>`,
  );
  for (const s of p.series) {
    const c = policyColor(s.policy);
    const ok = s.x.map((_, i) => Number.isFinite(s.y[i].lo) && Number.isFinite(s.y[i].hi));
    const up = s.x.flatMap((x, i) => (ok[i] ? [`${f(sx(x))},${f(sy(s.y[i].hi))}`] : []));
    const down = s.x.flatMap((x, i) => (ok[i] ? [`${f(sx(x))},${f(sy(s.y[i].lo))}`] : [])).reverse();
    if (up.length > 1)
      parts.push(`<polygon points="${[...up, ...down].join(' ')}" fill="${c}" fill-opacity="0.18" stroke="none"/>`);
    const line = s.x.map((x, i) => `${f(sx(x))},${f(sy(s.y[i].estimate))}`).join(' ');
    parts.push(`<polyline points="${line}" fill="none" stroke="${c}" stroke-width="1.6"/>`);
  }
  return parts.join('\n');
}

/** Panels side by side with one shared legend below them. */
export function packingFigureSvg(panels: readonly FigurePanel[], xLabel: string, caption: string): string {
  const policies = [...new Set(panels.flatMap((p) => p.series.map((s) => s.policy)))];
  const legendH = 22 * Math.ceil(policies.length / 4) + 30;
  const width = W * panels.length;
  const height = H + legendH;
  const legend = policies
    .map((name, i) => {
      const x = 20 + (i % 4) * (width / 4);
      const y = H + 16 + 22 * Math.floor(i / 4);
      return `<line x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}" stroke="${policyColor(name)}" stroke-width="3"/><text x="${x + 30}" y="${y + 4}" font-size="12">${escapeHtml(name)}</text>`;
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels.map((p, i) => panelSvg(p, xLabel, i * W)),
    legend,
    `<text x="20" y="${height - 8}" font-size="11" fill="#555">${escapeHtml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
