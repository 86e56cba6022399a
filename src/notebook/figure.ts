/**
 * Plotly figures in a notebook: house style (units, thousands separators, legends that do not
 * overlap the plot or the axis titles), one colour per policy, shown as the plotly MIME output that JupyterLab's
 * `jupyterlab-plotly` renderer draws, and remembered so that `exportFigures` can write every
 * figure of the notebook as PNG/SVG.
 */
import { EXTRA_COLORS, knownPolicyColor } from '../report/palette';
import { emit } from './kernel';

/** A plotly trace (the JSON plotly.js takes). */
export type Trace = Record<string, unknown>;

/** A plotly figure: traces, layout and config, as plotly.js' `newPlot` takes them. */
export interface Figure {
  data: Trace[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** The MIME type JupyterLab's plotly renderer (from the Python `plotly` package) draws. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

export interface ShowFigureOptions {
  /**
   * File name (without extension) for `exportFigures`; default: the title, slugged, else
   * "figure-N". Names are made unique within the notebook.
   */
  name?: string;
  /** Skip the house style (axes, legend, separators); colours are still filled in. */
  raw?: boolean;
}

interface Shown {
  name: string;
  figure: Figure;
}

const shown: Shown[] = [];

/** Every figure shown since the kernel started (or `clearFigures`), in order. */
export function shownFigures(): readonly { name: string; figure: Figure }[] {
  return shown;
}

/** Forget the shown figures (e.g. before re-running a notebook in the same kernel). */
export function clearFigures(): void {
  shown.length = 0;
}

/** "JCT CDF, Philly VC 6c71a0" → "jct-cdf-philly-vc-6c71a0". */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/<[^>]*>/g, ' ')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'figure'
  );
}

function titleText(layout: Record<string, unknown> | undefined): string {
  const t = layout?.title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string')
    return (t as { text: string }).text;
  return '';
}

function uniqueName(base: string): string {
  const taken = new Set(shown.map((s) => s.name));
  if (!taken.has(base)) return base;
  for (let k = 2; ; k++) if (!taken.has(`${base}-${k}`)) return `${base}-${k}`;
}

/**
 * Colour of a trace: an explicit `line.color` / `marker.color` wins; otherwise, when its
 * `legendgroup` or `name` is a known policy or agent, that policy's colour (report/palette.ts).
 * Other traces (traces, clusters, metrics) keep plotly's colour cycle, so they stay distinct.
 */
function withPolicyColour(t: Trace): Trace {
  const key = (t.legendgroup ?? t.name) as string | undefined;
  if (typeof key !== 'string' || key === '') return t;
  const colour = knownPolicyColor(key);
  if (colour === undefined) return t;
  const type = (t.type as string | undefined) ?? 'scatter';
  const out: Trace = { ...t };
  const line = (t.line ?? {}) as Record<string, unknown>;
  const marker = (t.marker ?? {}) as Record<string, unknown>;
  if (type === 'scatter' || type === 'scattergl') {
    if (line.color === undefined) out.line = { ...line, color: colour };
    if (marker.color === undefined) out.marker = { ...marker, color: colour };
  } else if (['bar', 'box', 'violin', 'histogram'].includes(type)) {
    if (marker.color === undefined) out.marker = { ...marker, color: colour };
  }
  return out;
}

function axisStyle(axis: unknown): Record<string, unknown> {
  const a = (axis ?? {}) as Record<string, unknown>;
  return { automargin: true, separatethousands: true, ...a };
}

/**
 * The house style, applied to a copy: thousands separators on every axis, margins that fit the
 * tick labels, the legend right of the plot area so it never
 * covers data or axis titles, a readable default size. Axis titles should carry units: a missing title on
 * an axis that has data is reported with a console warning.
 */
export function styleFigure(fig: Figure): Figure {
  const layout: Record<string, unknown> = { ...(fig.layout ?? {}) };
  for (const k of Object.keys(layout)) if (/^[xy]axis\d*$/.test(k)) layout[k] = axisStyle(layout[k]);
  if (!layout.xaxis) layout.xaxis = axisStyle(undefined);
  if (!layout.yaxis) layout.yaxis = axisStyle(undefined);
  // Right of the plot area, top-aligned: never over the data or the axis titles (plotly scrolls a long legend).
  layout.legend ??= { x: 1.02, xanchor: 'left', y: 1, yanchor: 'top' };
  layout.separators ??= '.,';
  // Traces that are not policies cycle through colours no policy uses.
  layout.colorway ??= [...EXTRA_COLORS];
  layout.font ??= { family: 'Helvetica, Arial, sans-serif', size: 13 };
  layout.width ??= 760;
  layout.height ??= 440;
  layout.margin ??= { t: 60, r: 20, b: 60, l: 70 };
  return { data: fig.data.map(withPolicyColour), layout, config: { displaylogo: false, ...(fig.config ?? {}) } };
}

/** Axis keys without a title (for the "units in every axis title" rule). */
export function untitledAxes(fig: Figure): string[] {
  const layout = fig.layout ?? {};
  const keys = Object.keys(layout).filter((k) => /^[xy]axis\d*$/.test(k));
  for (const k of ['xaxis', 'yaxis']) if (!keys.includes(k)) keys.push(k);
  const hasData = fig.data.some((t) => !['pie', 'table', 'indicator'].includes(String(t.type ?? 'scatter')));
  if (!hasData) return [];
  return keys.filter((k) => {
    const a = layout[k] as { title?: unknown; visible?: boolean } | undefined;
    if (a?.visible === false) return false;
    const t = a?.title;
    const text = typeof t === 'string' ? t : (t as { text?: string } | undefined)?.text;
    return !text;
  });
}

/**
 * Shows `fig` as an interactive plotly chart (one output, MIME application/vnd.plotly.v1+json)
 * and records it for `exportFigures` (`shownFigures()` lists the styled figures and their names). Returns
 * nothing, so that a figure shown by the last line of a cell is not echoed as text by the kernel.
 */
export function showFigure(fig: Figure, opts: ShowFigureOptions = {}): void {
  const styled = opts.raw ? { ...fig, data: fig.data.map(withPolicyColour) } : styleFigure(fig);
  const missing = untitledAxes(styled);
  if (missing.length) console.warn(`[lepton/notebook] axis without a title (give it units): ${missing.join(', ')}`);
  const name = uniqueName(slug(opts.name ?? (titleText(styled.layout) || `figure-${shown.length + 1}`)));
  shown.push({ name, figure: styled });
  emit(PLOTLY_MIME, styled);
}
